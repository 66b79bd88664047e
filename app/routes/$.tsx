/**
 * Every page URL no other route claims. Remix would answer those without running the root
 * loader, so the error page could not show who is signed in; matching them here keeps the real
 * header. (Unknown /api paths are api.$.ts.)
 */
export async function loader() {
  throw new Response('Not found', { status: 404 });
}

export async function action() {
  throw new Response('Not found', { status: 404 });
}

export default function NotFound() {
  return null;
}
