/**
 * /admin/health (issue 16): what an admin needs to see that the app is well. Each part is
 * asked on its own with a timeout; a part that is down (or slow) is shown as down, never a
 * 500. Reasons go to the log only (readiness.server.ts does the same for /readyz).
 */
import path from 'node:path';
import { config } from '~/config.server';
import { logWarn } from '~/utils/log.server';
import { requireAdmin } from './access.server';
import type { ServiceContext } from './context';
import { READINESS_TIMEOUT_MS } from './readiness.server';
import type { User } from '~/data/repository';

export type HealthState = 'up' | 'down';

export interface AdminHealth {
  database: { state: HealthState; schemaCurrent: boolean; latencyMs: number | null };
  storage: { state: HealthState; latencyMs: number | null };
  jobs: { state: HealthState; pending: number | null; oldestPendingAgeSeconds: number | null };
  mailQueue: { state: HealthState; pending: number | null };
  mailTransport: { kind: 'smtp'; host: string } | { kind: 'files'; directory: string };
  uptimeSeconds: number;
  version: string | null;
  commit: string | null;
  checkedAt: string;
}

async function timed<T>(name: string, work: () => Promise<T>, timeoutMs: number) {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await Promise.race([
      Promise.resolve().then(work),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true as const, value, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    logWarn('admin health check failed', { check: name, error });
    return { ok: false as const, value: null, latencyMs: null };
  } finally {
    clearTimeout(timer);
  }
}

/** Where mail goes, from configuration only (the host, never credentials). */
function mailTransport(): AdminHealth['mailTransport'] {
  const cfg = config();
  if (cfg.SMTP_URL) {
    try {
      return { kind: 'smtp', host: new URL(cfg.SMTP_URL).host };
    } catch {
      return { kind: 'smtp', host: '(unreadable SMTP_URL)' };
    }
  }
  // The folder the mail transport writes to without SMTP (app/mail/transport.server.ts).
  return { kind: 'files', directory: path.resolve(cfg.DATA_DIR, 'mail') };
}

export async function adminHealth(
  ctx: Pick<ServiceContext, 'repos' | 'storage' | 'now'>,
  actor: User | null,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<AdminHealth> {
  requireAdmin(actor);
  const [database, storage, pending, oldest, mail] = await Promise.all([
    timed('database', () => ctx.repos.ping(), timeoutMs),
    timed('storage', () => ctx.storage.ping(), timeoutMs),
    timed('jobs', () => ctx.repos.outbox.countPending(), timeoutMs),
    timed('jobs-age', () => ctx.repos.outbox.oldestPendingAt(), timeoutMs),
    timed('mail-queue', () => ctx.repos.outbox.countPending('mail'), timeoutMs),
  ]);
  const now = ctx.now();
  const oldestAt = oldest.ok && oldest.value ? new Date(oldest.value) : null;
  return {
    database: {
      state: database.ok ? 'up' : 'down',
      schemaCurrent: database.ok ? database.value.schemaCurrent : false,
      latencyMs: database.latencyMs,
    },
    storage: { state: storage.ok ? 'up' : 'down', latencyMs: storage.latencyMs },
    jobs: {
      state: pending.ok ? 'up' : 'down',
      pending: pending.ok ? pending.value : null,
      oldestPendingAgeSeconds: oldestAt ? Math.max(0, Math.round((now.getTime() - oldestAt.getTime()) / 1000)) : null,
    },
    mailQueue: { state: mail.ok ? 'up' : 'down', pending: mail.ok ? mail.value : null },
    mailTransport: mailTransport(),
    uptimeSeconds: Math.round(process.uptime()),
    version: config().APP_VERSION ?? null,
    commit: config().GIT_COMMIT ?? null,
    checkedAt: now.toISOString(),
  };
}
