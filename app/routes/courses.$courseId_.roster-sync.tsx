import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { requireActor } from '~/auth/current-user.server';
import { CsrfField } from '~/components/csrf-field';
import { FormError } from '~/components/form-field';
import { getCourseForEdit } from '~/services/courses.server';
import { getLmsRoster, syncRoster, type RosterSyncResult } from '~/services/lti-roster.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Sync roster · ClassCast' }];

/** The page a failed sync (or a visit without JavaScript's help) lands on: the error and a retry. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const courseId = params.courseId ?? '';
    const [course, lms] = await Promise.all([
      getCourseForEdit(context.services, actor, courseId),
      getLmsRoster(context.services, actor, courseId),
    ]);
    return { course: { id: course.id, title: course.title }, lms };
  });
}

function summary(result: RosterSyncResult): string {
  const parts = [
    `${result.added} added`,
    `${result.updated} updated`,
    `${result.deactivated} marked inactive`,
    `${result.unchanged} unchanged`,
  ];
  return `Roster synced from ${result.platformName}: ${parts.join(', ')}.`;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, async () => {
    const courseId = params.courseId ?? '';
    const result = await syncRoster(context.services, actor, courseId);
    return { redirectTo: `/courses/${courseId}`, toast: summary(result) };
  });
}

export default function RosterSync() {
  const { course, lms } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const source = lms?.platformName ?? 'the LMS';
  return (
    <div className="mx-auto max-w-xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link to={`/courses/${course.id}`} className="underline">
          {course.title}
        </Link>{' '}
        / Sync roster
      </nav>
      <h1 className="mt-1 text-2xl font-bold">Sync roster from {source}</h1>
      <p className="mt-3 text-slate-800">
        New members of the LMS course are added to {course.title}, role changes are applied, and people the LMS no
        longer lists are marked inactive. Nobody is removed.
      </p>
      {!lms ? (
        <p className="mt-3 text-slate-800" data-testid="roster-sync-unavailable">
          This course was not opened from an LMS, so there is no LMS roster to sync.
        </p>
      ) : !lms.canSync ? (
        <p className="mt-3 text-slate-800" data-testid="roster-sync-unavailable">
          {lms.platformName} does not offer its roster for this course. Ask your LMS administrator to enable Names and
          Role Provisioning for ClassCast.
        </p>
      ) : null}
      <Form method="post" className="mt-6 space-y-4">
        <CsrfField />
        <FormError message={result?.formError} />
        <div className="flex flex-wrap gap-3">
          {lms?.canSync ? (
            <button type="submit" className="btn-primary" disabled={busy}>
              {result ? 'Try again' : `Sync roster from ${source}`}
            </button>
          ) : null}
          <Link to={`/courses/${course.id}`} className="btn-secondary">
            Back to the course
          </Link>
        </div>
      </Form>
    </div>
  );
}
