import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link } from '@remix-run/react';
import { homeFor } from '~/auth/redirect';
import { getSignedInUser } from '~/auth/current-user.server';

export const meta: MetaFunction = () => [{ title: 'ClassCast · Video answers for every class' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await getSignedInUser(request, context.services);
  if (signedIn) throw redirect(homeFor(signedIn));
  return null;
}

const FEATURES = [
  ['Video answers', 'Students record or upload their answer; it goes straight to secure storage.'],
  ['Fast grading', 'Watch, score and leave feedback side by side, then students see it at once.'],
  ['A class community', 'A course feed, comments, study buddies and messages, in one place.'],
] as const;

export default function Index() {
  return (
    <div>
      <section className="py-8">
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">
          Video answers, feedback and community for your classes
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">
          ClassCast lets instructors set video assignments and grade them quickly, and gives every course a place to
          talk. It works in any browser, with or without JavaScript, and inside your LMS.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link to="/signup" className="btn-primary">
            Create an account
          </Link>
          <Link to="/login" className="btn-secondary">
            Log in
          </Link>
        </div>
      </section>
      <section aria-labelledby="features" className="mt-6">
        <h2 id="features" className="sr-only">
          Features
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3">
          {FEATURES.map(([title, text]) => (
            <li key={title} className="card">
              <h3 className="font-semibold">{title}</h3>
              <p className="mt-2 text-sm text-slate-700">{text}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
