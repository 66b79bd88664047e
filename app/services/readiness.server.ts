/**
 * /readyz: can this process serve? The database (reachable, migrations applied or tables
 * ACTIVE), the storage bucket and the realtime bus, each asked once with a short timeout, all
 * at the same time. The answer names only which part is down, never why (no hostnames, no
 * driver messages): the reasons go to the log.
 */
import { logWarn } from '~/utils/log.server';
import type { ServiceContext } from './context';

export type CheckName = 'database' | 'migrations' | 'storage' | 'bus';
export type CheckState = 'ok' | 'down';

export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, CheckState>;
}

/** A check slower than this counts as down: a load balancer's probe must not hang. */
export const READINESS_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function attempt(name: CheckName, work: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  try {
    await withTimeout(Promise.resolve().then(work), timeoutMs);
    return true;
  } catch (error) {
    logWarn('readiness check failed', { check: name, error });
    return false;
  }
}

export async function checkReadiness(
  ctx: Pick<ServiceContext, 'repos' | 'storage' | 'bus'>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<Readiness> {
  let schemaCurrent = false;
  const [database, storage, bus] = await Promise.all([
    attempt('database', async () => ({ schemaCurrent } = await ctx.repos.ping()), timeoutMs),
    attempt('storage', () => ctx.storage.ping(), timeoutMs),
    attempt('bus', () => ctx.bus.ping?.() ?? Promise.resolve(), timeoutMs),
  ]);
  const checks: Record<CheckName, CheckState> = {
    database: database ? 'ok' : 'down',
    // Unknown while the database is down: reported down, as nothing can be served either way.
    migrations: database && schemaCurrent ? 'ok' : 'down',
    storage: storage ? 'ok' : 'down',
    bus: bus ? 'ok' : 'down',
  };
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}
