import { randomBytes } from 'node:crypto';
import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { KEY_PUBLISH_LEAD_MS, TOKEN_MAX_LIFETIME_MS } from '~/auth/lti/keys';
import type { ServiceContext } from './context';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import { currentSigningKey, listToolKeys, publishedJwks, rotateKeys, rotateKeysAsAdmin } from './lti-keys.server';

const world = setupServiceContext();
const { aUser } = builders(world);

/** Every test starts from no keys at a fixed moment: key state is global to the database. */
const T0 = new Date('2026-03-01T12:00:00.000Z');
beforeEach(async () => {
  world.clock.set(T0);
  for (const key of await world.ctx.repos.lti.listKeys()) await world.ctx.repos.lti.deleteKey(key.kid);
});

const kids = async () => (await publishedJwks(world.ctx)).keys.map((k) => k.kid);

/** Signs with what currentSigningKey gives and verifies with the published JWKS, as a platform does. */
async function signAndVerify(ctx: ServiceContext = world.ctx): Promise<string> {
  const key = await currentSigningKey(ctx);
  const token = await new SignJWT({ hello: 'lms' })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuedAt(Math.floor(ctx.now().getTime() / 1000))
    .sign(key.privateKey);
  const jwk = (await publishedJwks(ctx)).keys.find((k) => k.kid === key.kid) as JWK;
  expect(jwk).toBeDefined();
  await jwtVerify(token, await importJWK(jwk, 'RS256'), { currentDate: ctx.now() });
  return key.kid;
}

describe('the first key', () => {
  it('is made on demand, signs at once and is published with kid, alg and use (no private parts)', async () => {
    const kid = await signAndVerify();
    const { keys } = await publishedJwks(world.ctx);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid, alg: 'RS256', use: 'sig', kty: 'RSA' });
    expect(keys[0]).not.toHaveProperty('d');
    expect(keys[0]).not.toHaveProperty('p');
    expect((await currentSigningKey(world.ctx)).kid).toBe(kid);
  });

  it('a JWKS asked for before anything was signed already holds the key that will sign', async () => {
    const [published] = await kids();
    expect((await currentSigningKey(world.ctx)).kid).toBe(published);
  });

  it('is made once when many ask at the same time (one row, everyone the same kid)', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => currentSigningKey(world.ctx)));
    expect(new Set(results.map((r) => r.kid)).size).toBe(1);
    expect(await world.ctx.repos.lti.listKeys()).toHaveLength(1);
  });

  it('is stored sealed: the private key never appears in the clear', async () => {
    await currentSigningKey(world.ctx);
    const [stored] = await world.ctx.repos.lti.listKeys();
    expect(stored.sealedPrivateKey).toMatch(/^v1\./);
    expect(stored.sealedPrivateKey).not.toContain('"d"');
    expect(JSON.parse(stored.publicJwk)).not.toHaveProperty('d');
  });
});

describe('rotation', () => {
  it('publishes the new key before it signs, keeps the old one until its tokens expire, then drops it', async () => {
    const oldKid = await signAndVerify();
    const rotation = await rotateKeys(world.ctx);
    const newKid = rotation.next.kid;
    expect(newKid).not.toBe(oldKid);
    expect(rotation.next.signsFrom).toBe(new Date(T0.getTime() + KEY_PUBLISH_LEAD_MS).toISOString());
    const retiresAt = T0.getTime() + KEY_PUBLISH_LEAD_MS + TOKEN_MAX_LIFETIME_MS;
    expect(rotation.retiring).toEqual([{ kid: oldKid, retiresAt: new Date(retiresAt).toISOString() }]);

    // Published at once, but the old key still signs during the lead time.
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect(await signAndVerify()).toBe(oldKid);

    world.clock.set(new Date(T0.getTime() + KEY_PUBLISH_LEAD_MS));
    expect(await signAndVerify()).toBe(newKid);
    // The old key's last tokens may still be in flight: still published.
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, newKid]));

    world.clock.set(new Date(retiresAt));
    expect(await kids()).toEqual([newKid]);
    // The next rotation clears the retired key out of storage.
    const next = await rotateKeys(world.ctx);
    expect(next.deleted).toEqual([oldKid]);
    expect((await world.ctx.repos.lti.listKeys()).map((k) => k.kid)).not.toContain(oldKid);
  });

  it('a second rotation while one is waiting adds no key', async () => {
    await currentSigningKey(world.ctx);
    const first = await rotateKeys(world.ctx);
    const again = await rotateKeys(world.ctx);
    expect(again).toMatchObject({ alreadyScheduled: true, next: first.next });
    expect(await world.ctx.repos.lti.listKeys()).toHaveLength(2);
  });

  it('concurrent rotations add one key', async () => {
    await currentSigningKey(world.ctx);
    const [a, b] = await Promise.all([rotateKeys(world.ctx), rotateKeys(world.ctx)]);
    expect(a.next.kid).toBe(b.next.kid);
    expect(await world.ctx.repos.lti.listKeys()).toHaveLength(2);
  });

  it('without any key, rotating makes the first one', async () => {
    const rotation = await rotateKeys(world.ctx);
    expect(rotation.next.signsFrom).toBe(T0.toISOString());
    expect((await currentSigningKey(world.ctx)).kid).toBe(rotation.next.kid);
  });

  it('from the admin page: admins only; the page lists kids and states', async () => {
    const [admin, teacher] = [await aUser('admin'), await aUser('instructor')];
    await expectStatus(rotateKeysAsAdmin(world.ctx, teacher), 403);
    await expectStatus(listToolKeys(world.ctx, teacher), 403);
    const signing = await currentSigningKey(world.ctx);
    const { next } = await rotateKeysAsAdmin(world.ctx, admin);
    const listed = await listToolKeys(world.ctx, admin);
    expect(listed.map((k) => [k.kid, k.state])).toEqual(
      expect.arrayContaining([
        [signing.kid, 'signing'],
        [next.kid, 'next'],
      ]),
    );
    expect(JSON.stringify(listed)).not.toContain('sealed');
  });
});

describe('sealing secrets', () => {
  const withSecrets = (secrets: string[]): ServiceContext => ({
    ...world.ctx,
    settings: { ...world.ctx.settings, ltiKeySecrets: secrets },
  });

  it('a rotated LTI_KEY_SECRET ("new,old") still opens keys sealed with the old one', async () => {
    const [oldSecret, newSecret] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
    const kid = await signAndVerify(withSecrets([oldSecret]));
    expect(await signAndVerify(withSecrets([newSecret, oldSecret]))).toBe(kid);
    // New keys are sealed with the first (new) secret alone.
    const rotated = withSecrets([newSecret, oldSecret]);
    const { next } = await rotateKeys(rotated);
    world.clock.set(new Date(T0.getTime() + KEY_PUBLISH_LEAD_MS));
    expect(await signAndVerify(withSecrets([newSecret]))).toBe(next.kid);
  });

  it('a key no configured secret opens is replaced at once and retired, never a dead end', async () => {
    const lost = await signAndVerify(withSecrets([randomBytes(32).toString('hex')]));
    const ctx = withSecrets([randomBytes(32).toString('hex')]);
    const replacement = await signAndVerify(ctx);
    expect(replacement).not.toBe(lost);
    const stored = await world.ctx.repos.lti.listKeys();
    expect(stored.find((k) => k.kid === lost)?.retiresAt).toBe(T0.toISOString());
    expect(await kids()).toEqual([replacement]);
    // Every later call signs with the replacement; nothing is replaced twice.
    expect(await signAndVerify(ctx)).toBe(replacement);
    expect(await world.ctx.repos.lti.listKeys()).toHaveLength(2);
  });

  it('without secrets the service refuses to make keys', async () => {
    await expect(currentSigningKey(withSecrets([]))).rejects.toThrow(/ltiKeySecrets/);
  });
});
