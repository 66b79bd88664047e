/** What the assignment page shows each viewer: the student's own work, or the class's progress. */
import type { PageRequest, User } from '~/data/repository';
import { requireAssignmentAccess, toAssignmentView } from './assignments.server';
import type { ServiceContext } from './context';
import { acceptsSubmissions, isLateAt } from './due-state';
import { assignmentProgress } from './grading.server';
import { toSubmissionView } from './submissions.server';
import { noJsUploadForm } from './uploads.server';

export async function getAssignmentPage(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
  rosterPage: PageRequest = {},
) {
  const { assignment, course, isInstructor, enrollment } = await requireAssignmentAccess(ctx, actor, assignmentId);
  const view = toAssignmentView(assignment, ctx.now());
  const courseInfo = { id: course.id, title: course.title, code: course.code };
  if (isInstructor) {
    const { students, nextCursor } = await assignmentProgress(ctx, actor, assignmentId, rosterPage);
    return { role: 'instructor' as const, assignment: view, course: courseInfo, students, nextCursor };
  }
  const student = actor as User;
  const history = await ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, student.id, { limit: 20 });
  const lockedIn = isLateAt(assignment, ctx.now()) && history.items.length > 0;
  const canSubmit = enrollment?.role === 'student' && acceptsSubmissions(assignment) && !lockedIn;
  return {
    role: 'student' as const,
    assignment: view,
    course: courseInfo,
    submissions: history.items.map(toSubmissionView),
    canSubmit,
    closedReason: canSubmit
      ? null
      : lockedIn
        ? 'The due date has passed: your submission stands and can no longer be replaced.'
        : 'This assignment is closed and no longer accepts submissions.',
    uploadForm: canSubmit ? await noJsUploadForm(ctx, student, assignment.id) : null,
    maxBytes: ctx.settings.uploadMaxBytes,
  };
}
