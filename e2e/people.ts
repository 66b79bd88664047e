/** People in their own browser contexts (own cookies), each created through the API. */
import type { Browser, BrowserContext } from '@playwright/test';
import { createAccount, expect, type TestUser } from './fixtures';

export async function signedIn(browser: Browser, role: TestUser['role'], firstName: string) {
  const context = await browser.newContext();
  const user = await createAccount(context.request, role, firstName);
  const me = (await (await context.request.get('/api/auth/me')).json()).user;
  return { context, page: await context.newPage(), user, id: me.id as string, name: `${firstName} ${user.lastName}` };
}

export type SignedInPerson = Awaited<ReturnType<typeof signedIn>>;

/** An instructor with a new course and the named students enrolled in it. */
export async function classWith(browser: Browser, ...names: string[]) {
  const teacher = await signedIn(browser, 'instructor', 'Tara');
  const course = (
    await (await teacher.context.request.post('/api/courses', { data: { title: 'Study Skills', code: 'SS-1' } })).json()
  ).data;
  const students: SignedInPerson[] = [];
  for (const name of names) {
    const student = await signedIn(browser, 'student', name);
    const joined = await student.context.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
    expect(joined.status()).toBe(201);
    students.push(student);
  }
  return { teacher, course, students };
}

export async function closeAll(...contexts: BrowserContext[]) {
  await Promise.all(contexts.map((c) => c.close()));
}
