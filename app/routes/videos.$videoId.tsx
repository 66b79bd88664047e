import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { FormattedText } from '~/components/formatted-text';
import { VideoPlayer } from '~/components/video-player';
import { requireActor } from '~/auth/current-user.server';
import { watchVideo } from '~/services/videos.server';
import { formatDateTime } from '~/utils/format';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.video.title} · ClassCast` : 'Video · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => watchVideo(context.services, actor, params.videoId ?? ''));
}

export default function VideoPage() {
  const { video, playbackUrl, assignment, canSeeSubmission } = useLoaderData<typeof loader>();
  return (
    <article className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/courses/${video.courseId}`} className="underline">
          {video.courseName ?? 'Course'}
        </Link>
        {assignment ? (
          <>
            {' / '}
            <Link to={`/assignments/${assignment.id}`} className="underline">
              {assignment.title}
            </Link>
          </>
        ) : null}
      </nav>
      <h1 className="text-2xl font-bold">{video.title}</h1>
      <VideoPlayer src={playbackUrl} type={video.contentType} title={video.title} />
      <p className="text-sm text-slate-700">
        By <span className="font-medium">{video.userName}</span> · {formatDateTime(video.createdAt)} ·{' '}
        <span data-testid="view-count">
          {video.views} {video.views === 1 ? 'view' : 'views'}
        </span>
      </p>
      <FormattedText text={video.description} className="max-w-prose text-slate-800" />
      {canSeeSubmission && video.submissionId ? (
        <p>
          <Link to={`/submissions/${video.submissionId}`} className="font-semibold text-brand-700 underline">
            Submission, grade and feedback
          </Link>
        </p>
      ) : null}
    </article>
  );
}
