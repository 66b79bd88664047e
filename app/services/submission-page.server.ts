/** The submission page: the player beside the grade form (instructor) or the grade (student). */
import type { User } from '~/data/repository';
import type { ServiceContext } from './context';
import { requireSubmissionAccess, requireVideoInteraction } from './access.server';
import { scoreStatusesFor } from './lti-grades.server';
import { toSubmissionView } from './submissions.server';
import { displayName } from './users.server';
import { loadDiscussion } from './video-interactions.server';
import type { InteractionView } from './video-social-view';

/** Enough newest comments to hold a submission's feedback: instructors leave a handful. */
const FEEDBACK_WINDOW = 100;

/** Feedback in the order of the video: timed moments first, by moment, then general notes. */
function byMoment(a: InteractionView, b: InteractionView): number {
  return (a.atSeconds ?? Infinity) - (b.atSeconds ?? Infinity) || a.createdAt.localeCompare(b.createdAt);
}

export async function getSubmissionPage(ctx: ServiceContext, actor: User | null, submissionId: string) {
  const { user, submission, assignment, mayGrade } = await requireSubmissionAccess(ctx, actor, submissionId);
  // The student and the grader may both watch the submission's video, so this check passes
  // for them; it proves what the discussion needs (who moderates, the video as a target).
  const videoAccess = await requireVideoInteraction(ctx, user, submission.videoId);
  const { video } = videoAccess;
  const [student, discussion] = await Promise.all([
    ctx.repos.users.getById(submission.studentId),
    loadDiscussion(ctx, videoAccess, { limit: FEEDBACK_WINDOW }),
  ]);
  // The grading queue of this assignment: the ungraded submissions before and after this one.
  const neighbours = mayGrade
    ? await ctx.repos.submissions.adjacentUngraded(submission.assignmentId, submission)
    : { previous: null, next: null };
  // The LMS gradebook's side of the grade: for whoever grades, never for the student.
  const lmsStatus = mayGrade ? (await scoreStatusesFor(ctx, assignment.id, [submission.id]))[submission.id] : undefined;
  const playbackUrl = await ctx.storage.presignGet(video.storageKey, { responseContentType: video.contentType });
  return {
    submission: toSubmissionView(submission),
    assignment: { id: assignment.id, title: assignment.title, maxScore: assignment.maxScore },
    studentName: student ? displayName(student) : 'Unknown student',
    playbackUrl,
    contentType: video.contentType,
    feedback: discussion.interactions.filter((c) => c.isFeedback).sort(byMoment),
    durationSeconds: video.durationSeconds,
    isInstructor: mayGrade,
    ltiScore: lmsStatus ?? null,
    previousUngradedId: neighbours.previous?.id ?? null,
    nextUngradedId: neighbours.next?.id ?? null,
  };
}
