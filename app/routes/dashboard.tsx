import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { CsrfField } from '~/components/csrf-field';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CourseFields } from '~/components/course-fields';
import { CourseList } from '~/components/course-list';
import { Field, FormError } from '~/components/form-field';
import { requireActor } from '~/auth/current-user.server';
import { DueNext } from '~/components/dashboard/due-next';
import { RecentGrades } from '~/components/dashboard/recent-grades';
import { ToGrade } from '~/components/dashboard/to-grade';
import { createCourse, joinCourse } from '~/services/courses.server';
import { getDashboard } from '~/services/dashboard.server';
import { displayName } from '~/services/users.server';
import { readPage } from '~/utils/api.server';
import { handleForm, loadOrThrow } from '~/utils/page.server';

export const meta: MetaFunction = () => [{ title: 'Dashboard · ClassCast' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return loadOrThrow(async () => {
    const page = readPage(new URL(request.url));
    const dashboard = await getDashboard(context.services, actor, page);
    return { user: { name: displayName(actor), firstName: actor.firstName, role: actor.role }, dashboard };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context.services);
  return handleForm(request, {
    'create-course': async (values) => {
      const course = await createCourse(context.services, actor, values);
      return { redirectTo: `/courses/${course.id}`, toast: `Course created. Join code: ${course.joinCode}` };
    },
    'join-course': async (values) => {
      const course = await joinCourse(context.services, actor, values);
      return { redirectTo: `/courses/${course.id}`, toast: `You joined ${course.title}.` };
    },
  });
}

export default function Dashboard() {
  const { user, dashboard } = useLoaderData<typeof loader>();
  const { courses, nextCursor } = dashboard;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const isInstructor = user.role === 'instructor' || user.role === 'admin';
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  // A refusal that belongs to neither form (an unknown or missing intent) still gets said.
  const strayError = result && result.intent !== 'create-course' && result.intent !== 'join-course';
  return (
    <div className="space-y-8">
      {strayError ? <FormError message={result.formError} /> : null}
      <div>
        <h1 className="text-2xl font-bold">Welcome, {user.firstName}</h1>
        <p className="mt-1 text-slate-700">
          {isInstructor ? 'Your teaching dashboard.' : 'Your courses and assignments.'}
        </p>
      </div>

      {dashboard.kind === 'student' ? (
        <div className="grid gap-6 md:grid-cols-2">
          <DueNext items={dashboard.dueNext} />
          <RecentGrades items={dashboard.recentGrades} />
        </div>
      ) : (
        <ToGrade items={dashboard.toGrade} />
      )}

      <div className="grid gap-6 md:grid-cols-3">
        <section aria-labelledby="my-courses" className="md:col-span-2">
          <h2 id="my-courses" className="text-lg font-semibold">
            My courses
          </h2>
          <CourseList
            courses={courses}
            emptyText={
              isInstructor
                ? 'You have not created a course yet.'
                : 'You have not joined a course yet. Ask your instructor for the join code.'
            }
          />
          {nextCursor ? (
            <p className="mt-4">
              <Link to={`?cursor=${encodeURIComponent(nextCursor)}`} className="font-semibold text-brand-700 underline">
                More courses
              </Link>
            </p>
          ) : null}
        </section>

        {isInstructor ? (
          <section aria-labelledby="create-course" className="card h-fit">
            <h2 id="create-course" className="text-lg font-semibold">
              Create a course
            </h2>
            <Form method="post" className="mt-4 space-y-4" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="create-course" />
              {result?.intent === 'create-course' ? <FormError message={result.formError} /> : null}
              <CourseFields values={values} errors={errors} mode="create" />
              <button type="submit" className="btn-primary w-full" disabled={busy}>
                Create course
              </button>
            </Form>
          </section>
        ) : (
          <section aria-labelledby="join-course" className="card h-fit">
            <h2 id="join-course" className="text-lg font-semibold">
              Join a course
            </h2>
            <Form method="post" className="mt-4 space-y-4" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="join-course" />
              {result?.intent === 'join-course' ? <FormError message={result.formError} /> : null}
              <Field
                label="Join code"
                name="joinCode"
                required
                autoComplete="off"
                autoCapitalize="characters"
                defaultValue={values.joinCode}
                errors={errors.joinCode}
              />
              <button type="submit" className="btn-primary w-full" disabled={busy}>
                Join course
              </button>
            </Form>
          </section>
        )}
      </div>
    </div>
  );
}
