import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { FeedCard } from '~/components/feed/feed-card';
import { getStudentFeed } from '~/services/feed.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Feed · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  // The feed gathers a student's classes; people who teach or run them start at the dashboard.
  if (actor.role !== 'student') throw redirect('/dashboard');
  const cursor = new URL(request.url).searchParams.get('cursor') ?? undefined;
  return loadOrThrow(async () => ({
    paged: Boolean(cursor),
    ...(await getStudentFeed(context.services, actor, { cursor })),
  }));
}

export default function Feed() {
  const { feed, courses, nextCursor, paged } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Your feed</h1>
        <p className="mt-1 text-slate-700">
          {courses.length
            ? `New videos, posts and assignments from ${courses.map((c) => c.name).join(', ')}.`
            : 'Videos, posts and assignments from your courses appear here.'}
        </p>
      </div>
      {feed.length ? (
        <ol className="space-y-4" aria-label="Feed items">
          {feed.map((item) => (
            <li key={`${item.type}-${item.id}`}>
              <FeedCard item={item} />
            </li>
          ))}
        </ol>
      ) : courses.length ? (
        <p className="card text-slate-700" data-testid="feed-empty">
          {paged
            ? 'There is nothing older than this.'
            : 'Nothing here yet. When classmates submit videos or post in the community, it shows up here.'}
        </p>
      ) : (
        <div className="card" data-testid="feed-empty">
          <p className="text-slate-800">You have not joined a course yet, so your feed is empty.</p>
          <p className="mt-2">
            <Link to="/dashboard" className="font-semibold text-brand-700 underline">
              Join a course with the code from your instructor
            </Link>
          </p>
        </div>
      )}
      <nav aria-label="Feed pages" className="flex flex-wrap gap-4">
        {paged ? (
          <Link to="/feed" className="font-semibold text-brand-700 underline">
            Back to the newest
          </Link>
        ) : null}
        {nextCursor ? (
          <Link to={`?cursor=${encodeURIComponent(nextCursor)}`} className="font-semibold text-brand-700 underline">
            Load more
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
