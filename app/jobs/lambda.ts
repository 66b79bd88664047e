/**
 * The stream jobs as AWS Lambda entry points, one per streamed table, named
 * `<tableKey>Stream` (infra/ points each table's event source mapping at `lambda.<name>`;
 * docs/decisions/020-stream-jobs.md). Deps are built once per cold start from the validated
 * environment: the DynamoDB repositories and the realtime bus that reaches the web tier —
 * Postgres LISTEN/NOTIFY when REALTIME_DATABASE_URL is set; without it a Lambda's publish
 * reaches no browser (the durable effects still happen, and the bell catches up on its next
 * load or reconnect). Set the mapping's FunctionResponseTypes to ReportBatchItemFailures.
 *
 * This file is a composition root like app/container.server.ts, so it alone in app/jobs may
 * name the DynamoDB adapter (eslint.config.js).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { jobsConfig, type JobsConfig } from '~/config.server';
import { createDynamoRepositories } from '~/data/dynamo/index';
import { systemClock, type Repositories } from '~/data/repository';
import type { RealtimeBus } from '~/realtime/bus';
import { createMemoryBus } from '~/realtime/memory-bus';
import { sendLtiScore } from '~/services/lti-grades.server';
import { logError, logWarn } from '~/utils/log.server';
import { streamHandlers, type StreamedTable } from './stream-jobs';

type Handlers = ReturnType<typeof streamHandlers>;

let ready: Promise<Handlers> | null = null;

async function busFor(cfg: JobsConfig): Promise<RealtimeBus> {
  if (cfg.REALTIME_BUS !== 'postgres') {
    logError('stream jobs: no cross-process bus (REALTIME_DATABASE_URL unset): live pushes reach no browser');
    return createMemoryBus();
  }
  const { createPostgresBus } = await import('~/realtime/postgres-bus.server');
  const bus = createPostgresBus({ url: (cfg.REALTIME_DATABASE_URL ?? cfg.DATABASE_URL)! });
  await bus.ready;
  return bus;
}

/**
 * Grade passback from the submissions' outbox entries. Without LTI_KEY_SECRET the Lambda cannot
 * open the tool's signing key: it sends nothing and the entries stay queued (retried), never lost.
 */
function ltiScoreSender(cfg: JobsConfig, repos: Repositories) {
  const ltiKeySecrets = cfg.ltiKeySecrets;
  if (!ltiKeySecrets) {
    logWarn('stream jobs: LTI_KEY_SECRET unset: grades wait in the outbox until a process can send them');
    return undefined;
  }
  const ctx = {
    repos,
    now: systemClock,
    // A job uploads nothing and links nowhere: only the key secrets matter here.
    settings: { uploadMaxBytes: 0, appUrl: cfg.APP_URL ?? 'http://localhost', ltiKeySecrets },
  };
  return (submissionId: string) => sendLtiScore(ctx, submissionId);
}

/** Once per cold start; a failed start is retried by the next invocation, not cached. */
function handlers(): Promise<Handlers> {
  ready ??= (async () => {
    const cfg = jobsConfig();
    const repos = createDynamoRepositories({
      endpoint: cfg.DYNAMODB_ENDPOINT,
      region: cfg.AWS_REGION,
      tablePrefix: cfg.DYNAMODB_TABLE_PREFIX,
    });
    return streamHandlers({ repos, bus: await busFor(cfg) }, { ltiScore: ltiScoreSender(cfg, repos) });
  })().catch((error: unknown) => {
    ready = null;
    throw error;
  });
  return ready;
}

const entryPoint =
  (table: StreamedTable) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    (await handlers())[table](event);

export const usersStream = entryPoint('users');
export const notificationsStream = entryPoint('notifications');
