import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { PostFields } from '~/components/community/post-fields';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { getPostForEdit } from '~/services/community-page.server';
import { updatePost } from '~/services/posts.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Edit post · Community · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => getPostForEdit(context.services, actor, params.postId ?? ''));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    // The form sends only the fields this person may change; the service refuses the rest.
    const post = await updatePost(context.services, actor, params.postId ?? '', values);
    return { redirectTo: `/community/posts/${post.id}`, toast: 'Post saved.' };
  });
}

export default function EditPost() {
  const { post, course, may } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? { title: post.title, content: post.content };
  return (
    <div className="mx-auto max-w-xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/community?courseId=${encodeURIComponent(course.id)}`} className="underline">
          Community: {course.title}
        </Link>{' '}
        /{' '}
        <Link to={`/community/posts/${post.id}`} className="underline">
          Post
        </Link>{' '}
        / Edit
      </nav>
      <h1 className="mt-1 text-2xl font-bold">Edit post</h1>
      {!may.edit ? (
        <p className="mt-2 text-slate-700">
          As the course instructor you can mark “<span className="break-words">{post.title}</span>” as an announcement;
          only its author can change its words.
        </p>
      ) : null}
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        <PostFields
          values={values}
          errors={result?.fieldErrors ?? {}}
          withText={may.edit}
          mayAnnounce={may.announce}
          announced={post.isAnnouncement}
        />
        <div className="flex flex-wrap gap-3">
          <button type="submit" className="btn-primary" disabled={busy}>
            Save post
          </button>
          <Link to={`/community/posts/${post.id}`} className="btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </div>
  );
}
