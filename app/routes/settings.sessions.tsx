import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { getCookieSessionId } from '~/auth/session.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { listMySessions, signOutOtherSessions, signOutSession } from '~/services/account-settings.server';
import { formatDateTime } from '~/utils/format';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const current = await getCookieSessionId(request);
  return { sessions: await loadOrThrow(() => listMySessions(context.services, actor, current)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const current = await getCookieSessionId(request);
  return handleForm(request, {
    others: async () => {
      const { revokedSessions } = await signOutOtherSessions(context.services, actor, current);
      return { redirectTo: '/settings/sessions', toast: `Signed out ${revokedSessions} other session(s).` };
    },
    one: async (values) => {
      await signOutSession(context.services, actor, values.sessionId);
      return { redirectTo: '/settings/sessions', toast: 'That session is signed out.' };
    },
  });
}

export default function SessionsPage() {
  const { sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section className="card space-y-4" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        Where you are signed in
      </h2>
      <FormError message={result?.formError} />
      <ul className="divide-y divide-slate-100" data-testid="sessions">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-3 py-3">
            <div className="min-w-0 flex-1">
              <p className="font-medium">
                {s.device} {s.current ? <span className="text-sm text-green-800">(this device)</span> : null}
              </p>
              <p className="text-sm text-slate-700">
                Last seen {formatDateTime(s.lastSeenAt)} · signed in {formatDateTime(s.createdAt)}
              </p>
            </div>
            {s.current ? null : (
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="intent" value="one" />
                <input type="hidden" name="sessionId" value={s.id} />
                <button
                  type="submit"
                  className="btn-secondary"
                  aria-label={`Sign out ${s.device}, last seen ${formatDateTime(s.lastSeenAt)}`}
                >
                  Sign out
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="others" />
          <button type="submit" className="btn-primary">
            Sign out everywhere else
          </button>
        </Form>
      ) : (
        <p className="text-slate-700">You are signed in on this device only.</p>
      )}
    </section>
  );
}
