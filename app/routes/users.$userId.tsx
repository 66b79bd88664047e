import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { FormattedText } from '~/components/formatted-text';
import { PersonAvatar } from '~/components/person-avatar';
import { requestConnection } from '~/services/connections.server';
import { publicProfile } from '~/services/profiles.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.fullName} · ClassCast` : 'Profile · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(() => publicProfile(context.services, actor, params.userId ?? ''));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  const userId = params.userId ?? '';
  return handleForm(request, {
    connect: async () => {
      const { message } = await requestConnection(context.services, actor, { requestedId: userId });
      return { redirectTo: `/users/${userId}`, toast: message };
    },
  });
}

const ROLE_LABEL = { student: 'Student', instructor: 'Instructor', admin: 'Admin' } as const;

function ConnectionStatus({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { connection, mayConnect, isSelf, profile } = data;
  if (isSelf) {
    return (
      <Link to="/profile" className="btn-secondary">
        Edit your profile
      </Link>
    );
  }
  if (connection?.status === 'accepted')
    return <p className="text-sm font-medium text-green-800">You are study buddies.</p>;
  if (connection) {
    return (
      <p className="text-sm text-slate-700">
        {connection.sentByMe
          ? 'Your study-buddy request is waiting for an answer.'
          : `${profile.firstName} asked to be your study buddy.`}{' '}
        <Link to="/connections" className="font-semibold text-brand-700 underline">
          {connection.sentByMe ? 'See your requests' : 'Answer the request'}
        </Link>
      </p>
    );
  }
  if (!mayConnect) return null;
  return (
    <Form method="post">
      <CsrfField />
      <button type="submit" name="intent" value="connect" className="btn-primary">
        Connect as study buddies
      </button>
    </Form>
  );
}

export default function UserProfilePage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { profile, sharedCourses } = data;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <FormError message={result?.formError} />
      <div className="flex flex-wrap items-center gap-4">
        <PersonAvatar person={{ name: profile.fullName, avatar: profile.avatar }} size="lg" />
        <div className="min-w-0">
          <h1 className="text-2xl font-bold">{profile.fullName}</h1>
          <p className="text-slate-700">{ROLE_LABEL[profile.role]}</p>
          {profile.email ? (
            <p className="break-all text-sm text-slate-700" data-testid="profile-email">
              {profile.email}
            </p>
          ) : null}
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <ConnectionStatus data={data} />
        {data.mayMessage ? (
          <Link to={`/messages/${profile.id}`} className="btn-secondary">
            Message<span className="sr-only"> {profile.fullName}</span>
          </Link>
        ) : null}
      </div>
      <section aria-labelledby="bio">
        <h2 id="bio" className="text-lg font-semibold">
          About
        </h2>
        {profile.bio ? (
          <FormattedText text={profile.bio} className="mt-2 max-w-prose text-slate-800" />
        ) : (
          <p className="mt-2 text-sm text-slate-700">No bio yet.</p>
        )}
      </section>
      {sharedCourses.length ? (
        <section aria-labelledby="shared">
          <h2 id="shared" className="text-lg font-semibold">
            Courses you share
          </h2>
          <ul className="mt-2 list-inside list-disc text-slate-800">
            {sharedCourses.map((c) => (
              <li key={c.id}>
                <Link to={`/courses/${c.id}`} className="underline">
                  {c.title}
                </Link>{' '}
                <span className="text-sm text-slate-600">({c.code})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
