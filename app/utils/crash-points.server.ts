/**
 * The crash itself: SIGKILL, the worst way a server ends (no finally blocks, no flush, no
 * goodbye), at a point CRASH_AT names. Off unless CRASH_AT is set; production never sets it.
 */
import { config } from '~/config.server';
import type { CrashPoint } from './crash-points';

export function crashPoint(name: CrashPoint): void {
  if (config().CRASH_AT !== name) return;
  process.kill(process.pid, 'SIGKILL');
}
