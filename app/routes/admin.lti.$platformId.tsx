import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { PlatformFields } from '~/components/lti/platform-fields';
import { ToolSetup } from '~/components/lti/tool-setup';
import { getPlatform, updatePlatform } from '~/services/lti-platforms.server';
import { toolSetup } from '~/services/lti-tool-setup.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.platform.name} · LMS platforms · ClassCast` : 'LMS platform · ClassCast' },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const platform = await getPlatform(context.services, actor, params.platformId ?? '');
    return { platform, setup: toolSetup(context.services) };
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async (values) => {
    const platform = await updatePlatform(context.services, actor, params.platformId ?? '', values);
    return { redirectTo: `/admin/lti/${platform.id}`, toast: `${platform.name} is saved.` };
  });
}

export default function EditLtiPlatform() {
  const { platform, setup } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? { ...platform, deploymentIds: platform.deploymentIds.join('\n') };
  return (
    <div className="space-y-8">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link to="/admin/lti" className="underline">
            LMS platforms
          </Link>{' '}
          / {platform.name}
        </nav>
        <h1 className="mt-1 text-2xl font-bold">{platform.name}</h1>
        <p className="mt-1 break-all text-slate-700">
          {platform.issuer} · client id {platform.clientId}
        </p>
      </div>

      <ToolSetup setup={setup} headingId="tool-setup" />

      <section aria-labelledby="edit-platform" className="card">
        <h2 id="edit-platform" className="text-lg font-semibold">
          Edit registration
        </h2>
        <Form method="post" className="mt-4 space-y-4" noValidate>
          <CsrfField />
          <FormError message={result?.formError} />
          <PlatformFields values={values} errors={result?.fieldErrors ?? {}} />
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn-primary" disabled={busy}>
              Save registration
            </button>
            <Link to={`/admin/lti/${platform.id}/delete`} className="btn-danger">
              Delete registration
            </Link>
          </div>
        </Form>
      </section>
    </div>
  );
}
