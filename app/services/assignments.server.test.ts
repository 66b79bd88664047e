import { describe, expect, it } from 'vitest';
import { builders, days, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  createAssignment,
  getAssignment,
  getAssignmentForEdit,
  getCourseForNewAssignment,
  listCourseAssignments,
  updateAssignment,
} from './assignments.server';

const world = setupServiceContext();
const { aClass, anAssignment } = builders(world);

const inAWeek = () => new Date(Date.now() + days(7)).toISOString();

describe('creating assignments', () => {
  it('the course instructor creates one', async () => {
    const { teacher, course } = await aClass();
    const created = await createAssignment(world.ctx, teacher, {
      courseId: course.id,
      title: 'Film a cell',
      dueDate: inAWeek(),
    });
    expect(created).toMatchObject({
      courseId: course.id,
      instructorId: teacher.id,
      maxScore: 100,
      status: 'published',
    });
    expect(await getCourseForNewAssignment(world.ctx, teacher, course.id)).toEqual({
      id: course.id,
      title: course.title,
    });
  });

  it('an admin creates one for the course’s instructor', async () => {
    const { admin, teacher, course } = await aClass();
    const created = await createAssignment(world.ctx, admin, { courseId: course.id, title: 'A', dueDate: inAWeek() });
    expect(created.instructorId).toBe(teacher.id);
  });

  it('a student or another instructor may not', async () => {
    const { alice, otherTeacher, course } = await aClass();
    for (const actor of [alice, otherTeacher]) {
      await expectStatus(
        createAssignment(world.ctx, actor, { courseId: course.id, title: 'X', dueDate: inAWeek() }),
        403,
      );
      await expectStatus(getCourseForNewAssignment(world.ctx, actor, course.id), 403);
    }
    expect((await listCourseAssignments(world.ctx, alice, course.id)).assignments).toHaveLength(1);
  });

  it('a due date in the past is a field error', async () => {
    const { teacher, course } = await aClass();
    const past = new Date(Date.now() - days(1)).toISOString();
    await expectStatus(createAssignment(world.ctx, teacher, { courseId: course.id, title: 'X', dueDate: past }), 400);
  });
});

describe('editing assignments', () => {
  it('the course instructor edits one', async () => {
    const { teacher, assignment } = await aClass();
    expect((await updateAssignment(world.ctx, teacher, assignment.id, { title: 'New title' })).title).toBe('New title');
    expect((await getAssignmentForEdit(world.ctx, teacher, assignment.id)).id).toBe(assignment.id);
  });

  it('a student or another instructor may not, and nothing changes', async () => {
    const { alice, otherTeacher, assignment } = await aClass();
    await expectStatus(updateAssignment(world.ctx, alice, assignment.id, { maxScore: 1 }), 403);
    await expectStatus(updateAssignment(world.ctx, otherTeacher, assignment.id, { maxScore: 1 }), 403);
    await expectStatus(getAssignmentForEdit(world.ctx, alice, assignment.id), 403);
    expect((await world.ctx.repos.assignments.getById(assignment.id))?.maxScore).toBe(assignment.maxScore);
  });
});

describe('seeing assignments', () => {
  it('students never see drafts; the instructor does', async () => {
    const { alice, teacher, course } = await aClass();
    const draft = await anAssignment(course, { status: 'draft' });
    await expectStatus(getAssignment(world.ctx, alice, draft.id), 404);
    expect((await listCourseAssignments(world.ctx, alice, course.id)).assignments.map((a) => a.id)).not.toContain(
      draft.id,
    );
    expect((await listCourseAssignments(world.ctx, teacher, course.id)).assignments.map((a) => a.id)).toContain(
      draft.id,
    );
  });

  it('outsiders see nothing', async () => {
    const { outsider, course, assignment } = await aClass();
    await expectStatus(getAssignment(world.ctx, outsider, assignment.id), 403);
    await expectStatus(listCourseAssignments(world.ctx, outsider, course.id), 403);
  });
});
