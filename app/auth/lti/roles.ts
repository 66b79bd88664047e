/**
 * LTI roles → ClassCast roles (LTI 1.3 Core §A.2). Context (course) roles come as full
 * LIS v2 URIs or, deprecated but still sent by some platforms, as the bare short name; a
 * sub-role (`membership/Instructor#TeachingAssistant`) names its principal role in its path.
 * Institution and system roles are never read as course roles.
 */

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
export const ROLE = {
  instructor: `${MEMBERSHIP}#Instructor`,
  learner: `${MEMBERSHIP}#Learner`,
  teachingAssistant: `${MEMBERSHIP}/Instructor#TeachingAssistant`,
  contextAdministrator: `${MEMBERSHIP}#Administrator`,
  institutionAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  institutionStudent: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student',
  systemAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
} as const;

/** The context role a role string names, in either form; null for institution/system roles. */
function contextRoleName(role: string): string | null {
  if (!role.includes('/') && !role.includes('#')) return role; // short form: "Instructor"
  if (role.startsWith(`${MEMBERSHIP}#`)) return role.slice(MEMBERSHIP.length + 1);
  if (role.startsWith(`${MEMBERSHIP}/`)) {
    // Sub-role: membership/<Principal>#<SubRole>; TeachingAssistant is what we look for.
    const [principal, sub] = role.slice(MEMBERSHIP.length + 1).split('#');
    return sub === 'TeachingAssistant' ? sub : (principal ?? null);
  }
  return null;
}

/** Instructor or teaching assistant → instructor; learner → student; anything else → null. */
export function courseRoleFor(roles: string[]): 'instructor' | 'student' | null {
  const names = new Set(roles.map(contextRoleName));
  if (names.has('Instructor') || names.has('TeachingAssistant')) return 'instructor';
  if (names.has('Learner')) return 'student';
  return null;
}

/** Only the institution Administrator role makes a ClassCast admin (a course's admin does not). */
export function isInstitutionAdmin(roles: string[]): boolean {
  return roles.includes(ROLE.institutionAdministrator);
}
