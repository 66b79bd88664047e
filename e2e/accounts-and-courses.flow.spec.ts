/**
 * The skeleton's whole flow, run twice: with JavaScript (project "js") and without
 * (project "no-js"). Every page visited is checked with axe.
 */
import {
  createAccount,
  expect,
  expectAccessible,
  loginThroughForm,
  logoutThroughHeader,
  newUserData,
  test,
} from './fixtures';

test('signup → login → instructor creates a course → student joins with the code → both see it → logout', async ({
  browser,
}) => {
  const instructor = newUserData('instructor', 'Iris');
  const student = newUserData('student', 'Stan');

  // Instructor signs up through the page.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto('/');
  await expectAccessible(teacher);
  await teacher.getByRole('link', { name: 'Create an account' }).click();
  await expect(teacher.getByRole('heading', { name: 'Create your ClassCast account' })).toBeVisible();
  await expectAccessible(teacher);
  await teacher.getByLabel('Instructor').check();
  await teacher.getByLabel('First name').fill(instructor.firstName);
  await teacher.getByLabel('Last name').fill(instructor.lastName);
  await teacher.getByLabel('Email').fill(instructor.email.toUpperCase());
  await teacher.getByLabel('Password').fill(instructor.password);
  await teacher.getByRole('button', { name: 'Sign up' }).click();
  await expect(teacher).toHaveURL(/\/dashboard$/);
  await expect(teacher.getByRole('heading', { name: `Welcome, ${instructor.firstName}` })).toBeVisible();
  await expectAccessible(teacher);

  // Logs out and back in (email typed in another case).
  await logoutThroughHeader(teacher);
  await loginThroughForm(teacher, { email: instructor.email, password: instructor.password });
  await expectAccessible(teacher);

  // Creates a course.
  await teacher.getByLabel('Course name').fill('Marine Biology');
  await teacher.getByLabel('Course code').fill('MB-201');
  await teacher.getByLabel('Description').fill('Oceans and the life in them.');
  await teacher.getByRole('button', { name: 'Create course' }).click();
  await expect(teacher.getByRole('heading', { name: 'Marine Biology' })).toBeVisible();
  await expect(teacher.getByRole('status')).toContainText('Course created');
  const joinCode = (await teacher.getByTestId('join-code').textContent())?.trim() ?? '';
  expect(joinCode).toMatch(/^[A-Z0-9]{7}$/);
  await expectAccessible(teacher);

  // Student signs up, then joins with the code typed in lower case.
  const studentContext = await browser.newContext();
  const pupil = await studentContext.newPage();
  await pupil.goto('/signup');
  await pupil.getByLabel('First name').fill(student.firstName);
  await pupil.getByLabel('Last name').fill(student.lastName);
  await pupil.getByLabel('Email').fill(student.email);
  await pupil.getByLabel('Password').fill(student.password);
  await pupil.getByRole('button', { name: 'Sign up' }).click();
  await expect(pupil).toHaveURL(/\/dashboard$/);
  await expect(pupil.getByText('You have not joined a course yet')).toBeVisible();
  await pupil.getByLabel('Join code').fill(joinCode.toLowerCase());
  await pupil.getByRole('button', { name: 'Join course' }).click();
  await expect(pupil.getByRole('heading', { name: 'Marine Biology' })).toBeVisible();
  await expect(pupil.getByRole('status')).toContainText('You joined Marine Biology');
  // Students never see the join code or the roster.
  await expect(pupil.getByTestId('join-code')).toHaveCount(0);
  await expect(pupil.getByRole('heading', { name: /Roster/ })).toHaveCount(0);
  await expectAccessible(pupil);

  // Both see the course on their dashboards.
  await pupil.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(pupil.getByTestId('course-list')).toContainText('Marine Biology');
  await expect(pupil.getByTestId('course-list')).toContainText(
    `Instructor: ${instructor.firstName} ${instructor.lastName}`,
  );
  await teacher.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(teacher.getByTestId('course-list')).toContainText('Marine Biology');

  // The instructor's roster lists the student.
  await teacher.getByRole('link', { name: 'Marine Biology' }).click();
  await expect(teacher.getByTestId('roster')).toContainText(`${student.firstName} ${student.lastName}`);
  await expect(teacher.getByTestId('roster')).toContainText(student.email);

  await logoutThroughHeader(pupil);
  await logoutThroughHeader(teacher);
  // Signed out: the dashboard sends you to log in.
  await pupil.goto('/dashboard');
  await expect(pupil).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);
  await teacherContext.close();
  await studentContext.close();
});

test('signup errors keep what was typed and say what is wrong', async ({ page, request }) => {
  const existing = await createAccount(request, 'student');
  await page.goto('/signup');
  await page.getByLabel('First name').fill('Dup');
  await page.getByLabel('Last name').fill('Licate');
  await page.getByLabel('Email').fill(existing.email.toUpperCase());
  await page.getByLabel('Password').fill('correct-horse-42');
  await page.getByRole('button', { name: 'Sign up' }).click();
  // Said once, at the field it is about; the banner only points there.
  await expect(page.getByRole('alert')).toContainText('Please correct');
  await expect(page.getByText('An account with this email already exists.')).toHaveCount(1);
  await expect(page.getByLabel('First name')).toHaveValue('Dup');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('alert')).toContainText('Please correct');
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
  await expect(page.getByText('Password must be at least 8 characters.')).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
});

test('login errors are the same for a wrong password and an unknown email', async ({ page, request }) => {
  const user = await createAccount(request, 'student');
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
  await expect(page.getByLabel('Email')).toHaveValue(user.email);
  await expectAccessible(page);

  await page.getByLabel('Email').fill(`nobody-${user.email}`);
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
});

test('a wrong join code and joining twice are explained on the dashboard', async ({ page, request }) => {
  const teacher = await createAccount(request, 'instructor');
  const created = await request.post('/api/courses', { data: { title: 'Chemistry', code: 'CH-1' } });
  expect(created.status()).toBe(201);
  const { data: course } = await created.json();
  await request.post('/api/auth/logout');
  void teacher;

  const student = await createAccount(request, 'student');
  await loginThroughForm(page, student);
  await page.getByLabel('Join code').fill('WRONG99');
  await page.getByRole('button', { name: 'Join course' }).click();
  await expect(page.getByText('No course has that join code. Check it and try again.')).toHaveCount(1);
  await expect(page.getByLabel('Join code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Join code')).toHaveValue('WRONG99');
  await expectAccessible(page);

  await page.getByLabel('Join code').fill(course.joinCode);
  await page.getByRole('button', { name: 'Join course' }).click();
  await expect(page.getByRole('heading', { name: 'Chemistry' })).toBeVisible();
  await page.goto('/dashboard');
  await page.getByLabel('Join code').fill(course.joinCode);
  await page.getByRole('button', { name: 'Join course' }).click();
  await expect(page.getByText('You are already enrolled in Chemistry.')).toHaveCount(1);
});

test('a student cannot open a course they are not in, nor create one', async ({ page, request, browser }) => {
  await createAccount(request, 'instructor');
  const created = await request.post('/api/courses', { data: { title: 'Private Seminar', code: 'PS-1' } });
  const { data: course } = await created.json();

  const outsiderContext = await browser.newContext();
  const outsider = await outsiderContext.newPage();
  // Signing up through the context's API client also signs this browser context in.
  await createAccount(outsiderContext.request, 'student');
  const res = await outsider.goto(`/courses/${course.id}`);
  expect(res?.status()).toBe(403);
  await expect(outsider.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expectAccessible(outsider);
  await expect(outsider.getByRole('button', { name: 'Create course' })).toHaveCount(0);
  await outsiderContext.close();
  void page;
});
