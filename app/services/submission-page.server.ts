/** The submission page: the player beside the grade form (instructor) or the grade (student). */
import type { User } from '~/data/repository';
import type { ServiceContext } from './context';
import { requireSubmissionAccess } from './access.server';
import { toSubmissionView } from './submissions.server';
import { displayName } from './users.server';

export async function getSubmissionPage(ctx: ServiceContext, actor: User | null, submissionId: string) {
  const { submission, assignment, mayGrade } = await requireSubmissionAccess(ctx, actor, submissionId);
  const [video, student] = await Promise.all([
    ctx.repos.videos.getById(submission.videoId),
    ctx.repos.users.getById(submission.studentId),
  ]);
  // The grading queue of this assignment: the ungraded submissions before and after this one.
  const neighbours = mayGrade
    ? await ctx.repos.submissions.adjacentUngraded(submission.assignmentId, submission)
    : { previous: null, next: null };
  const playbackUrl = video
    ? await ctx.storage.presignGet(video.storageKey, { responseContentType: video.contentType })
    : null;
  return {
    submission: toSubmissionView(submission),
    assignment: { id: assignment.id, title: assignment.title, maxScore: assignment.maxScore },
    studentName: student ? displayName(student) : 'Unknown student',
    playbackUrl,
    contentType: video?.contentType ?? submission.fileType,
    isInstructor: mayGrade,
    previousUngradedId: neighbours.previous?.id ?? null,
    nextUngradedId: neighbours.next?.id ?? null,
  };
}
