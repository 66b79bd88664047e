import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { AssignmentFields } from '~/components/assignment-fields';
import { AutoPostForm } from '~/components/auto-post-form';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { answerDeepLink, getDeepLinkPicker } from '~/services/lti-deep-linking.server';
import { formatDateTime, formatScore } from '~/utils/format';
import { formFailure, readForm } from '~/utils/forms.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Add a ClassCast assignment · ClassCast' }];

/**
 * The deep-linking picker (LTI Deep Linking 2.0), opened by an LtiDeepLinkingRequest launch.
 * `handoff` is the signed token the launch made (app/auth/lti-handoff.server.ts); every form
 * here carries it back, and the service trusts nothing else about the LMS's request.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const handoff = new URL(request.url).searchParams.get('handoff');
  return loadOrThrow(async () => ({ handoff, ...(await getDeepLinkPicker(context.services, actor, handoff)) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  let values: Record<string, string> = {};
  try {
    values = await readForm(request);
    const { intent, handoff, ...fields } = values;
    const answer = await answerDeepLink(context.services, actor, handoff ?? null, intent, fields);
    return { ok: true as const, answer };
  } catch (error) {
    return formFailure(error, values, values.intent);
  }
}

export default function DeepLinkPicker() {
  const { course, assignments, handoff } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.ok) {
    return (
      <AutoPostForm
        action={result.answer.returnUrl}
        fields={{ JWT: result.answer.jwt }}
        title={`Adding “${result.answer.title}” to your course`}
        message="ClassCast is sending the assignment to your LMS."
      />
    );
  }
  const failure = result && !result.ok ? result : null;
  const pickFailed = failure?.intent === 'pick';
  const createFailed = failure?.intent === 'create';
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Add a ClassCast assignment</h1>
        <p className="mt-1 text-slate-700">
          Choose what students of <strong>{course.title}</strong> open from this link. Their grades go to the LMS
          gradebook.
        </p>
      </div>
      {failure && !pickFailed && !createFailed ? <FormError message={failure.formError} /> : null}
      <section aria-labelledby="pick-heading" className="card space-y-4">
        <h2 id="pick-heading" className="text-lg font-semibold">
          An existing assignment
        </h2>
        {assignments.length ? (
          // A full document post: the answer page's auto-posting form must run as a page of its own.
          <Form method="post" reloadDocument className="space-y-4">
            <CsrfField />
            <input type="hidden" name="intent" value="pick" />
            <input type="hidden" name="handoff" value={handoff ?? ''} />
            <FormError message={pickFailed ? failure.formError : null} />
            <fieldset aria-describedby={pickFailed ? 'assignment-error' : undefined}>
              <legend className="label">Assignment</legend>
              {pickFailed && failure.fieldErrors.assignmentId ? (
                <p id="assignment-error" className="text-sm text-red-700">
                  {failure.fieldErrors.assignmentId.join(' ')}
                </p>
              ) : null}
              <ul className="mt-2 space-y-2">
                {assignments.map((a, i) => (
                  <li key={a.id} className="flex items-start gap-2">
                    <input
                      type="radio"
                      id={`assignment-${a.id}`}
                      name="assignmentId"
                      value={a.id}
                      defaultChecked={pickFailed ? failure.values.assignmentId === a.id : i === 0}
                      className="mt-1"
                    />
                    <label htmlFor={`assignment-${a.id}`}>
                      <span className="font-semibold">{a.title}</span>
                      <span className="block text-sm text-slate-600">
                        {formatScore(a.maxScore)} points · due {formatDateTime(a.dueDate)}
                        {a.status === 'draft' ? ' · draft (students cannot see it yet)' : ''}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <button type="submit" className="btn-primary">
              Add this assignment
            </button>
          </Form>
        ) : (
          <p className="text-slate-700">This course has no assignments yet. Create one below.</p>
        )}
      </section>
      <section aria-labelledby="create-heading" className="card space-y-4">
        <h2 id="create-heading" className="text-lg font-semibold">
          A new assignment
        </h2>
        <Form method="post" reloadDocument className="space-y-4" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="handoff" value={handoff ?? ''} />
          <FormError message={createFailed ? failure.formError : null} />
          <AssignmentFields
            values={createFailed ? failure.values : {}}
            errors={createFailed ? failure.fieldErrors : {}}
          />
          <button type="submit" className="btn-primary">
            Create and add
          </button>
        </Form>
      </section>
    </div>
  );
}
