/**
 * Which handler reads which DynamoDB table's stream (the tables of STREAMED_TABLES in
 * app/data/dynamo/tables.ts), over the service context's ports. The same map feeds the local
 * stream poller and the Lambda entry points (lambda.ts), so both run identical jobs.
 */
import type { ServiceContext } from '~/services/context';
import { createLtiScoreHandler, passbackNotConfigured, type SendLtiScore } from './lti-score-stream';
import { createMailHandler, mailNotConfigured, type SendMail } from './mail-stream';
import { createMessagesStreamHandler } from './messages-stream';
import { createNotificationsStreamHandler } from './notifications-stream';
import { createOutboxRelay } from './outbox-relay';
import type { StreamHandler } from './outbox-runner.server';
import type { StreamTopic } from './stream-tables';
import type { StreamedTable } from './stream-job-tables';
import { createUsersStreamHandler } from './users-stream';

export type { StreamedTable } from './stream-job-tables';

/**
 * What the jobs do beyond the ports, given by the composition root that has the services
 * (the jobs never import a service).
 */
export interface JobEffects {
  /**
   * Sends a graded submission's score to the LMS (lti-grades.server.ts `sendLtiScore`).
   * Absent: `ltiScore` entries wait (relay) or fail and are retried (runner), never dropped,
   * until a process has it.
   */
  ltiScore?: SendLtiScore;
  /**
   * Sends one 'mail' entry (app/mail/deliver.server.ts `deliverMail`). Absent: the stream
   * relay leaves mail entries due, and the outbox runner fails and retries them, never dropping
   * one, until a process that has a transport takes them.
   */
  mail?: SendMail;
}

/** The outbox's own handlers: what an entry's row becomes (runner and relay alike). */
export function outboxHandlers(
  { repos, bus }: Pick<ServiceContext, 'repos' | 'bus'>,
  effects: JobEffects = {},
): Record<StreamTopic, StreamHandler> {
  return {
    notification: createNotificationsStreamHandler({
      bus,
      notifications: repos.notifications,
      mail: { users: repos.users, outbox: repos.outbox },
    }),
    message: createMessagesStreamHandler({ bus, messages: repos.messages }),
    ltiScore: createLtiScoreHandler(effects.ltiScore ?? passbackNotConfigured),
    mail: createMailHandler(effects.mail ?? mailNotConfigured),
  };
}

export function streamHandlers(
  ctx: Pick<ServiceContext, 'repos' | 'bus'>,
  effects: JobEffects = {},
): Record<StreamedTable, StreamHandler> {
  // What this process lacks the means for waits, due, for the sweep of one that has them.
  const elsewhere: StreamTopic[] = [];
  if (!effects.mail) elsewhere.push('mail');
  if (!effects.ltiScore) elsewhere.push('ltiScore');
  return {
    users: createUsersStreamHandler({ bus: ctx.bus }),
    notifications: createOutboxRelay({
      outbox: ctx.repos.outbox,
      rows: ctx.repos,
      handlers: outboxHandlers(ctx, effects),
      elsewhere,
    }),
  };
}
