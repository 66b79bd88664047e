/**
 * Where S3 sends the browser back after a no-JS upload (`?bucket=&key=&etag=`): the student
 * names the video and confirms; the action finalizes like POST /api/video-submissions.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FormError, TextAreaField } from '~/components/form-field';
import { requireActor } from '~/auth/current-user.server';
import { finalizeSubmission, getSubmitConfirmation } from '~/services/finalize.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Confirm your submission · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const url = new URL(request.url);
  // S3 appends key to a URL that may already carry one: the last is S3's.
  const fileKey = url.searchParams.getAll('key').pop() ?? '';
  return loadOrThrow(() => getSubmitConfirmation(context.services, actor, params.assignmentId ?? '', fileKey));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    const { submission } = await finalizeSubmission(context.services, actor, {
      ...values,
      assignmentId: params.assignmentId,
    });
    return { redirectTo: `/submissions/${submission.id}`, toast: 'Your video was submitted.' };
  });
}

export default function ConfirmSubmission() {
  const { assignment, fileKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/assignments/${assignment.id}`} className="underline">
          {assignment.title}
        </Link>{' '}
        / Confirm
      </nav>
      <h1 className="mt-1 text-2xl font-bold">Your video is uploaded</h1>
      <p className="mt-2 text-slate-700">Give it a title and submit it. Until you do, nobody sees it.</p>
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        {errors.file ? <p className="text-sm text-red-700">{errors.file.join(' ')}</p> : null}
        <input type="hidden" name="fileKey" value={fileKey} />
        <Field
          label="Title"
          name="videoTitle"
          defaultValue={result?.values.videoTitle ?? ''}
          errors={errors.videoTitle}
        />
        <TextAreaField
          label="Description"
          name="videoDescription"
          rows={3}
          defaultValue={result?.values.videoDescription ?? ''}
          errors={errors.videoDescription}
        />
        <button type="submit" className="btn-primary" disabled={busy}>
          Submit video
        </button>
      </Form>
    </div>
  );
}
