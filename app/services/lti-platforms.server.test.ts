import { describe, expect, it } from 'vitest';
import { builders, expectStatus, setupServiceContext } from '../../tests/service-context';
import {
  PLATFORM_ORIGINS_TTL_MS,
  PLATFORM_TAKEN,
  createPlatform,
  deletePlatform,
  getPlatform,
  listPlatforms,
  platformOrigins,
  updatePlatform,
} from './lti-platforms.server';

const world = setupServiceContext();
const { aUser } = builders(world);

let n = 0;
/** A registration of a fresh LMS host, so tests never see each other's issuers. */
function aRegistration(overrides: Record<string, unknown> = {}) {
  const host = `https://lms${++n}-${Date.now().toString(36)}.example.edu`;
  return {
    name: `  Canvas ${n}  `,
    issuer: `${host}/`,
    clientId: ` 1000000000${n} `,
    deploymentIds: ` 1:abc \n\n 2:def\n1:abc`,
    authUrl: `https://sso${n}.example.edu/api/lti/authorize_redirect`,
    tokenUrl: `${host}/login/oauth2/token`,
    jwksUrl: `${host}/api/lti/security/jwks`,
    ...overrides,
  };
}

async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'AppError', status: 400 });
  return (error as { details: { fields: Record<string, string[]> } }).details.fields;
}

describe('registering a platform', () => {
  it('trims every field, splits deployment ids (lines or commas, no repeats) and lists it', async () => {
    const admin = await aUser('admin');
    const input = aRegistration();
    const platform = await createPlatform(world.ctx, admin, input);
    expect(platform).toMatchObject({
      name: `Canvas ${n}`,
      issuer: input.issuer,
      clientId: `1000000000${n}`,
      deploymentIds: ['1:abc', '2:def'],
    });
    expect(await getPlatform(world.ctx, admin, platform.id)).toEqual(platform);
    const listed = await listPlatforms(world.ctx, admin, { limit: 100 });
    expect(listed.platforms.map((p) => p.id)).toContain(platform.id);
  });

  it('accepts deployment ids as a JSON array', async () => {
    const admin = await aUser('admin');
    const platform = await createPlatform(world.ctx, admin, aRegistration({ deploymentIds: ['d1', ' d2 '] }));
    expect(platform.deploymentIds).toEqual(['d1', 'd2']);
  });

  it('says what is wrong with each field', async () => {
    const admin = await aUser('admin');
    const fields = await fieldErrorsOf(
      createPlatform(world.ctx, admin, {
        name: '  ',
        issuer: 'canvas.example.edu',
        clientId: '',
        deploymentIds: ' \n ',
        authUrl: 'http://lms.example.edu/auth',
        tokenUrl: 'ftp://lms.example.edu/token',
      }),
    );
    expect(fields.name).toEqual(['Name is required.']);
    expect(fields.issuer?.[0]).toMatch(/full URL/);
    expect(fields.clientId).toEqual(['Client id is required.']);
    expect(fields.deploymentIds).toEqual(['Enter at least one deployment id.']);
    expect(fields.authUrl?.[0]).toMatch(/must start with https:\/\/ \(http:\/\/ only for localhost/);
    expect(fields.tokenUrl?.[0]).toMatch(/must start with https:\/\//);
    expect(fields.jwksUrl).toEqual(['Keyset (JWKS) URL is required.']);
  });

  it('allows plain http only on this machine (tests, laptops)', async () => {
    const admin = await aUser('admin');
    const local = await createPlatform(
      world.ctx,
      admin,
      aRegistration({
        issuer: `http://localhost:48301/i${n}`,
        authUrl: 'http://127.0.0.1:48301/auth',
        tokenUrl: 'http://127.0.0.1:48301/token',
        jwksUrl: 'http://[::1]:48301/jwks',
      }),
    );
    expect(local.issuer).toMatch(/^http:\/\/localhost/);
    const fields = await fieldErrorsOf(
      createPlatform(world.ctx, admin, aRegistration({ jwksUrl: 'http://10.0.0.5/jwks' })),
    );
    expect(Object.keys(fields)).toEqual(['jwksUrl']);
  });

  it('refuses URLs carrying credentials', async () => {
    const admin = await aUser('admin');
    const fields = await fieldErrorsOf(
      createPlatform(world.ctx, admin, aRegistration({ tokenUrl: 'https://user:pw@lms.example.edu/token' })),
    );
    expect(fields.tokenUrl?.[0]).toMatch(/user name or password/);
  });

  it('refuses a second registration of the same issuer and client id with a clear 409', async () => {
    const admin = await aUser('admin');
    const input = aRegistration();
    await createPlatform(world.ctx, admin, input);
    const clash = createPlatform(world.ctx, admin, { ...input, name: 'Again' });
    await expect(clash).rejects.toMatchObject({ status: 409, message: PLATFORM_TAKEN });
    // Another client id of the same issuer is a registration of its own.
    const other = await createPlatform(world.ctx, admin, { ...input, clientId: 'another' });
    expect(other.issuer).toBe(input.issuer);
  });

  it('is for admins only', async () => {
    const teacher = await aUser('instructor');
    await expectStatus(createPlatform(world.ctx, teacher, aRegistration()), 403);
    await expectStatus(listPlatforms(world.ctx, teacher), 403);
    await expectStatus(createPlatform(world.ctx, null, aRegistration()), 401);
  });
});

describe('editing and deleting', () => {
  it('updates only what is given, with the same rules', async () => {
    const admin = await aUser('admin');
    const platform = await createPlatform(world.ctx, admin, aRegistration());
    const updated = await updatePlatform(world.ctx, admin, platform.id, {
      name: ' Canvas (district) ',
      deploymentIds: 'x',
    });
    expect(updated).toMatchObject({ name: 'Canvas (district)', deploymentIds: ['x'], clientId: platform.clientId });
    const fields = await fieldErrorsOf(updatePlatform(world.ctx, admin, platform.id, { authUrl: 'nope' }));
    expect(Object.keys(fields)).toEqual(['authUrl']);
  });

  it('refuses an edit that would clash with another registration', async () => {
    const admin = await aUser('admin');
    const a = await createPlatform(world.ctx, admin, aRegistration());
    const b = await createPlatform(world.ctx, admin, aRegistration());
    await expect(
      updatePlatform(world.ctx, admin, b.id, { issuer: a.issuer, clientId: a.clientId }),
    ).rejects.toMatchObject({ status: 409, message: PLATFORM_TAKEN });
  });

  it('an unknown registration is 404 for get, update and delete', async () => {
    const admin = await aUser('admin');
    const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    await expectStatus(getPlatform(world.ctx, admin, missing), 404);
    await expectStatus(updatePlatform(world.ctx, admin, missing, { name: 'x' }), 404);
    await expectStatus(deletePlatform(world.ctx, admin, missing), 404);
  });

  it('deletes (admins only), after which it is gone', async () => {
    const [admin, teacher] = [await aUser('admin'), await aUser('instructor')];
    const platform = await createPlatform(world.ctx, admin, aRegistration());
    await expectStatus(deletePlatform(world.ctx, teacher, platform.id), 403);
    await expectStatus(updatePlatform(world.ctx, teacher, platform.id, { name: 'mine' }), 403);
    expect((await deletePlatform(world.ctx, admin, platform.id)).id).toBe(platform.id);
    await expectStatus(getPlatform(world.ctx, admin, platform.id), 404);
  });
});

describe('platformOrigins', () => {
  it('are the distinct origins of every issuer and auth URL, and follow writes in this process at once', async () => {
    const admin = await aUser('admin');
    const tokenOrigin = `https://tokens-${Date.now().toString(36)}.example.edu`;
    const input = aRegistration({ tokenUrl: `${tokenOrigin}/token`, jwksUrl: `${tokenOrigin}/jwks` });
    const issuerOrigin = new URL(input.issuer).origin;
    const authOrigin = new URL(input.authUrl).origin;
    expect(await platformOrigins(world.ctx)).not.toContain(issuerOrigin);
    const platform = await createPlatform(world.ctx, admin, input);
    const origins = await platformOrigins(world.ctx);
    expect(origins).toEqual(expect.arrayContaining([issuerOrigin, authOrigin]));
    expect(origins.filter((o) => o === issuerOrigin)).toHaveLength(1);
    // Its token and JWKS URLs are the server's business, not pages that frame us.
    expect(origins).not.toContain(tokenOrigin);

    const moved = 'https://moved.example.edu';
    await updatePlatform(world.ctx, admin, platform.id, { authUrl: `${moved}/auth` });
    expect(await platformOrigins(world.ctx)).toContain(moved);
    expect(await platformOrigins(world.ctx)).not.toContain(authOrigin);

    await deletePlatform(world.ctx, admin, platform.id);
    expect(await platformOrigins(world.ctx)).not.toContain(moved);
  });

  it('another process’s writes show within the cache lifetime', async () => {
    const before = await platformOrigins(world.ctx);
    // Written straight through the port: this process's cache is not told, as for another process.
    const input = aRegistration();
    await world.ctx.repos.lti.createPlatform({ ...input, deploymentIds: ['d'] });
    const origin = new URL(input.issuer).origin;
    expect(await platformOrigins(world.ctx)).toEqual(before);
    world.clock.advance(PLATFORM_ORIGINS_TTL_MS + 1);
    try {
      expect(await platformOrigins(world.ctx)).toContain(origin);
    } finally {
      world.clock.reset();
    }
  });
});
