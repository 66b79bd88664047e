import { describe, expect, it } from 'vitest';
import { courseRoleFor, isInstitutionAdmin, ROLE } from './roles';

describe('courseRoleFor', () => {
  it('maps instructors and teaching assistants to instructor, in full and short forms', () => {
    expect(courseRoleFor([ROLE.instructor])).toBe('instructor');
    expect(courseRoleFor(['Instructor'])).toBe('instructor');
    expect(courseRoleFor([ROLE.teachingAssistant])).toBe('instructor');
    expect(courseRoleFor(['TeachingAssistant'])).toBe('instructor');
  });

  it('maps learners to student, and instructor wins over learner', () => {
    expect(courseRoleFor([ROLE.learner])).toBe('student');
    expect(courseRoleFor(['Learner'])).toBe('student');
    expect(courseRoleFor([ROLE.learner, ROLE.instructor])).toBe('instructor');
    expect(courseRoleFor([`http://purl.imsglobal.org/vocab/lis/v2/membership/Learner#Learner`])).toBe('student');
  });

  it('gives no course role for institution or system roles, or other context roles', () => {
    expect(
      courseRoleFor([ROLE.institutionAdministrator, ROLE.institutionStudent, ROLE.systemAdministrator]),
    ).toBeNull();
    expect(courseRoleFor(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor'])).toBeNull();
    expect(courseRoleFor([ROLE.contextAdministrator, 'Mentor'])).toBeNull();
    expect(courseRoleFor([])).toBeNull();
  });
});

describe('isInstitutionAdmin', () => {
  it('is true only for the institution Administrator role', () => {
    expect(isInstitutionAdmin([ROLE.institutionAdministrator])).toBe(true);
    expect(isInstitutionAdmin([ROLE.contextAdministrator])).toBe(false);
    expect(isInstitutionAdmin(['Administrator'])).toBe(false);
    expect(isInstitutionAdmin([ROLE.systemAdministrator, ROLE.instructor])).toBe(false);
  });
});
