/**
 * Mail over real SMTP (the e2e server's test mailbox): a graded submission mails the student,
 * and the mail's one-click unsubscribe (RFC 8058: a cookie-less POST, as a mail client sends
 * it) turns grade mail off.
 */
import { fakeMp4 } from './video-fixture';
import {
  courseWithAssignment,
  enrolledStudent,
  newClient,
  newInstructorClient,
  uploadAndFinalize,
} from './course-builders';
import { expect, test } from './fixtures';
import { linkTo, mailsTo, waitForMail } from './mailbox';

const SMALL = fakeMp4(4096);
const HOSTILE = `Pitch <script>alert("x")</script> & more`;

test('a graded submission mails the verified student once; one-click unsubscribe turns grade mail off', async ({
  playwright,
  baseURL,
}) => {
  const teacher = await newInstructorClient(playwright, baseURL);
  const { course, assignment } = await courseWithAssignment(teacher, { title: HOSTILE });
  const student = await newClient(playwright, baseURL);
  const alice = await enrolledStudent(student, course.joinCode, 'Alice');

  // Unverified accounts get only the verification mail: confirm the address first.
  const verification = await waitForMail(student, { to: alice.email, subject: 'Confirm your' });
  const token = decodeURIComponent(new URL(linkTo(verification, '/verify-email/')).pathname.split('/').pop()!);
  const confirmed = await student.post('/api/auth/verify-email', { data: { token } });
  expect(confirmed.status(), await confirmed.text()).toBe(200);
  const me = (await (await student.get('/api/auth/me')).json()).user;
  expect(me.emailVerified).toBe(true);

  const finalized = await uploadAndFinalize(student, assignment.id, SMALL);
  expect(finalized.status(), await finalized.text()).toBeLessThan(300);
  const submission = (await finalized.json()).submission;
  const graded = await teacher.post(`/api/video-submissions/${submission.id}/grade`, { data: { grade: 9 } });
  expect(graded.status(), await graded.text()).toBe(200);

  const mail = await waitForMail(student, { to: alice.email, subject: 'Graded:' });
  expect(mail.subject).toBe(`Graded: ${HOSTILE}`);
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('&lt;script&gt;');
  expect(mail.headers['list-unsubscribe-post']).toContain('List-Unsubscribe=One-Click');
  const unsubscribe = linkTo(mail, '/unsubscribe');

  // The page asks first; a link checker's GET changes nothing.
  const page = await student.get(unsubscribe);
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('mails about your grades');

  // The mail client's one-click POST: no cookie, no CSRF token, from nowhere.
  const mailClient = await playwright.request.newContext();
  const oneClick = await mailClient.post(unsubscribe, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: 'List-Unsubscribe=One-Click',
  });
  expect(oneClick.status()).toBe(200);
  expect(await (await mailClient.get(unsubscribe)).text()).toContain('You already get no mails about your grades');

  // A tampered token is a clear 400, never a 500.
  const tampered = await mailClient.post(`${unsubscribe}x`, { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(tampered.status()).toBe(400);

  // A regrade notifies again, but mails no more.
  await teacher.post(`/api/video-submissions/${submission.id}/grade`, { data: { grade: 10 } });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect((await mailsTo(student, alice.email)).filter((m) => m.subject.startsWith('Graded:'))).toHaveLength(1);
  await mailClient.dispose();
});

test('the unsubscribe page answers a missing, malformed or forged token with a clear 400', async ({
  playwright,
  baseURL,
}) => {
  const nobody = await playwright.request.newContext({ baseURL });
  const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwicHJlZiI6ImdyYWRlcyJ9.c2lnbmF0dXJl';
  for (const url of ['/unsubscribe', '/unsubscribe?token=', '/unsubscribe?token=abc', `/unsubscribe?token=${forged}`]) {
    const page = await nobody.get(url);
    expect(page.status(), url).toBe(400);
    expect(await page.text()).toContain('This unsubscribe link is not valid or has expired');
    const post = await nobody.post(url, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(post.status(), url).toBe(400);
  }
  await nobody.dispose();
});
