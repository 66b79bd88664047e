/**
 * DynamoDB throttling that outlasts the SDK's retries, staged through the stand-in's test
 * hooks (only the Playwright server has them): the API answers 503 with Retry-After in the
 * JSON envelope, a page answers a plain-language 503, and both work again once it clears.
 * The throttle names only this spec's user, so the specs running beside it are untouched.
 */
import { createAccount, expect, test } from './fixtures';
import { clearStandInThrottles, standInUrl, throttleStandIn } from './dynamodb-stand-in';

test.skip(!standInUrl(), 'throttling is staged on the DynamoDB stand-in (E2E_BACKEND=dynamodb)');

test('a data store that stays busy is a 503 with Retry-After, on the API and on pages', async ({ request }) => {
  test.setTimeout(60_000);
  await createAccount(request, 'student');
  const id = (await (await request.get('/api/auth/me')).json()).user.id as string;
  for (const operation of ['GetItem', 'BatchGetItem', 'Query']) {
    await throttleStandIn({
      operation,
      times: 10_000,
      kind: 'ProvisionedThroughputExceededException',
      bodyContains: id,
    });
  }
  try {
    const api = await request.get('/api/auth/me');
    expect(api.status()).toBe(503);
    expect(api.headers()['retry-after']).toBe('2');
    expect(await api.json()).toEqual({
      success: false,
      code: 'DATA_STORE_BUSY',
      error: expect.stringMatching(/busy/i),
    });

    const page = await request.get('/dashboard', { headers: { Accept: 'text/html' } });
    expect(page.status()).toBe(503);
    expect(page.headers()['retry-after']).toBe('2');
    const html = await page.text();
    expect(html).toContain('Busy right now');
    expect(html).toContain('Nothing was lost');
  } finally {
    await clearStandInThrottles();
  }
  expect((await request.get('/api/auth/me')).status()).toBe(200);
  expect((await request.get('/dashboard')).status()).toBe(200);
});
