import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { StatusBadge } from '~/components/due-badge';
import { Field, FormError, TextAreaField } from '~/components/form-field';
import { LmsScoreStatus } from '~/components/lms-score-status';
import { FormattedText } from '~/components/formatted-text';
import { VideoPlayer } from '~/components/video-player';
import { CommentForm } from '~/components/video-social/comment-form';
import { CommentList } from '~/components/video-social/comment-list';
import { requireActor } from '~/auth/current-user.server';
import { gradeSubmission } from '~/services/grading.server';
import { getSubmissionPage } from '~/services/submission-page.server';
import { addSubmissionFeedback, deleteSubmissionComment } from '~/services/video-interactions.server';
import { parseMoment } from '~/utils/moment';
import { formatDateTime, formatScore } from '~/utils/format';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.submission.videoTitle} · ClassCast` : 'Submission · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const page = await loadOrThrow(() => getSubmissionPage(context.services, actor, params.submissionId ?? ''));
  // `?t=` opens the player at a feedback moment when JavaScript is off.
  return { ...page, startAt: parseMoment(new URL(request.url).searchParams.get('t') ?? '') };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const submissionId = params.submissionId ?? '';
  const here = `/submissions/${submissionId}`;
  // The grade form predates intents, so a post without one is a grade.
  return handleForm(request, async ({ intent, ...values }) => {
    if (intent === 'feedback') {
      const feedback = await addSubmissionFeedback(context.services, actor, submissionId, values);
      return { redirectTo: `${here}#comment-${feedback.id}`, toast: 'Feedback added.' };
    }
    if (intent === 'delete') {
      await deleteSubmissionComment(context.services, actor, submissionId, values.interactionId ?? '');
      return { redirectTo: `${here}#moments`, toast: 'Feedback deleted.' };
    }
    await gradeSubmission(context.services, actor, submissionId, values);
    return { redirectTo: here, toast: 'Grade saved. The student has been notified.' };
  });
}

export default function SubmissionPage() {
  const {
    submission,
    assignment,
    studentName,
    playbackUrl,
    contentType,
    isInstructor,
    ltiScore,
    previousUngradedId,
    nextUngradedId,
    feedback,
    startAt,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const maxScore = assignment?.maxScore ?? 0;
  // One action serves three forms; the failed one is told by the intent it posted.
  const failedIntent = result?.values.intent;
  const gradeFailed = result && failedIntent !== 'feedback' && failedIntent !== 'delete';
  const errors = gradeFailed ? result.fieldErrors : {};
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        {assignment ? (
          <Link to={`/assignments/${assignment.id}`} className="underline">
            {assignment.title}
          </Link>
        ) : (
          'Assignment'
        )}{' '}
        / {isInstructor ? studentName : 'Your submission'}
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{submission.videoTitle}</h1>
        <StatusBadge kind={submission.status} />
        {submission.isLate ? <StatusBadge kind="late" /> : null}
      </div>
      <p className="text-sm text-slate-700">
        {studentName} · submitted {formatDateTime(submission.submittedAt)}
      </p>
      {isInstructor ? (
        <nav aria-label="Ungraded submissions" className="flex flex-wrap gap-2">
          {previousUngradedId ? (
            <Link to={`/submissions/${previousUngradedId}`} className="btn-secondary py-1.5" rel="prev">
              ← Previous ungraded
            </Link>
          ) : null}
          {nextUngradedId ? (
            <Link to={`/submissions/${nextUngradedId}`} className="btn-secondary py-1.5" rel="next">
              Next ungraded →
            </Link>
          ) : null}
          {!previousUngradedId && !nextUngradedId ? (
            <p className="text-sm text-slate-700">No other submission of this assignment is waiting for a grade.</p>
          ) : null}
        </nav>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {playbackUrl ? (
            <VideoPlayer src={playbackUrl} type={contentType} title={submission.videoTitle} startAt={startAt} />
          ) : (
            <p>The video is unavailable.</p>
          )}
          <FormattedText text={submission.videoDescription} className="mt-3 text-slate-800" />
          <p className="mt-2">
            <Link to={submission.videoUrl} className="text-sm font-semibold text-brand-700 underline">
              Open the video page
            </Link>
          </p>
        </div>
        <div className="space-y-4">
          <aside aria-labelledby="grade-heading" className="card h-fit">
            <h2 id="grade-heading" className="text-lg font-semibold">
              Grade
            </h2>
            {submission.grade != null ? (
              <div className="mt-2" data-testid="grade-result">
                <p className="text-2xl font-bold">
                  {formatScore(submission.grade)} / {formatScore(maxScore)}
                </p>
                {submission.gradedAt ? (
                  <p className="text-xs text-slate-600">Graded {formatDateTime(submission.gradedAt)}</p>
                ) : null}
                {ltiScore ? <LmsScoreStatus status={ltiScore} /> : null}
                {submission.instructorFeedback ? (
                  <>
                    <h3 className="mt-3 font-semibold">Feedback</h3>
                    <FormattedText text={submission.instructorFeedback} className="mt-1 text-slate-800" />
                  </>
                ) : null}
              </div>
            ) : (
              <p className="mt-2 text-slate-700">
                {isInstructor ? 'Not graded yet.' : 'Your instructor has not graded this yet.'}
              </p>
            )}
            {isInstructor ? (
              <Form method="post" className="mt-4 space-y-4 border-t border-slate-200 pt-4" noValidate>
                <CsrfField />
                <FormError message={gradeFailed ? result.formError : null} />
                <Field
                  label={`Score (out of ${formatScore(maxScore)})`}
                  name="grade"
                  type="number"
                  step="any"
                  min="0"
                  max={maxScore}
                  required
                  defaultValue={
                    (gradeFailed ? result.values.grade : undefined) ??
                    (submission.grade != null ? String(submission.grade) : '')
                  }
                  errors={errors.grade}
                />
                <TextAreaField
                  label="Feedback"
                  name="feedback"
                  rows={5}
                  defaultValue={
                    (gradeFailed ? result.values.feedback : undefined) ?? submission.instructorFeedback ?? ''
                  }
                  errors={errors.feedback}
                />
                <button type="submit" className="btn-primary w-full" disabled={busy}>
                  {submission.grade != null ? 'Update grade' : 'Save grade'}
                </button>
              </Form>
            ) : null}
          </aside>
          <section aria-labelledby="moments" className="card h-fit">
            <h2 id="moments" className="scroll-mt-4 text-lg font-semibold">
              Moments in the video
            </h2>
            {failedIntent === 'delete' ? <FormError message={result?.formError} /> : null}
            {feedback.length ? (
              <div className="mt-3">
                <CommentList comments={feedback} allowReplies={false} />
              </div>
            ) : (
              <p className="mt-2 text-slate-700">
                {isInstructor ? 'Pause the video where you want to say something.' : 'No notes at moments yet.'}
              </p>
            )}
            {isInstructor ? (
              <div className="mt-4 border-t border-slate-200 pt-4">
                <CommentForm
                  intent="feedback"
                  label="Note at this moment"
                  submitLabel="Add note"
                  failure={failedIntent === 'feedback' ? result : null}
                />
              </div>
            ) : null}
          </section>
        </div>
      </div>
    </div>
  );
}
