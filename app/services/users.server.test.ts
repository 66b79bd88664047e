import { describe, expect, it } from 'vitest';
import { builders, setupServiceContext } from '../../tests/service-context';
import { displayName, toPublicUser } from './users.server';

const world = setupServiceContext();
const { aUser } = builders(world);

describe('toPublicUser', () => {
  it('keeps the original API keys and never the password hash', async () => {
    const user = await aUser('student', { firstName: 'Ada', lastName: 'Lovelace', passwordHash: 'secret-hash' });
    const shown = toPublicUser(user);
    expect(shown).toMatchObject({
      id: user.id,
      userId: user.id,
      email: user.email,
      fullName: 'Ada Lovelace',
      role: 'student',
    });
    expect(JSON.stringify(shown)).not.toContain('secret-hash');
  });
});

describe('displayName', () => {
  it('joins first and last name without stray spaces', () => {
    expect(displayName({ firstName: 'Ada', lastName: '' })).toBe('Ada');
    expect(displayName({ firstName: 'Ada', lastName: 'Lovelace' })).toBe('Ada Lovelace');
  });
});
