/** The admin health page's report (admin-health.server.ts): dependencies up and down. */
import { describe, expect, it } from 'vitest';
import { builders, setupServiceContext } from '../../tests/service-context';
import { adminHealth } from './admin-health.server';

const world = setupServiceContext();
const { aUser } = builders(world);

describe('health', () => {
  it('reports the database up with its schema, the queues, and where mail goes', async () => {
    const admin = await aUser('admin');
    const health = await adminHealth(world.ctx, admin);
    expect(health.database).toMatchObject({ state: 'up', schemaCurrent: true });
    expect(health.storage.state).toBe('up');
    expect(health.jobs.state).toBe('up');
    expect(typeof health.mailQueue.pending).toBe('number');
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('shows a dependency that is down as down instead of failing', async () => {
    const admin = await aUser('admin');
    const broken = new Error('connection refused');
    const repos = new Proxy(world.ctx.repos, {
      get: (target, key) => (key === 'ping' ? () => Promise.reject(broken) : Reflect.get(target, key)),
    });
    const storage = { ...world.ctx.storage, ping: () => Promise.reject(broken) };
    const health = await adminHealth({ ...world.ctx, repos, storage }, admin);
    expect(health.database).toMatchObject({ state: 'down', latencyMs: null });
    expect(health.storage.state).toBe('down');
  });
});
