/**
 * The video-answer loop, with JavaScript (multipart/PUT upload from the page) and without
 * (a plain form posting the file straight to S3): instructor sets an assignment, student
 * uploads a real video and watches it, instructor grades, student sees the grade.
 */
import { createAccount, expect, expectAccessible, test } from './fixtures';
import { recordTinyWebm } from './video-fixture';

test('assignment → upload → watch → grade → student sees the grade', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const videoFile = await recordTinyWebm(browser);

  // Instructor: a course (API), then an assignment through the page.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await createAccount(teacherContext.request, 'instructor', 'Tara');
  const course = (
    await (
      await teacherContext.request.post('/api/courses', { data: { title: 'Public Speaking', code: 'PS-101' } })
    ).json()
  ).data;
  await teacher.goto(`/courses/${course.id}`);
  await teacher.getByRole('link', { name: 'New assignment' }).click();
  await expectAccessible(teacher);
  await teacher.getByLabel('Title').fill('Introduce yourself');
  await teacher.getByLabel('Instructions').fill('Say who you are.\n\nKeep it under a minute.');
  const due = new Date(Date.now() + 5 * 86400_000).toISOString().slice(0, 16);
  await teacher.getByLabel('Due (UTC)').fill(due);
  await teacher.getByLabel('Points').fill('10');
  await teacher.getByRole('button', { name: 'Create assignment' }).click();
  await expect(teacher.getByRole('heading', { name: 'Introduce yourself' })).toBeVisible();
  await expect(teacher.getByText('Keep it under a minute.')).toBeVisible();
  const assignmentUrl = teacher.url();
  await expectAccessible(teacher);

  // Student joins (API) and submits through the page.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  const studentUser = await createAccount(studentContext.request, 'student', 'Sid');
  await studentContext.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
  await student.goto(`/courses/${course.id}`);
  await student.getByRole('link', { name: 'Introduce yourself' }).click();
  await expect(student.getByRole('heading', { name: 'Submit your video' })).toBeVisible();
  await expectAccessible(student);
  await student.getByLabel('Video file').setInputFiles(videoFile);
  if (js) {
    await student.getByLabel('Title').fill('Hello, I am Sid');
    await student.getByRole('button', { name: 'Upload video' }).click();
  } else {
    await student.getByRole('button', { name: 'Upload video' }).click();
    // S3 took the file and sent us back to confirm it.
    await expect(student.getByRole('heading', { name: 'Your video is uploaded' })).toBeVisible();
    await expectAccessible(student);
    await student.getByLabel('Title').fill('Hello, I am Sid');
    await student.getByRole('button', { name: 'Submit video' }).click();
  }
  await expect(student).toHaveURL(/\/submissions\/[0-9A-Z]{26}$/);
  await expect(student.getByRole('heading', { name: 'Hello, I am Sid' })).toBeVisible();
  await expect(student.getByText('Your instructor has not graded this yet.')).toBeVisible();
  await expectAccessible(student);

  // Watching: the player streams from S3 with Range requests; the view is counted once today.
  await student.getByRole('link', { name: 'Open the video page' }).click();
  await expect(student.getByTestId('view-count')).toHaveText('1 view');
  const src = await student.locator('video source').getAttribute('src');
  expect(src).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const ranged = await studentContext.request.fetch(src!, { headers: { Range: 'bytes=0-3' } });
  expect(ranged.status()).toBe(206);
  expect(Buffer.from(await ranged.body()).toString('hex')).toBe('1a45dfa3');
  if (js) {
    await expect
      .poll(() => student.locator('video').evaluate((v: HTMLVideoElement) => v.readyState))
      .toBeGreaterThanOrEqual(1);
  }
  await expectAccessible(student);
  await student.reload();
  await expect(student.getByTestId('view-count')).toHaveText('1 view');

  // Instructor grades from the assignment page.
  await teacher.goto(assignmentUrl);
  const row = teacher.getByRole('row', { name: new RegExp(`${studentUser.firstName} ${studentUser.lastName}`) });
  await expect(row).toContainText('Submitted');
  await row.getByRole('link', { name: /Grade/ }).click();
  await expectAccessible(teacher);
  await teacher.getByLabel('Score (out of 10)').fill('12');
  await teacher.getByLabel('Feedback').fill('Confident and clear.');
  await teacher.getByRole('button', { name: 'Save grade' }).click();
  await expect(teacher.getByText('The score must be between 0 and 10.').first()).toBeVisible();
  await expect(teacher.getByLabel('Feedback')).toHaveValue('Confident and clear.');
  await teacher.getByLabel('Score (out of 10)').fill('8.5');
  await teacher.getByRole('button', { name: 'Save grade' }).click();
  await expect(teacher.getByRole('status')).toContainText('Grade saved');
  await expect(teacher.getByTestId('grade-result')).toContainText('8.5 / 10');

  // The course dashboard counts it.
  await teacher.goto(`/courses/${course.id}/grading`);
  await expect(teacher.getByTestId('gradebook')).toContainText('Introduce yourself');
  await expect(teacher.getByRole('row', { name: /Introduce yourself/ })).toContainText(/1\s*1\s*0/);
  await expectAccessible(teacher);

  // The student sees grade and feedback.
  await student.goBack();
  await student.reload();
  await expect(student.getByTestId('grade-result')).toContainText('8.5 / 10');
  await expect(student.getByTestId('grade-result')).toContainText('Confident and clear.');
  await teacherContext.close();
  await studentContext.close();
});

test('a classmate cannot open a private submission, and a student cannot grade', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const teacher = await playwright.request.newContext({ baseURL });
  await createAccount(teacher, 'instructor');
  const course = (await (await teacher.post('/api/courses', { data: { title: 'Private Lab', code: 'PL' } })).json())
    .data;
  const assignment = (
    await (
      await teacher.post('/api/assignments', {
        data: {
          courseId: course.id,
          title: 'Secret',
          dueDate: new Date(Date.now() + 86400_000).toISOString(),
          visibility: 'private',
          maxScore: 5,
        },
      })
    ).json()
  ).data;
  const { uploadAndFinalize } = await import('./course-builders');
  const { fakeMp4 } = await import('./video-fixture');
  const alice = await playwright.request.newContext({ baseURL });
  await createAccount(alice, 'student');
  await alice.post('/api/courses/join', { data: { joinCode: course.joinCode } });
  const submission = (await (await uploadAndFinalize(alice, assignment.id, fakeMp4(2048))).json()).submission;

  const bobContext = await browser.newContext();
  await createAccount(bobContext.request, 'student');
  await bobContext.request.post('/api/courses/join', { data: { joinCode: course.joinCode } });
  const bob = await bobContext.newPage();
  expect((await bob.goto(`/submissions/${submission.id}`))?.status()).toBe(404);
  expect((await bob.goto(`/videos/${submission.videoId}`))?.status()).toBe(404);
  await expectAccessible(bob);
  const forged = await bobContext.request.post(`/submissions/${submission.id}`, { form: { grade: '5' } });
  expect([403, 404]).toContain(forged.status());
  await bobContext.close();
});

test('the instructor edits the course and an assignment; bad input is explained and kept', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await createAccount(context.request, 'instructor');
  const course = (await (await context.request.post('/api/courses', { data: { title: 'Drama', code: 'DR-1' } })).json())
    .data;
  const assignment = (
    await (
      await context.request.post('/api/assignments', {
        data: {
          courseId: course.id,
          title: 'Monologue',
          dueDate: new Date(Date.now() + 86400_000).toISOString(),
          maxScore: 20,
        },
      })
    ).json()
  ).data;

  await page.goto(`/courses/${course.id}`);
  await page.getByRole('link', { name: 'Edit course' }).click();
  await expectAccessible(page);
  await page.getByLabel('Course name').fill('');
  await page.getByRole('button', { name: 'Save course' }).click();
  await expect(page.getByText('Course name is required.')).toBeVisible();
  await page.getByLabel('Course name').fill('Drama and Theatre');
  const joinCode = `dr-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await page.getByLabel('Join code').fill(joinCode);
  await page.getByRole('button', { name: 'Save course' }).click();
  await expect(page.getByRole('heading', { name: 'Drama and Theatre' })).toBeVisible();
  await expect(page.getByTestId('join-code')).toHaveText(joinCode.toUpperCase());

  await page.goto(`/assignments/${assignment.id}`);
  await page.getByRole('link', { name: 'Edit assignment' }).click();
  await expectAccessible(page);
  await expect(page.getByLabel('Points')).toHaveValue('20');
  await page.getByLabel('Points').fill('-3');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Points must be more than 0.')).toBeVisible();
  await page.getByLabel('Points').fill('25');
  await page.getByLabel('Status').selectOption('closed');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toContainText('Assignment saved');
  await expect(page.getByText('25 points')).toBeVisible();
  await expect(page.getByText('Closed', { exact: true })).toBeVisible();
  await context.close();
});
