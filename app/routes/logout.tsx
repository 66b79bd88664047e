import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { destroySessionCookie } from '~/auth/session.server';

export async function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  return redirect('/', { headers: { 'Set-Cookie': await destroySessionCookie(request, context.services) } });
}
