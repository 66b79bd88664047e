/**
 * The production server's static files (server/static-assets.ts): fingerprinted /build/*
 * immutable for a year and sent as the precompressed copy the browser accepts; the rest of
 * public/ for an hour; pages keep their security headers and per-user no-store.
 */
import { expect, test } from './fixtures';

test('a fingerprinted script goes out precompressed, cached for a year as immutable', async ({ request }) => {
  const page = await (await request.get('/login')).text();
  const scripts = [...page.matchAll(/\/build\/[\w/.-]+?-[A-Z0-9]{8}\.js/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);

  let compressed = 0;
  for (const script of new Set(scripts)) {
    const br = await request.get(script, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.status(), script).toBe(200);
    expect(br.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers()['content-type']).toMatch(/javascript/);
    // Small modules have no copies (they would not shrink): the file itself, no Vary needed.
    if (!br.headers()['content-encoding']) continue;
    compressed += 1;
    expect(br.headers()['content-encoding']).toBe('br');
    expect(br.headers().vary).toMatch(/Accept-Encoding/i);
    const gzip = await request.get(script, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers()['content-encoding']).toBe('gzip');
    // Playwright decodes both: the same script either way.
    expect(await gzip.text()).toBe(await br.text());
    const plain = await request.get(script, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers()['content-encoding']).toBeUndefined();
    expect(await plain.text()).toBe(await br.text());
  }
  expect(compressed, 'the page loads at least one precompressed module').toBeGreaterThan(0);
});

test('the rest of public/ is cached for an hour; a missing asset is the app’s 404', async ({ request }) => {
  const icon = await request.get('/favicon.svg');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['cache-control']).toBe('public, max-age=3600');
  const missing = await request.get('/build/no-such-chunk-ABCDEFGH.js');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['cache-control']).not.toMatch(/immutable/);
});

test('pages keep their security headers and stay private, compressed per response', async ({ request }) => {
  const login = await request.get('/login', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(login.status()).toBe(200);
  expect(login.headers()['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
  expect(login.headers()['cache-control']).toBe('private, no-store');
  expect(login.headers()['content-encoding']).toBe('gzip');
});
