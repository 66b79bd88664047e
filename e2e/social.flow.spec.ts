/**
 * Study buddies and profiles through the pages, with JavaScript on and off: a student asks
 * a classmate, who accepts; profile text is shown as text; an avatar goes straight to
 * storage and comes back through the avatar route.
 */
import { expect, expectAccessible, test } from './fixtures';
import { classWith, closeAll, signedIn } from './people';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

test('a student asks a classmate, who accepts; both see each other as study buddies', async ({ browser }) => {
  const { teacher, students } = await classWith(browser, 'Alice', 'Bob');
  const [alice, bob] = students;

  await alice.page.goto('/connections');
  await expect(alice.page.getByRole('heading', { name: 'Study buddies', level: 1 })).toBeVisible();
  await expectAccessible(alice.page);
  const suggestions = alice.page.getByTestId('suggestions');
  await expect(suggestions.getByRole('link', { name: bob.name })).toBeVisible();
  await suggestions.getByRole('button', { name: `Connect ${bob.name}` }).click();
  await expect(alice.page.getByTestId('outgoing').getByRole('link', { name: bob.name })).toBeVisible();
  await expectAccessible(alice.page);

  await bob.page.goto('/connections');
  const incoming = bob.page.getByTestId('incoming');
  await expect(incoming.getByRole('link', { name: alice.name })).toBeVisible();
  await incoming.getByRole('button', { name: `Accept ${alice.name}` }).click();
  await expect(bob.page.getByTestId('buddies').getByRole('link', { name: alice.name, exact: true })).toBeVisible();
  // Buddies may message each other: the link sits beside the name.
  await expect(bob.page.getByTestId('buddies').getByRole('link', { name: `Message ${alice.name}` })).toHaveAttribute(
    'href',
    `/messages/${alice.id}`,
  );
  await expect(bob.page.getByText('No requests waiting for you.')).toBeVisible();

  await alice.page.goto('/connections');
  await expect(alice.page.getByTestId('buddies').getByRole('link', { name: bob.name, exact: true })).toBeVisible();
  await alice.page.getByTestId('buddies').getByRole('link', { name: bob.name, exact: true }).click();
  await expect(alice.page).toHaveURL(new RegExp(`/users/${bob.id}$`));
  await expect(alice.page.getByRole('heading', { name: bob.name })).toBeVisible();
  await expect(alice.page.getByText('You are study buddies.')).toBeVisible();
  // A classmate's email stays private; the page shows the course they share.
  await expect(alice.page.getByTestId('profile-email')).toHaveCount(0);
  await expect(alice.page.getByRole('link', { name: 'Study Skills' })).toBeVisible();
  await expectAccessible(alice.page);
  await closeAll(teacher.context, alice.context, bob.context);
});

test('a connect button on the public profile sends the request', async ({ browser }) => {
  const { teacher, students } = await classWith(browser, 'Cleo', 'Dan');
  const [cleo, dan] = students;
  await cleo.page.goto(`/users/${dan.id}`);
  await cleo.page.getByRole('button', { name: 'Connect as study buddies' }).click();
  await expect(cleo.page.getByText('Your study-buddy request is waiting for an answer.')).toBeVisible();
  // The instructor sees the student's email on the same page.
  await teacher.page.goto(`/users/${dan.id}`);
  await expect(teacher.page.getByTestId('profile-email')).toHaveText(dan.user.email);
  await closeAll(teacher.context, cleo.context, dan.context);
});

test('a bio with markup is saved and shown as text, never run', async ({ browser }) => {
  const me = await signedIn(browser, 'student', 'Eve');
  const payload = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>\nSecond line`;
  await me.page.goto('/profile');
  await expect(me.page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await expectAccessible(me.page);
  await me.page.getByLabel('First name').fill('Evelyn');
  await me.page.getByLabel('Bio').fill(payload);
  await me.page.getByRole('button', { name: 'Save profile' }).click();
  await expect(me.page.getByText('Your profile was saved.')).toBeVisible();
  await expect(me.page.getByLabel('Bio')).toHaveValue(payload);
  await expect(me.page.getByLabel('First name')).toHaveValue('Evelyn');

  await me.page.goto(`/users/${me.id}`);
  await expect(me.page.getByRole('heading', { name: `Evelyn ${me.user.lastName}` })).toBeVisible();
  await expect(
    me.page.getByText(`<img src=x onerror="document.title='pwned'"><script>`, { exact: false }),
  ).toBeVisible();
  await expect(me.page.getByText('Second line')).toBeVisible();
  await expect(me.page.locator('img[src="x"]')).toHaveCount(0);
  expect(await me.page.title()).not.toBe('pwned');
  await expectAccessible(me.page);

  // Too long: a form error beside the field, what was typed is kept.
  await me.page.goto('/profile');
  await me.page.getByLabel('Bio').fill('x'.repeat(1001));
  await me.page.getByRole('button', { name: 'Save profile' }).click();
  await expect(me.page.getByText('Bio must be at most 1,000 characters.')).toBeVisible();
  await expect(me.page.getByLabel('Bio')).toHaveValue('x'.repeat(1001));
  await closeAll(me.context);
});

test('an avatar goes straight to storage and is shown through the avatar route', async ({ browser }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const me = await signedIn(browser, 'student', 'Finn');
  await me.page.goto('/profile');
  if (!js) await me.page.getByLabel('Image type').selectOption('image/png');
  await me.page.getByLabel('New picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
  await me.page.getByRole('button', { name: 'Upload picture' }).click();
  if (js) {
    await expect(me.page.getByRole('status').filter({ hasText: 'Your profile picture was updated.' })).toBeVisible();
  } else {
    // Storage took the file and sent the browser back to confirm it.
    await expect(me.page).toHaveURL(/\/profile\?/);
    await expectAccessible(me.page);
    await me.page.getByRole('button', { name: 'Use this picture' }).click();
  }
  const avatar = me.page.locator(`img[src^="/users/${me.id}/avatar?v="]`);
  await expect(avatar).toBeVisible();
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await expectAccessible(me.page);

  await me.page.getByRole('button', { name: 'Remove picture' }).click();
  await expect(me.page.getByRole('button', { name: 'Remove picture' })).toHaveCount(0);
  await expect(avatar).toHaveCount(0);
  await closeAll(me.context);
});
