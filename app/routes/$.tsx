/**
 * Every URL no other route claims. Remix would answer those without running the root loader,
 * so the error page could not show who is signed in; matching them here keeps the real header.
 * Unknown /api paths answer in the JSON envelope, whatever the method.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { apiError } from '~/utils/api.server';
import { notFound } from '~/utils/errors';

function noSuchPage(request: Request): never {
  if (new URL(request.url).pathname.startsWith('/api/')) throw apiError(notFound('That API endpoint'));
  throw new Response('Not found', { status: 404 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  return noSuchPage(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return noSuchPage(request);
}

export default function NotFound() {
  return null;
}
