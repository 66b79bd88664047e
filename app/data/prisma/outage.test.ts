/**
 * A Postgres server that goes away while the app runs (issue 17, "outages heal"): requests fail
 * fast with DataStoreUnavailableError (503 + Retry-After upstream), the process survives its
 * pool's dead connections, and the same repositories serve again once the server is back, with
 * no restart. The server is cut off through a TCP proxy, so other tests keep their database.
 * Runs where DATABASE_URL names a Postgres server (as CI does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../../tests/tcp-proxy';
import { DataStoreUnavailableError } from '../errors';
import type { Repositories } from '../repository';
import { createPrismaRepositories } from './index';
import { migrateDeploy } from './migrate.server';
import { unreachableReason } from './unreachable';

const databaseUrl = process.env.DATABASE_URL;
const TIMEOUTS = { connectMs: 1_000, queryMs: 3_000 };

describe('unreachableReason', () => {
  it.each([
    [{ code: 'P1001', message: "Can't reach database server" }, 'Prisma P1001'],
    [{ code: 'P2024', message: 'Timed out fetching a new connection from the connection pool' }, 'Prisma P2024'],
    [{ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } }, 'ConnectionClosed'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'SQLSTATE 57P01'],
    [new Error('outer', { cause: new Error('Connection terminated unexpectedly') }), 'connection lost'],
  ])('names %o a connection failure', (error, reason) => {
    expect(unreachableReason(error)).toBe(reason);
  });

  it.each([
    [{ code: 'P2002', message: 'Unique constraint failed' }],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [new Error('Invalid `prisma.user.findFirst()` invocation')],
    ['a string'],
  ])('leaves %o alone', (error) => {
    expect(unreachableReason(error)).toBeNull();
  });
});

describe.runIf(databaseUrl)('a Postgres server that goes away and comes back', () => {
  let proxy: TcpProxy;
  let repos: Repositories;

  beforeAll(async () => {
    await migrateDeploy(databaseUrl!);
    const target = new URL(databaseUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(databaseUrl!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    repos = await createPrismaRepositories({ databaseUrl: proxied.toString(), poolMax: 4, timeouts: TIMEOUTS });
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore();
    await repos?.close();
    await proxy?.close();
  });

  const aUser = () => ({
    email: `outage-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`,
    firstName: 'Ona',
    lastName: 'Outage',
    role: 'student' as const,
    passwordHash: 'hash',
  });

  it('fails fast while it is gone, keeps the process alive, and serves again once it is back', async () => {
    // Several idle connections in the pool, so the cut kills connections nobody is using.
    const before = await Promise.all([1, 2, 3].map(() => repos.users.create(aUser())));
    expect(before).toHaveLength(3);

    await proxy.cut();
    const started = Date.now();
    const failures = await Promise.allSettled([
      repos.users.getById(before[0]!.id),
      repos.users.create(aUser()),
      repos.courses.getMany([]).then(() => repos.enrollments.listByUser(before[1]!.id)),
    ]);
    const elapsed = Date.now() - started;
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(DataStoreUnavailableError);
    }
    // Bounded: a refused connection is known at once, a silent one by the connect timeout.
    expect(elapsed).toBeLessThan(TIMEOUTS.connectMs + TIMEOUTS.queryMs);
    await expect(repos.ping()).rejects.toBeInstanceOf(DataStoreUnavailableError);

    await proxy.restore();
    const healedWithin = Date.now();
    let back = null;
    while (!back && Date.now() - healedWithin < 10_000) {
      back = await repos.users.getById(before[0]!.id).catch(() => null);
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back?.id).toBe(before[0]!.id);
    expect(Date.now() - healedWithin).toBeLessThan(5_000);
    // Nothing half-done: the create that failed during the outage left no row.
    const after = await repos.users.create(aUser());
    expect(await repos.users.getById(after.id)).toEqual(after);
  }, 30_000);
});
