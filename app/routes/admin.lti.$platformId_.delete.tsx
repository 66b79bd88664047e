import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { ConfirmAction } from '~/components/confirm-action';
import { deletePlatform, getPlatform } from '~/services/lti-platforms.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Delete LMS registration · ClassCast' }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => ({ platform: await getPlatform(context.services, actor, params.platformId ?? '') }));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const platform = await deletePlatform(context.services, actor, params.platformId ?? '');
    return { redirectTo: '/admin/lti', toast: `${platform.name} was removed.` };
  });
}

export default function DeleteLtiPlatform() {
  const { platform } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <ConfirmAction
      title={`Delete the registration of ${platform.name}?`}
      confirmLabel="Delete registration"
      cancelTo={`/admin/lti/${platform.id}`}
      error={result?.formError}
    >
      <p>
        {platform.name} will no longer be able to open ClassCast, send its users here or receive grades. Courses,
        assignments, submissions and grades made through it stay in ClassCast.
      </p>
      <p>To connect it again, register it again with the same issuer and client id.</p>
    </ConfirmAction>
  );
}
