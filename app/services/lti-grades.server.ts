/**
 * Grades back to the LMS (LTI Assignment and Grade Services 2.0, docs/decisions/024-lti-advantage.md).
 * Grading queues an `ltiScore` outbox event in the grade's own transaction (grading.server.ts);
 * the outbox runner (or the submissions stream's Lambda) calls sendLtiScore, which posts the
 * submission's CURRENT grade to each line item its assignment is linked to. A failure rethrows:
 * the outbox keeps the entry and retries it with backoff, so an LMS outage loses no grade, and
 * the grade page shows why it is still waiting.
 */
import { createPlatformClient } from '~/auth/lti/platform-client';
import { LtiError } from '~/auth/lti/errors';
import { AGS_SCOPE_SCORE } from '~/auth/lti/scopes';
import type { LtiResourceLink, LtiScoreStatus, Submission } from '~/data/repository';
import { logWarn } from '~/utils/log.server';
import type { ServiceContext } from './context';
import { currentSigningKey } from './lti-keys.server';

/** The job runs outside any request: the ports, the clock and the key secrets (the tool signs its token requests). */
type GradesCtx = Pick<ServiceContext, 'repos' | 'now' | 'settings'>;

/** One client per process: its access tokens are cached per platform and scope until they expire. */
let sharedClient: ReturnType<typeof createPlatformClient> | undefined;
function platformClient(ctx: GradesCtx) {
  return (sharedClient ??= createPlatformClient({ now: ctx.now }));
}

/** A link that can take scores: a line item and the score scope granted. */
export function takesScores(link: LtiResourceLink): boolean {
  return Boolean(link.lineItemUrl) && link.scopes.includes(AGS_SCOPE_SCORE);
}

/** Whether grading this assignment has somewhere to send the grade (grading.server.ts asks before queuing). */
export async function assignmentSendsScores(ctx: GradesCtx, assignmentId: string): Promise<boolean> {
  return (await ctx.repos.lti.listResourceLinksByAssignment(assignmentId)).some(takesScores);
}

/**
 * The `ltiScore` job. Reads the submission as it is NOW (a later regrade already queued its own
 * event; sending the current grade twice is harmless, sending an old one after a new one is not).
 */
export async function sendLtiScore(ctx: GradesCtx, submissionId: string): Promise<void> {
  const submission = await ctx.repos.submissions.getById(submissionId);
  if (!submission || submission.status !== 'graded' || submission.grade === null) return;
  const assignment = await ctx.repos.assignments.getById(submission.assignmentId);
  if (!assignment) return;
  const links = (await ctx.repos.lti.listResourceLinksByAssignment(assignment.id)).filter(takesScores);
  if (!links.length) return;
  const previous = await ctx.repos.lti.getScoreStatus(submission.id);
  const attempts = (previous?.state === 'sent' ? 0 : (previous?.attempts ?? 0)) + 1;
  try {
    for (const link of links) await sendToLink(ctx, link, submission, assignment.maxScore);
  } catch (error) {
    const lastError = reasonOf(error);
    await ctx.repos.lti.saveScoreStatus({
      submissionId: submission.id,
      state: 'retrying',
      scoreGiven: submission.grade,
      attempts,
      lastError,
      sentAt: previous?.sentAt ?? null,
    });
    logWarn('LTI score not sent; will retry', { submissionId: submission.id, attempts, reason: lastError });
    throw error;
  }
  await ctx.repos.lti.saveScoreStatus({
    submissionId: submission.id,
    state: 'sent',
    scoreGiven: submission.grade,
    attempts,
    lastError: null,
    sentAt: ctx.now().toISOString(),
  });
}

/**
 * Several links may open one assignment (it was placed twice): each gets the score. A retry
 * after a partial failure sends to the ones that already took it again, which the LMS treats
 * as the same score (same timestamp, same value).
 */
async function sendToLink(ctx: GradesCtx, link: LtiResourceLink, submission: Submission, maxScore: number) {
  const platform = await ctx.repos.lti.getPlatform(link.platformId);
  if (!platform) {
    throw new Error('The LMS this assignment was linked from is no longer registered with ClassCast.');
  }
  const subject = await ctx.repos.lti.findUserSubject(platform.issuer, submission.studentId);
  if (!subject) {
    // Kept and retried: the student may still open ClassCast from the LMS, which links them.
    throw new Error(`The student has not opened ClassCast from ${platform.name} yet, so it cannot name them.`);
  }
  const signingKey = await currentSigningKey(ctx);
  await platformClient(ctx).postScore(
    platform,
    link.lineItemUrl!,
    {
      userId: subject,
      scoreGiven: submission.grade!,
      scoreMaximum: maxScore,
      activityProgress: 'Submitted',
      gradingProgress: 'FullyGraded',
      // The grade's own time: the LMS keeps the newest score, and a retry is not newer than a later grade.
      timestamp: submission.gradedAt ?? ctx.now().toISOString(),
      ...(submission.instructorFeedback ? { comment: submission.instructorFeedback } : {}),
      // Canvas shows the work as submitted at this time in SpeedGrader.
      submission: { submittedAt: submission.submittedAt },
    },
    signingKey,
  );
}

function reasonOf(error: unknown): string {
  const message = error instanceof LtiError || error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}

/** What the grade pages show an instructor about one submission's trip to the LMS. */
export interface LtiScoreView {
  state: LtiScoreStatus['state'];
  /** "Sent to Canvas", "Waiting to retry: …", "Waiting to send to Canvas". */
  label: string;
  lastError: string | null;
  attempts: number;
  sentAt: string | null;
}

/**
 * The statuses of some of an assignment's submissions, keyed by submission id, worded with the
 * LMS's name. Callers have already proved the viewer teaches the course (grading and
 * submission pages); nothing here is for students.
 */
export async function scoreStatusesFor(
  ctx: GradesCtx,
  assignmentId: string,
  submissionIds: readonly string[],
): Promise<Record<string, LtiScoreView>> {
  if (!submissionIds.length) return {};
  const links = (await ctx.repos.lti.listResourceLinksByAssignment(assignmentId)).filter(takesScores);
  if (!links.length) return {};
  const platformIds = [...new Set(links.map((l) => l.platformId))];
  const [statuses, platforms] = await Promise.all([
    ctx.repos.lti.getScoreStatuses(submissionIds),
    Promise.all(platformIds.map((id) => ctx.repos.lti.getPlatform(id))),
  ]);
  const lms = platforms.find(Boolean)?.name ?? 'the LMS';
  return Object.fromEntries(statuses.map((s) => [s.submissionId, toScoreView(s, lms)]));
}

export function toScoreView(status: LtiScoreStatus, lms: string): LtiScoreView {
  const label =
    status.state === 'sent'
      ? `Sent to ${lms}`
      : status.state === 'retrying'
        ? `Waiting to retry: ${status.lastError ?? `${lms} did not answer`}`
        : `Waiting to send to ${lms}`;
  return { state: status.state, label, lastError: status.lastError, attempts: status.attempts, sentAt: status.sentAt };
}
