import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { describeUnsubscribe, unsubscribe } from '~/services/mail-preferences.server';
import { loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Unsubscribe · ClassCast' }];

/**
 * The link in every non-account mail. GET shows what would stop and asks to confirm (a link
 * checker opening it changes nothing); POST — from this page or a mail client's one-click
 * (RFC 8058), no cookie needed, the signed token in the URL is the authority — turns it off.
 */
function tokenOf(request: Request): string {
  return new URL(request.url).searchParams.get('token') ?? '';
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenOf(request);
  return loadOrThrow(async () => ({ token, view: await describeUnsubscribe(context.services, token) }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  return loadOrThrow(async () => ({ done: await unsubscribe(context.services, tokenOf(request)) }));
}

export default function Unsubscribe() {
  const { token, view } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.done) {
    return (
      <div className="mx-auto max-w-xl">
        <h1 className="text-2xl font-bold">You are unsubscribed</h1>
        <p className="mt-3 text-slate-800" role="status">
          ClassCast will send you no more {result.done.label}.
        </p>
        <p className="mt-3 text-slate-800">
          You can turn it back on in your{' '}
          <Link to="/settings" className="font-semibold text-brand-700 underline">
            settings
          </Link>
          .
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Unsubscribe</h1>
      {view.alreadyOff ? (
        <p className="mt-3 text-slate-800">{`You already get no ${view.label}.`}</p>
      ) : (
        <p className="mt-3 text-slate-800">{`Stop ${view.label}? Other mail, such as password resets, still reaches you.`}</p>
      )}
      <Form
        method="post"
        action={`/unsubscribe?token=${encodeURIComponent(token)}`}
        className="mt-6 flex flex-wrap gap-3"
      >
        <button type="submit" className="btn-primary">
          {view.alreadyOff ? 'Confirm unsubscribe' : `Turn off ${view.label}`}
        </button>
        <Link to="/" className="btn-secondary">
          Keep them
        </Link>
      </Form>
    </div>
  );
}
