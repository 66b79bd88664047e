import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { destroySessionCookie } from '~/auth/session.server';
import { CsrfField } from '~/components/csrf-field';
import { Field, FormError } from '~/components/form-field';
import { deleteMyAccount } from '~/services/account-settings.server';
import { formFailure, readForm } from '~/utils/forms.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context.services);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  let values: Record<string, string> = {};
  try {
    values = await readForm(request);
    await deleteMyAccount(context.services, actor, values);
  } catch (error) {
    return formFailure(error, values);
  }
  return redirect('/', { headers: await destroySessionCookie(request, context.services) });
}

export default function DeleteAccountPage() {
  const result = useActionData<typeof action>();
  return (
    <section className="card space-y-4" aria-labelledby="delete-heading">
      <h2 id="delete-heading" className="text-lg font-semibold">
        Delete your account
      </h2>
      <p className="text-slate-800">
        You are signed out everywhere and cannot sign in again. Your submissions, grades, posts and comments stay in
        their courses under the name “Deleted user”; your name, email, password, photo and bio are removed. Instructors
        archive or hand over their courses first.
      </p>
      <Form method="post" className="space-y-4" noValidate>
        <CsrfField />
        <FormError message={result?.formError} />
        <Field label="Type DELETE to confirm" name="confirm" required errors={result?.fieldErrors?.confirm} />
        <button type="submit" className="btn-danger">
          Delete my account
        </button>
      </Form>
    </section>
  );
}
