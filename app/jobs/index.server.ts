/**
 * The process's jobs: the stream handlers over the service context's ports, fed by the outbox
 * runner. One per connected set of repositories (app/container.server.ts starts and stops it).
 */
import type { ServiceContext } from '~/services/context';
import { createMessagesStreamHandler } from './messages-stream';
import { createNotificationsStreamHandler } from './notifications-stream';
import { createOutboxRunner, type OutboxRunner, type OutboxRunnerOptions } from './outbox-runner.server';

export function createJobs(
  ctx: Pick<ServiceContext, 'repos' | 'bus'>,
  opts: Omit<OutboxRunnerOptions, 'outbox' | 'rows' | 'handlers'> = {},
): OutboxRunner {
  const { repos, bus } = ctx;
  return createOutboxRunner({
    ...opts,
    outbox: repos.outbox,
    rows: repos,
    handlers: {
      notification: createNotificationsStreamHandler({ bus, notifications: repos.notifications }),
      message: createMessagesStreamHandler({ bus, messages: repos.messages }),
    },
  });
}
