import { describe, expect, it } from 'vitest';
import { safeRedirectTo } from './redirect';

const ORIGIN = 'http://127.0.0.1:3000';

describe('safeRedirectTo', () => {
  it.each([
    ['/courses/01J0000000000000000000000', '/courses/01J0000000000000000000000'],
    ['/dashboard?tab=grades#top', '/dashboard?tab=grades#top'],
    ['/a/../b', '/b'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeRedirectTo(input, ORIGIN)).toBe(expected);
  });

  it.each([
    '/\t/evil.example',
    '/%09/evil.example',
    '/\n/evil.example',
    '/%0A/..',
    '//evil.example',
    '///evil.example',
    'https://evil.example',
    '/\\evil.example',
    '/\\\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
    '/%2F%2Fevil.example',
    `${ORIGIN.replace('3000', '3001')}/dashboard`,
  ])('falls back to the dashboard for %j', (input) => {
    const result = safeRedirectTo(input, ORIGIN);
    // Either the fallback, or a path that a browser resolves to our own origin.
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    expect(result.startsWith('//')).toBe(false);
    expect(result).not.toMatch(/[\t\n\r\\]/);
  });

  it('answers the fallback for non-strings and never throws', () => {
    expect(safeRedirectTo(undefined, ORIGIN)).toBe('/dashboard');
    expect(safeRedirectTo(['/x'], ORIGIN)).toBe('/dashboard');
    // Resolves like a browser would: the dot segment removes the encoded newline.
    expect(safeRedirectTo('/%0A/..', ORIGIN, '/home')).toBe('/');
    expect(safeRedirectTo('/%0A/x', ORIGIN, '/home')).toBe('/home');
    expect(safeRedirectTo('/%E0%A4%A', ORIGIN)).toBe('/dashboard');
  });

  it.each(['/%09/evil.example', '//evil', 'https://evil', '/\\evil', '/\t/evil.example'])(
    'sends %j to the dashboard exactly',
    (input) => {
      expect(safeRedirectTo(input, ORIGIN)).toBe('/dashboard');
    },
  );
});

describe('homeFor', () => {
  it('lands admins on /admin and everyone else on the dashboard', async () => {
    const { homeFor } = await import('./redirect');
    expect(homeFor({ role: 'admin' })).toBe('/admin');
    expect(homeFor({ role: 'instructor' })).toBe('/dashboard');
    expect(homeFor({ role: 'student' })).toBe('/dashboard');
  });
});
