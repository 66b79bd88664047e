/**
 * Every page at phone width (390 × 844, touch), with JavaScript on and off: the page answers,
 * shows its heading, fits the screen (no sideways scrolling of the whole page; wide content
 * scrolls inside its own box) and axe finds no serious or critical violation. The flows run at
 * desktop width; layout is what changes on a phone, so this visits every page once instead of
 * repeating every flow.
 */
import type { Browser, Page } from '@playwright/test';
import { createAccount, expect, expectAccessible, test } from './fixtures';
import { courseWithAssignment, putBytes } from './course-builders';
import { fakeMp4 } from './video-fixture';

async function signedIn(browser: Browser, role: 'student' | 'instructor', name: string) {
  const context = await browser.newContext();
  const user = await createAccount(context.request, role, name);
  const me = (await (await context.request.get('/api/auth/me')).json()).user;
  return { context, user, me, page: await context.newPage() };
}

async function expectFitsPhone(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
  await expectAccessible(page);
}

/** A course with a submission, a post, a study-buddy request and a message, so no list is empty. */
async function classroom(browser: Browser) {
  const teacher = await signedIn(browser, 'instructor', 'Tara');
  const { course, assignment } = await courseWithAssignment(teacher.context.request);
  const student = await signedIn(browser, 'student', 'Sasha');
  const classmate = await signedIn(browser, 'student', 'Kim');
  for (const s of [student, classmate]) {
    const joined = await s.context.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
    expect(joined.status()).toBe(201);
  }
  const bytes = fakeMp4(64 * 1024);
  const start = await student.context.request.post('/api/videos/upload', {
    data: { assignmentId: assignment.id, fileName: 'answer.mp4', contentType: 'video/mp4', fileSize: bytes.length },
  });
  expect(start.status(), await start.text()).toBe(200);
  const upload = (await start.json()).data;
  await putBytes(student.context.request, upload, bytes, 'video/mp4');
  const finalized = await student.context.request.post('/api/video-submissions', {
    data: { assignmentId: assignment.id, fileKey: upload.fileKey, videoTitle: 'My answer' },
  });
  expect(finalized.status(), await finalized.text()).toBe(201);
  const submission = (await finalized.json()).submission;
  const post = await student.context.request.post('/api/community/posts', {
    data: { courseId: course.id, title: 'Study group', content: 'Thursday at 5 in the library.' },
  });
  expect(post.status(), await post.text()).toBe(201);
  const postId: string = (await post.json()).post.id;
  const request = await classmate.context.request.post('/api/connections', { data: { requestedId: student.me.id } });
  expect(request.status(), await request.text()).toBeLessThan(300);
  const message = await classmate.context.request.post('/api/messaging/messages', {
    data: { toUserId: student.me.id, content: 'Shall we practise the pitch together on Thursday?' },
  });
  expect(message.status(), await message.text()).toBeLessThan(300);
  const submissionId: string = submission.submissionId ?? submission.id;
  return { teacher, student, classmate, course, assignment, submission, submissionId, postId };
}

type Classroom = Awaited<ReturnType<typeof classroom>>;

// The pages come in groups, one test each, so a slow machine never runs one test past its
// timeout and a failure names its group.
test('public pages fit a phone and pass axe', async ({ browser }) => {
  const anonymous = await (await browser.newContext()).newPage();
  for (const path of ['/', '/login', '/signup', '/forgot-password', '/reset-password/not-a-link']) {
    await expectFitsPhone(anonymous, path);
  }
});

const groups: { name: string; as: (c: Classroom) => Page; paths: (c: Classroom) => string[] }[] = [
  {
    name: "a student's course pages",
    as: (c) => c.student.page,
    paths: (c) => [
      '/dashboard',
      `/courses/${c.course.id}`,
      `/assignments/${c.assignment.id}`,
      `/submissions/${c.submissionId}`,
      `/videos/${c.submission.videoId}`,
      '/feed',
      `/community?courseId=${c.course.id}`,
      `/community/posts/${c.postId}`,
      `/community/posts/${c.postId}/edit`,
    ],
  },
  {
    name: "a student's people, messages and settings pages",
    as: (c) => c.student.page,
    paths: (c) => [
      '/connections',
      '/profile',
      `/users/${c.classmate.me.id}`,
      '/messages',
      `/messages/${c.classmate.me.id}`,
      '/notifications',
      '/settings',
      '/settings/sessions',
      '/settings/email',
      '/settings/delete',
    ],
  },
  {
    name: "an instructor's pages",
    as: (c) => c.teacher.page,
    paths: (c) => [
      '/dashboard',
      `/courses/${c.course.id}`,
      `/courses/${c.course.id}/edit`,
      `/courses/${c.course.id}/assignments/new`,
      `/courses/${c.course.id}/grading`,
      `/assignments/${c.assignment.id}/edit`,
      `/submissions/${c.submissionId}`,
      '/notifications',
    ],
  },
];

for (const group of groups) {
  test(`${group.name} fit a phone and pass axe`, async ({ browser }) => {
    test.setTimeout(150_000);
    const c = await classroom(browser);
    for (const path of group.paths(c)) await expectFitsPhone(group.as(c), path);
  });
}

test('the assignment page with its upload form fits a phone and passes axe', async ({ browser }) => {
  const teacher = await signedIn(browser, 'instructor', 'Tara');
  const { course, assignment } = await courseWithAssignment(teacher.context.request);
  const student = await signedIn(browser, 'student', 'Sasha');
  const joined = await student.context.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
  expect(joined.status()).toBe(201);
  await expectFitsPhone(student.page, `/assignments/${assignment.id}`);
});
