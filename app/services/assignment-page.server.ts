/** What the assignment page shows each viewer: the student's own work, or the class's progress. */
import type { PageRequest, User } from '~/data/repository';
import { requireAssignmentAccess, submitRefusal } from './access.server';
import { toAssignmentView } from './assignments.server';
import type { ServiceContext } from './context';
import { assignmentProgress } from './grading.server';
import { toSubmissionView } from './submissions.server';
import { noJsUploadForm } from './uploads.server';

export async function getAssignmentPage(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
  rosterPage: PageRequest = {},
) {
  const { user, assignment, course, isInstructor, role } = await requireAssignmentAccess(ctx, actor, assignmentId);
  const view = toAssignmentView(assignment, ctx.now());
  const courseInfo = { id: course.id, title: course.title, code: course.code };
  if (isInstructor) {
    const { students, nextCursor } = await assignmentProgress(ctx, user, assignmentId, rosterPage);
    return { role: 'instructor' as const, assignment: view, course: courseInfo, students, nextCursor };
  }
  const history = await ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, user.id, { limit: 20 });
  const refusal =
    role === 'student'
      ? submitRefusal(assignment, ctx.now(), history.items)
      : 'Only students enrolled in this course can submit.';
  const canSubmit = refusal === null;
  return {
    role: 'student' as const,
    assignment: view,
    course: courseInfo,
    submissions: history.items.map(toSubmissionView),
    canSubmit,
    closedReason: refusal === null ? null : typeof refusal === 'string' ? refusal : refusal.message,
    uploadForm: canSubmit ? await noJsUploadForm(ctx, user, assignment.id) : null,
    maxBytes: ctx.settings.uploadMaxBytes,
  };
}
