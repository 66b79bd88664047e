import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { PersonAvatar } from '~/components/person-avatar';
import { acceptConnection, connectionsOverview, endConnection, requestConnection } from '~/services/connections.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Study buddies · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => connectionsOverview(context.services, actor, readPage(new URL(request.url))));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const ctx = context.services;
  const back = (toast: string) => ({ redirectTo: '/connections', toast });
  return handleForm(request, {
    connect: async (v) => back((await requestConnection(ctx, actor, { requestedId: v.userId })).message),
    accept: async (v) => {
      await acceptConnection(ctx, actor, v.connectionId ?? '');
      return back('You are now study buddies.');
    },
    decline: async (v) => {
      await endConnection(ctx, actor, v.connectionId ?? '', 'decline');
      return back('Request declined.');
    },
    cancel: async (v) => {
      await endConnection(ctx, actor, v.connectionId ?? '', 'cancel');
      return back('Request cancelled.');
    },
    remove: async (v) => {
      await endConnection(ctx, actor, v.connectionId ?? '', 'remove');
      return back('Study buddy removed.');
    },
  });
}

type Person = { id: string; name: string; avatar: string | null; role: string };

function PersonLine({ person, children }: { person: Person | null; children?: React.ReactNode }) {
  const shown = person ?? { id: '', name: 'Former user', avatar: null, role: 'student' };
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
      <div className="flex min-w-0 items-center gap-3">
        <PersonAvatar person={shown} />
        {person ? (
          <Link to={`/users/${person.id}`} className="font-medium underline">
            {person.name}
          </Link>
        ) : (
          <span className="font-medium">{shown.name}</span>
        )}
        <span className="text-xs capitalize text-slate-600">{shown.role}</span>
      </div>
      <div className="flex flex-wrap gap-2">{children}</div>
    </li>
  );
}

function ActionButton({
  intent,
  label,
  who,
  fields,
  primary,
}: {
  intent: string;
  label: string;
  who: string;
  fields: Record<string, string>;
  primary?: boolean;
}) {
  return (
    <Form method="post">
      <CsrfField />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        name="intent"
        value={intent}
        className={primary ? 'btn-primary py-1.5' : 'btn-secondary py-1.5'}
      >
        {label}
        <span className="sr-only"> {who}</span>
      </button>
    </Form>
  );
}

function Section({
  id,
  title,
  empty,
  count,
  children,
}: {
  id: string;
  title: string;
  empty: string;
  count: number;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {count ? (
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid={id}>
          {children}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-700">{empty}</p>
      )}
    </section>
  );
}

export default function ConnectionsPage() {
  const { incoming, outgoing, buddies, buddiesNextCursor, suggestions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const name = (p: Person | null) => p?.name ?? 'this person';
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Study buddies</h1>
        <p className="mt-1 text-slate-700">Connect with classmates to study together.</p>
      </div>
      <FormError message={result?.formError} />

      <Section id="incoming" title="Requests for you" empty="No requests waiting for you." count={incoming.length}>
        {incoming.map((c) => (
          <PersonLine key={c.connectionId} person={c.otherUser}>
            <ActionButton
              intent="accept"
              label="Accept"
              who={name(c.otherUser)}
              fields={{ connectionId: c.connectionId }}
              primary
            />
            <ActionButton
              intent="decline"
              label="Decline"
              who={name(c.otherUser)}
              fields={{ connectionId: c.connectionId }}
            />
          </PersonLine>
        ))}
      </Section>

      <Section
        id="outgoing"
        title="Requests you sent"
        empty="You have no requests waiting for an answer."
        count={outgoing.length}
      >
        {outgoing.map((c) => (
          <PersonLine key={c.connectionId} person={c.otherUser}>
            <ActionButton
              intent="cancel"
              label="Cancel request"
              who={name(c.otherUser)}
              fields={{ connectionId: c.connectionId }}
            />
          </PersonLine>
        ))}
      </Section>

      <Section id="buddies" title="Your study buddies" empty="No study buddies yet." count={buddies.length}>
        {buddies.map((c) => (
          <PersonLine key={c.connectionId} person={c.otherUser}>
            {c.otherUser ? (
              <Link to={`/messages/${c.otherUser.id}`} className="btn-secondary py-1.5">
                Message<span className="sr-only"> {c.otherUser.name}</span>
              </Link>
            ) : null}
            <ActionButton
              intent="remove"
              label="Remove"
              who={name(c.otherUser)}
              fields={{ connectionId: c.connectionId }}
            />
          </PersonLine>
        ))}
      </Section>
      {buddiesNextCursor ? (
        <p>
          <Link
            to={`?cursor=${encodeURIComponent(buddiesNextCursor)}`}
            className="font-semibold text-brand-700 underline"
          >
            More study buddies
          </Link>
        </p>
      ) : null}

      <Section
        id="suggestions"
        title="Classmates you could connect with"
        empty="No suggestions right now."
        count={suggestions.length}
      >
        {suggestions.map((p) => (
          <PersonLine key={p.id} person={p}>
            <ActionButton intent="connect" label="Connect" who={p.name} fields={{ userId: p.id }} primary />
          </PersonLine>
        ))}
      </Section>
    </div>
  );
}
