import { expect, test } from './fixtures';

test('an unknown API path is a 404 in the JSON envelope, for any method', async ({ request }) => {
  for (const res of [await request.get('/api/no-such-thing'), await request.post('/api/no-such-thing', { data: {} })]) {
    expect(res.status()).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
  }
});
