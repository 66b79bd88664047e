/**
 * Which handler reads which DynamoDB table's stream (the tables of STREAMED_TABLES in
 * app/data/dynamo/tables.ts), over the service context's ports. The same map feeds the local
 * stream poller and the Lambda entry points (lambda.ts), so both run identical jobs.
 */
import type { ServiceContext } from '~/services/context';
import { createMessagesStreamHandler } from './messages-stream';
import { createNotificationsStreamHandler } from './notifications-stream';
import { createOutboxRelay } from './outbox-relay';
import type { StreamHandler } from './outbox-runner.server';
import type { StreamedTable } from './stream-job-tables';
import { createUsersStreamHandler } from './users-stream';

export type { StreamedTable } from './stream-job-tables';

/** The outbox's own handlers: what an entry's row becomes on the bus (runner and relay alike). */
export function outboxHandlers({ repos, bus }: Pick<ServiceContext, 'repos' | 'bus'>) {
  return {
    notification: createNotificationsStreamHandler({ bus, notifications: repos.notifications }),
    message: createMessagesStreamHandler({ bus, messages: repos.messages }),
  };
}

export function streamHandlers(ctx: Pick<ServiceContext, 'repos' | 'bus'>): Record<StreamedTable, StreamHandler> {
  return {
    users: createUsersStreamHandler({ bus: ctx.bus }),
    notifications: createOutboxRelay({ outbox: ctx.repos.outbox, rows: ctx.repos, handlers: outboxHandlers(ctx) }),
  };
}
