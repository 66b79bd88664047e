/** What the assignment page shows each viewer: the student's own work, or the class's progress. */
import type { PageRequest, User } from '~/data/repository';
import { requireAssignmentAccess, submitRefusal } from './access.server';
import { toAssignmentView } from './assignments.server';
import type { ServiceContext } from './context';
import { loadClassGallery } from './class-gallery.server';
import { assignmentProgress } from './grading.server';
import { toSubmissionView } from './submissions.server';
import { noJsUploadForm } from './uploads.server';

export async function getAssignmentPage(
  ctx: ServiceContext,
  actor: User | null,
  assignmentId: string,
  page: PageRequest = {},
  /** The instructor's gallery pages apart from the roster (`?galleryCursor=`); students page it with `page`. */
  galleryCursor?: string,
) {
  const access = await requireAssignmentAccess(ctx, actor, assignmentId);
  const { user, assignment, course, isInstructor, role } = access;
  const view = toAssignmentView(assignment, ctx.now());
  const courseInfo = { id: course.id, title: course.title, code: course.code };
  if (isInstructor) {
    const [{ students, nextCursor }, gallery] = await Promise.all([
      assignmentProgress(ctx, user, assignmentId, page),
      loadClassGallery(ctx, access, { cursor: galleryCursor }),
    ]);
    return { role: 'instructor' as const, assignment: view, course: courseInfo, students, nextCursor, gallery };
  }
  const [history, gallery] = await Promise.all([
    ctx.repos.submissions.listByAssignmentAndStudent(assignment.id, user.id, { limit: 20 }),
    loadClassGallery(ctx, access, page),
  ]);
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
    gallery,
  };
}
