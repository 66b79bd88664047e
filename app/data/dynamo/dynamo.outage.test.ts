/**
 * A DynamoDB endpoint that goes away (issue 17, "outages heal"), through a TCP proxy in front
 * of the stand-in: requests reject with DataStoreUnavailableError within a bounded time (the
 * SDK's attempts included), nothing is half-written, and the same repositories serve again
 * once the endpoint is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../../tests/tcp-proxy';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '../../../tools/dynamodb-local';
import { DataStoreUnavailableError } from '../errors';
import { newId } from '../ids';
import type { Repositories } from '../repository';
import { unreachableReason } from './client';
import { createDynamoRepositories, ensureTables } from './index';

let local: DynamoDbLocal;
let proxy: TcpProxy;
let repos: Repositories;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  const tablePrefix = `classcast-outage-${newId().toLowerCase()}-`;
  const direct = { endpoint: local.endpoint, region: 'us-east-1', tablePrefix, credentials: LOCAL_CREDENTIALS };
  await ensureTables(direct);
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(local.endpoint).port) });
  repos = createDynamoRepositories({ ...direct, endpoint: `http://127.0.0.1:${proxy.port}` });
});

afterAll(async () => {
  await proxy?.restore();
  await repos?.close();
  await proxy?.close();
  await local?.stop();
});

const aUser = () => ({
  email: `outage-${newId()}@example.test`,
  firstName: 'Ona',
  lastName: 'Outage',
  role: 'student' as const,
  passwordHash: null,
});

describe('a DynamoDB endpoint that goes away and comes back', () => {
  it('names refused, reset and timed-out requests unreachable, and nothing else', () => {
    expect(unreachableReason(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED',
    );
    expect(unreachableReason(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(unreachableReason(Object.assign(new Error('took too long'), { name: 'TimeoutError' }))).toBe('timed out');
    expect(unreachableReason(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }))).toBeNull();
  });

  it('fails fast while it is gone and serves again once it is back', async () => {
    const before = await repos.users.create(aUser());
    await proxy.cut();
    const started = Date.now();
    const failed = aUser();
    await expect(repos.users.getById(before.id)).rejects.toBeInstanceOf(DataStoreUnavailableError);
    await expect(repos.users.create(failed)).rejects.toBeInstanceOf(DataStoreUnavailableError);
    // The SDK's retries of a refused connection take well under its per-attempt timeouts.
    expect(Date.now() - started).toBeLessThan(10_000);

    await proxy.restore();
    expect(await repos.users.getById(before.id)).toEqual(before);
    expect(await repos.users.getByEmail(failed.email)).toBeNull();
  }, 30_000);
});
