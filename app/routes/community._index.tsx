import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { PostCard } from '~/components/community/post-card';
import { PostFields } from '~/components/community/post-fields';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { getCommunityPage } from '~/services/community-page.server';
import { createPost, likePost } from '~/services/posts.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow, samePage } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.course ? `Community · ${data.course.title} · ClassCast` : 'Community · ClassCast' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => {
    const url = new URL(request.url);
    return getCommunityPage(context.services, actor, url.searchParams.get('courseId') || null, readPage(url));
  });
}

/**
 * A refused form (4xx) changed nothing: the page stays as it was, with the refusal shown
 * beside its form (a failed like falls back to the state the page already had).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus !== undefined && actionStatus >= 400 && actionStatus < 500 ? false : defaultShouldRevalidate;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, {
    'create-post': async (values) => {
      const post = await createPost(context.services, actor, values);
      return { redirectTo: `/community?courseId=${encodeURIComponent(post.courseId)}`, toast: 'Your post is up.' };
    },
    like: async (values) => {
      await likePost(context.services, actor, values.postId ?? '', values);
      return { redirectTo: samePage(request) };
    },
  });
}

export default function Community() {
  const { courses, course, posts, nextCursor, mayAnnounce } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const creating = result?.intent === 'create-post' ? result : null;
  return (
    <div className="space-y-8">
      {result && !creating ? <FormError message={result.formError} /> : null}
      <div>
        <h1 className="text-2xl font-bold">Community{course ? `: ${course.title}` : ''}</h1>
        <p className="mt-1 text-slate-700">Questions, ideas and announcements, shared with your class.</p>
      </div>

      {courses.length > 1 ? (
        <nav aria-label="Courses">
          <ul className="flex flex-wrap gap-2">
            {courses.map((c) => (
              <li key={c.id}>
                <Link
                  to={`/community?courseId=${encodeURIComponent(c.id)}`}
                  aria-current={c.id === course?.id ? 'page' : undefined}
                  className={c.id === course?.id ? 'btn-primary' : 'btn-secondary'}
                >
                  {c.code} · {c.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {!course ? (
        <p className="text-slate-700">
          You are not in a course yet.{' '}
          <Link to="/dashboard" className="font-semibold text-brand-700 underline">
            Join or create one on your dashboard
          </Link>{' '}
          to meet your class here.
        </p>
      ) : (
        <div className="grid gap-6 md:grid-cols-3">
          <section aria-labelledby="posts" className="space-y-4 md:col-span-2">
            <h2 id="posts" className="text-lg font-semibold">
              Posts
            </h2>
            {posts.length ? (
              <div className="space-y-4">
                {posts.map((post) => (
                  <PostCard key={post.id} post={post} />
                ))}
              </div>
            ) : (
              <p className="text-slate-700">No posts yet. Start the conversation.</p>
            )}
            {nextCursor ? (
              <p>
                <Link
                  to={`?courseId=${encodeURIComponent(course.id)}&cursor=${encodeURIComponent(nextCursor)}`}
                  className="font-semibold text-brand-700 underline"
                >
                  Older posts
                </Link>
              </p>
            ) : null}
          </section>

          <section aria-labelledby="new-post" className="card h-fit">
            <h2 id="new-post" className="text-lg font-semibold">
              New post
            </h2>
            <Form method="post" className="mt-4 space-y-4" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="create-post" />
              <input type="hidden" name="courseId" value={course.id} />
              <FormError message={creating?.formError} />
              <PostFields
                values={creating?.values ?? {}}
                errors={creating?.fieldErrors ?? {}}
                mayAnnounce={mayAnnounce}
              />
              <button type="submit" className="btn-primary w-full" disabled={busy}>
                Post
              </button>
            </Form>
          </section>
        </div>
      )}
    </div>
  );
}
