/**
 * SIGTERM / SIGINT for one serving process: stop accepting, let requests in flight finish,
 * tell live-stream clients to reconnect, then stop the jobs (after their batch), the bus, the
 * repositories and the stand-ins, and exit 0. All of it within `graceMs`; past it, or on a
 * second signal, the process exits 1 with a log line saying why.
 */
import type { Server } from 'node:http';
import { endEventStreams } from '../app/realtime/event-stream-response.server';
import { logger } from '../app/utils/log.server';

let shuttingDown = false;

/** Whether a shutdown began: answers then carry `Connection: close`, so no keep-alive races it. */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

/** While the server waits for in-flight requests, connections that went idle are closed this often. */
const IDLE_SWEEP_MS = 50;

export function installGracefulShutdown(opts: {
  server: () => Server;
  graceMs: number;
  stop: () => Promise<void>;
  /**
   * A cluster worker gets Ctrl-C's SIGINT and its primary's SIGTERM together: the primary
   * bounds its workers itself, so only a single process takes a second signal as "now".
   */
  forceOnSecondSignal: boolean;
}): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      if (!opts.forceOnSecondSignal) return;
      logger.error({ signal }, 'second signal during shutdown: exiting without finishing');
      process.exit(1);
    }
    shuttingDown = true;
    void shutdown(signal);
  };

  async function shutdown(signal: NodeJS.Signals) {
    const server = opts.server();
    logger.info({ signal, graceMs: opts.graceMs }, 'shutting down: finishing the requests in flight');
    setTimeout(() => {
      logger.error({ graceMs: opts.graceMs }, 'shutdown took longer than SHUTDOWN_GRACE_MS: exiting anyway');
      process.exit(1);
    }, opts.graceMs).unref();
    try {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const streams = endEventStreams();
      if (streams) logger.info({ streams }, 'live streams told to reconnect');
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      server.closeIdleConnections();
      await closed;
      clearInterval(sweep);
      await opts.stop();
    } catch (error) {
      logger.error({ error }, 'shutdown failed');
      process.exit(1);
    }
    logger.info('shut down cleanly');
    process.exit(0);
  }

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
