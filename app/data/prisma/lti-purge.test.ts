/**
 * Postgres keeps no dead LTI rows for long: each login (saveLaunchState) and each launch
 * (useNonce) deletes a bounded batch of expired launch states and nonces, so abandoned logins
 * and old nonces do not pile up without a sweeper job — and a write never pays for more than
 * one batch. (DynamoDB leaves the same job to the users table's TTL.)
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../repository';
import { startMigratedDatabase } from '../../../tests/migrated-database';
import { EMBEDDED_POOL_MAX } from './embedded.server';
import { createPrismaRepositories } from './index';
import { LTI_PURGE_BATCH } from './lti';

let repos: Repositories;
let sql: pg.Client;
let stop: () => Promise<void>;

beforeAll(async () => {
  const server = await startMigratedDatabase();
  stop = server.stop;
  repos = await createPrismaRepositories({ databaseUrl: server.url, poolMax: EMBEDDED_POOL_MAX });
  sql = new pg.Client({ connectionString: server.url });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await repos?.close();
  await stop?.();
}, 60_000);

const count = async (table: 'lti_launch_states' | 'lti_nonces') =>
  Number((await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
const past = new Date(Date.now() - 60_000);
const future = new Date(Date.now() + 600_000);

async function addExpired(n: number) {
  await sql.query(
    `INSERT INTO lti_launch_states (state, nonce, platform_id, target_link_uri, login_hint, expires_at, created_at)
     SELECT 'old-' || i, 'n', 'p', 'https://t', 'h', $1, $1 FROM generate_series(1, $2) AS i`,
    [past, n],
  );
  await sql.query(
    `INSERT INTO lti_nonces (issuer, nonce, expires_at) SELECT 'https://lms', 'old-' || i, $1 FROM generate_series(1, $2) AS i`,
    [past, n],
  );
}

const aState = (state: string) => ({
  state,
  nonce: 'n',
  platformId: 'p',
  targetLinkUri: 'https://t',
  loginHint: 'h',
  expiresAt: future.toISOString(),
});

describe('expired LTI launch states and nonces on Postgres', () => {
  it('are deleted a bounded batch per write, live ones kept', async () => {
    await addExpired(LTI_PURGE_BATCH + 20);
    await repos.lti.saveLaunchState(aState('live-1'));
    expect(await count('lti_launch_states')).toBe(20 + 1);
    expect(await count('lti_nonces')).toBe(20);

    expect(await repos.lti.useNonce('https://lms', 'live', future.toISOString())).toBe(true);
    expect(await count('lti_launch_states')).toBe(1);
    expect(await count('lti_nonces')).toBe(1);
    expect(await repos.lti.consumeLaunchState('live-1')).toMatchObject({ state: 'live-1' });
    expect(await repos.lti.useNonce('https://lms', 'live', future.toISOString())).toBe(false);
  });
});
