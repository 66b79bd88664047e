import { describe, expect, it } from 'vitest';
import { handleForm } from './page.server';

function formPost(body: string, type = 'application/x-www-form-urlencoded') {
  return new Request('http://127.0.0.1:3000/dashboard', { method: 'POST', headers: { 'Content-Type': type }, body });
}

/** A redirect is a Response; a form failure is Remix's `data()` result carrying its status. */
function statusOf(result: unknown): number | undefined {
  if (result instanceof Response) return result.status;
  return (result as { init?: { status?: number } }).init?.status;
}

describe('handleForm', () => {
  const handlers = {
    'create-course': async (values: Record<string, string>) => ({ redirectTo: `/courses/${values.title}` }),
  };

  it('runs the handler of the intent and redirects', async () => {
    const res = await handleForm(formPost('intent=create-course&title=x&_csrf=t'), handlers);
    expect(statusOf(res)).toBe(302);
    expect(res instanceof Response && res.headers.get('Location')).toBe('/courses/x');
  });

  it('answers an unknown or missing intent with a 400 form error, never a 500', async () => {
    for (const body of ['intent=drop-tables', 'intent=constructor', 'intent=__proto__', 'title=x']) {
      expect(statusOf(await handleForm(formPost(body), handlers)), body).toBe(400);
    }
  });

  it('answers a body that is not a form with a 400', async () => {
    const result = await handleForm(formPost('a=1', 'multipart/form-data'), async () => ({ redirectTo: '/' }));
    expect(statusOf(result)).toBe(400);
  });

  it('never hands the CSRF field to the service', async () => {
    let seen: Record<string, string> = {};
    await handleForm(formPost('title=x&_csrf=secret'), async (values) => {
      seen = values;
      return { redirectTo: '/' };
    });
    expect(seen).toEqual({ title: 'x' });
  });
});
