import { describe, expect, it } from 'vitest';
import { newId } from '~/data/ids';
import {
  accountTokenSecret,
  accountTokenUrl,
  accountTokenValue,
  hashAccountTokenSecret,
  parseAccountTokenValue,
} from './account-tokens.server';

describe('account token values', () => {
  it('round-trips an id to the hash that is stored', () => {
    const id = newId();
    const parsed = parseAccountTokenValue(accountTokenValue(id));
    expect(parsed).toEqual({ id, tokenHash: hashAccountTokenSecret(accountTokenSecret(id)) });
  });

  it('refuses a tampered secret, a swapped id and malformed values', () => {
    const id = newId();
    const other = newId();
    const value = accountTokenValue(id);
    const flipped = value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A');
    expect(parseAccountTokenValue(flipped)).toBeNull();
    expect(parseAccountTokenValue(`${other}.${accountTokenSecret(id)}`)).toBeNull();
    for (const bad of ['', 'abc', `${id}.`, `${id}`, `${id}.${'x'.repeat(43)}<b>`]) {
      expect(parseAccountTokenValue(bad)).toBeNull();
    }
  });

  it('builds links under the app URL, reset and verification on their own pages', () => {
    const id = newId();
    expect(accountTokenUrl('password-reset', id)).toMatch(new RegExp(`/reset-password/${id}\\.`));
    expect(accountTokenUrl('verify-email', id)).toMatch(new RegExp(`/verify-email/${id}\\.`));
  });
});
