import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { PlatformFields } from '~/components/lti/platform-fields';
import { ToolSetup } from '~/components/lti/tool-setup';
import { listToolKeys, rotateKeysAsAdmin } from '~/services/lti-keys.server';
import { createPlatform, listPlatforms } from '~/services/lti-platforms.server';
import { toolSetup } from '~/services/lti-tool-setup.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'LMS platforms · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const { platforms, nextCursor } = await listPlatforms(context.services, actor, readPage(new URL(request.url)));
    const keys = await listToolKeys(context.services, actor);
    return { platforms, nextCursor, keys, setup: toolSetup(context.services) };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, {
    create: async (values) => {
      const platform = await createPlatform(context.services, actor, values);
      return {
        redirectTo: `/admin/lti/${platform.id}`,
        toast: `${platform.name} is registered. Paste ClassCast’s details below into it.`,
      };
    },
    rotate: async () => {
      const rotation = await rotateKeysAsAdmin(context.services, actor);
      return {
        redirectTo: '/admin/lti',
        toast: rotation.alreadyScheduled
          ? `A new signing key is already published; it signs from ${rotation.next.signsFrom.slice(0, 16).replace('T', ' ')} UTC.`
          : `A new signing key is published; it signs from ${rotation.next.signsFrom.slice(0, 16).replace('T', ' ')} UTC.`,
      };
    },
  });
}

const KEY_STATE: Record<'signing' | 'next' | 'retiring', string> = {
  signing: 'Signing now',
  next: 'Published, signs later',
  retiring: 'Retiring',
};

export default function AdminLtiPage() {
  const { platforms, nextCursor, keys, setup } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const createFailed = result?.intent === 'create';
  return (
    <div className="space-y-8">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link to="/admin/users" className="underline">
            Admin
          </Link>{' '}
          / LMS platforms
        </nav>
        <h1 className="mt-1 text-2xl font-bold">LMS platforms (LTI 1.3)</h1>
        <p className="mt-1 max-w-prose text-slate-700">
          Each registration lets one LMS (Canvas, Moodle, Blackboard, D2L…) open ClassCast inside its courses, send
          grades back and share its rosters.
        </p>
      </div>

      <section aria-labelledby="registered">
        <h2 id="registered" className="text-lg font-semibold">
          Registered platforms
        </h2>
        {platforms.length ? (
          <ul
            className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
            data-testid="lti-platforms"
          >
            {platforms.map((p) => (
              <li key={p.id} className="px-4 py-3">
                <Link to={`/admin/lti/${p.id}`} className="font-medium underline">
                  {p.name}
                </Link>
                <p className="break-all text-sm text-slate-700">
                  {p.issuer} · client id {p.clientId} · {p.deploymentIds.length}{' '}
                  {p.deploymentIds.length === 1 ? 'deployment' : 'deployments'}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-slate-700">No LMS is registered yet.</p>
        )}
        {nextCursor ? (
          <p className="mt-3">
            <Link to={`?cursor=${encodeURIComponent(nextCursor)}`} className="font-semibold text-brand-700 underline">
              More platforms
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="register" className="card">
        <h2 id="register" className="text-lg font-semibold">
          Register a platform
        </h2>
        <Form method="post" className="mt-4 space-y-4" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="create" />
          <FormError message={createFailed ? result?.formError : null} />
          <PlatformFields
            values={createFailed ? (result?.values ?? {}) : {}}
            errors={createFailed ? (result?.fieldErrors ?? {}) : {}}
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            Register platform
          </button>
        </Form>
      </section>

      <ToolSetup setup={setup} headingId="tool-setup" />

      <section aria-labelledby="signing-keys" className="card space-y-3">
        <h2 id="signing-keys" className="text-lg font-semibold">
          Signing keys
        </h2>
        <p className="text-sm text-slate-700">
          ClassCast signs its requests to LMSs with these keys; their public halves are at {setup.jwksUrl}. A new key is
          published an hour before it signs, and the old one stays published until its last token has expired.
        </p>
        {keys.length ? (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="lti-keys">
            {keys.map((k) => (
              <li key={k.kid} className="py-2">
                <span className="break-all font-mono">{k.kid}</span> · {KEY_STATE[k.state]} · signs from{' '}
                <time dateTime={k.signsFrom}>{k.signsFrom.slice(0, 16).replace('T', ' ')}</time>
                {k.retiresAt ? (
                  <>
                    {' '}
                    · retires <time dateTime={k.retiresAt}>{k.retiresAt.slice(0, 16).replace('T', ' ')}</time>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">No key yet: the first one is made when an LMS first needs it.</p>
        )}
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="rotate" />
          <FormError message={result?.intent === 'rotate' ? result.formError : null} />
          <button type="submit" className="btn-secondary" disabled={busy}>
            Rotate signing key
          </button>
        </Form>
      </section>
    </div>
  );
}
