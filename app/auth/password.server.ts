import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with the library defaults (m=19 MiB, t=2, p=1: OWASP's minimum profile).
 * `verifyPassword` against a missing hash still does the full work on a dummy hash, so
 * "unknown email" and "wrong password" take the same time.
 */
const DUMMY_HASH_SOURCE = 'classcast-timing-equaliser';
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(password: string, passwordHash: string | null): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hash(DUMMY_HASH_SOURCE);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
