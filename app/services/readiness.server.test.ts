import { describe, expect, it } from 'vitest';
import type { Repositories } from '~/data/repository';
import type { RealtimeBus } from '~/realtime/bus';
import type { VideoStorage } from '~/storage/storage';
import { checkReadiness } from './readiness.server';

const SECRET_HOST = 'db.internal.example:5432';
const ok = () => Promise.resolve();
const never = () => new Promise<never>(() => undefined);
const refused = () => Promise.reject(new Error(`connect ECONNREFUSED ${SECRET_HOST}`));

function ports(parts: {
  db?: () => Promise<{ schemaCurrent: boolean }>;
  storage?: () => Promise<void>;
  bus?: () => Promise<void>;
}) {
  return {
    repos: { ping: parts.db ?? (() => Promise.resolve({ schemaCurrent: true })) } as unknown as Repositories,
    storage: { ping: parts.storage ?? ok } as unknown as VideoStorage,
    bus: { ping: parts.bus ?? ok } as unknown as RealtimeBus,
  };
}

describe('checkReadiness', () => {
  it('is ready when every dependency answers and the schema is current', async () => {
    expect(await checkReadiness(ports({}))).toEqual({
      ready: true,
      checks: { database: 'ok', migrations: 'ok', storage: 'ok', bus: 'ok' },
    });
  });

  it('names the part that is down, and nothing about why', async () => {
    const result = await checkReadiness(ports({ storage: refused }));
    expect(result.ready).toBe(false);
    expect(result.checks).toEqual({ database: 'ok', migrations: 'ok', storage: 'down', bus: 'ok' });
    expect(JSON.stringify(result)).not.toContain('ECONNREFUSED');
  });

  it('reports migrations not applied', async () => {
    const result = await checkReadiness(ports({ db: () => Promise.resolve({ schemaCurrent: false }) }));
    expect(result.checks).toMatchObject({ database: 'ok', migrations: 'down' });
  });

  it('counts a dependency that hangs as down, within the timeout', async () => {
    const started = Date.now();
    const result = await checkReadiness(ports({ bus: never, db: never as never }), 100);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.checks).toEqual({ database: 'down', migrations: 'down', storage: 'ok', bus: 'down' });
  });

  it('treats a bus without ping as in-process and reachable', async () => {
    const p = ports({});
    const result = await checkReadiness({ ...p, bus: {} as RealtimeBus });
    expect(result.checks.bus).toBe('ok');
  });
});
