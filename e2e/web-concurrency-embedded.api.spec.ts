/**
 * WEB_CONCURRENCY=2 on the embedded default (PGlite lives in one process): one clear line
 * says why, and one process serves (docs/decisions/018).
 */
import { canReadProcesses, startServerProcess, stopWithin, workerPids } from './cluster-processes';
import { expect, test } from './fixtures';

test.skip((process.env.E2E_BACKEND ?? 'postgres') !== 'postgres', 'the embedded default is the postgres run');

test('the embedded default asked for two processes says why it runs one, and runs one', async () => {
  test.setTimeout(180_000);
  const server = await startServerProcess({ E2E_BACKEND: 'postgres', WEB_CONCURRENCY: '2' }, 'ClassCast is running at');
  try {
    const lines = server.log().split('\n');
    expect(lines.filter((l) => l.startsWith('WEB_CONCURRENCY=2'))).toEqual([
      'WEB_CONCURRENCY=2: running one process, because the embedded PostgreSQL (PGlite) lives inside one process; set DATABASE_URL to a PostgreSQL server.',
    ]);
    if (canReadProcesses) expect(workerPids(server.child.pid!)).toEqual([]);
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    expect(server.log()).not.toMatch(/worker \d+ serving/);
  } finally {
    expect(await stopWithin(server.child, 15_000)).toBe(0);
  }
});
