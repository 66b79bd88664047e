import { describe, expect, it } from 'vitest';
import { clearStateCookie, hasStateCookie, stateCookie } from './lti-state-cookie.server';

const state = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
const withCookie = (cookie: string) => new Request('http://127.0.0.1/lti/launch', { headers: { Cookie: cookie } });

describe('the launch state cookie', () => {
  it('travels inside a cross-site iframe: SameSite=None, Secure, Partitioned, HttpOnly, only under /lti', () => {
    const cookie = stateCookie(state);
    expect(cookie).toMatch(new RegExp(`^lti_state_${state}=1;`));
    for (const attribute of ['Path=/lti', 'HttpOnly', 'Secure', 'SameSite=None', 'Partitioned', 'Max-Age=600']) {
      expect(cookie).toContain(attribute);
    }
  });

  it('is found for its own state only', () => {
    const request = withCookie(`other=1; lti_state_${state}=1; __classcast_session=x`);
    expect(hasStateCookie(request, state)).toBe(true);
    expect(hasStateCookie(request, `${state}x`)).toBe(false);
    expect(hasStateCookie(withCookie(`lti_state_${state}=`), state)).toBe(false);
    expect(hasStateCookie(new Request('http://127.0.0.1/lti/launch'), state)).toBe(false);
  });

  it('refuses states that are not base64url (a cookie name cannot be injected)', () => {
    expect(() => stateCookie('a=b; Domain=evil.test')).toThrow();
    expect(clearStateCookie('a;b')).toBeNull();
    expect(hasStateCookie(withCookie('lti_state_a;b=1'), 'a;b')).toBe(false);
  });

  it('is cleared with the same attributes', () => {
    expect(clearStateCookie(state)).toMatch(new RegExp(`^lti_state_${state}=; Max-Age=0; Path=/lti;.*Partitioned`));
  });
});
