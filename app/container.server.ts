/**
 * The service container, built inside the Remix server bundle and kept on globalThis (as
 * the Epic Stack's singleton.server.ts keeps its database client): everything that throws
 * and everything that catches lives in one module graph, so `instanceof` just works.
 *
 * Two layers, so a development rebuild reuses what is slow or holds a port:
 * - the stand-ins (embedded Postgres, DynamoDB Local, the S3 stand-in), migrations, tables
 *   and the demo seed happen once per process;
 * - the repositories and storage clients are connected by the module copy that uses them; a
 *   rebuilt bundle (a new copy of the error classes) connects its own and closes the old.
 * This is the ONE place that knows which backend runs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import { createAccountMailLimiter } from '~/auth/account-mail-limiter.server';
import { config, type Config } from '~/config.server';
import { systemClock, type Clock, type Repositories } from '~/data/repository';
import type { RealtimeBus } from '~/realtime/bus';
import type { DynamoOptions } from '~/data/dynamo/client';
import { createJobs, type StreamJobsSource } from '~/jobs/index.server';
import { deliverMail } from '~/mail/deliver.server';
import { createMailTransport } from '~/mail/transport.server';
import { createMemoryBus } from '~/realtime/memory-bus';
import type { ServiceContext } from '~/services/context';
import { sendLtiScore } from '~/services/lti-grades.server';
import { seedDemo, type DemoLogin } from '~/services/seed.server';
import type { VideoStorage } from '~/storage/storage';
import { logError, logInfo } from '~/utils/log.server';
import { dbCallCounter, reportOutboxQueue } from '~/utils/metrics.server';

export interface Container {
  services: ServiceContext;
  /** Where the data lives, for the start-up banner. */
  description: string;
  /** Origins the browser talks to directly (the S3 endpoint), for the CSP. */
  browserOrigins: string[];
  demoLogins: DemoLogin[];
  /** Stops this container's jobs (the outbox runner); its repositories stay open. */
  stopJobs(): Promise<void>;
  stop(): Promise<void>;
}

type Stops = Array<() => Promise<void>>;

/**
 * Who this process is (docs/decisions/018-web-concurrency.md): `single` does everything;
 * with WEB_CONCURRENCY the `primary` prepares the shared data once (migrations, tables, the
 * local S3 stand-in, the demo seed) and serves nothing, and each `worker` only connects.
 */
export type ProcessRole = 'single' | 'primary' | 'worker';

/** What the stand-ins and settings resolve to: enough to connect clients, any number of times. */
interface Infrastructure {
  connectRepositories(now: Clock): Promise<Repositories>;
  connectStorage(): Promise<VideoStorage>;
  /** One per process: it may hold a connection (LISTEN) that outlives a rebuilt bundle. */
  bus: RealtimeBus;
  /** Set when the jobs read DynamoDB Streams here (STREAM_JOBS=poller) instead of the outbox. */
  streamJobs?: StreamJobsSource;
  /** Set when deployed functions consume the streams (STREAM_JOBS=lambda): this process only sweeps the outbox. */
  jobsElsewhere?: boolean;
  description: string;
  browserOrigins: string[];
  demoLogins: DemoLogin[];
  stops: Stops;
}

async function postgresInfrastructure(cfg: Config, stops: Stops, role: ProcessRole) {
  const { migrateDeploy } = await import('~/data/prisma/migrate.server');
  let databaseUrl = cfg.DATABASE_URL;
  let description = 'PostgreSQL (DATABASE_URL)';
  let poolMax: number | undefined;
  if (!databaseUrl) {
    const { EMBEDDED_POOL_MAX, startEmbeddedPostgres } = await import('~/data/prisma/embedded.server');
    const dataDir = path.resolve(cfg.DATA_DIR, 'pg');
    await mkdir(dataDir, { recursive: true });
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: cfg.EMBEDDED_PG_PORT,
      // Without its database the server can only fail every request: stop, loudly.
      onCrash: (error) => {
        logError('embedded Postgres failed', error);
        process.exit(1);
      },
    });
    stops.push(() => embedded.stop());
    databaseUrl = embedded.url;
    description = `embedded PostgreSQL (PGlite) in ${dataDir}`;
    poolMax = EMBEDDED_POOL_MAX;
  }
  if (role !== 'worker') await migrateDeploy(databaseUrl);
  const url = databaseUrl;
  return {
    description,
    streamJobs: undefined as StreamJobsSource | undefined,
    connect: async (now: Clock) => {
      const { createPrismaRepositories } = await import('~/data/prisma/index');
      // Counted only when /metrics is on: Prisma's query events are not free.
      const onQuery = cfg.METRICS_TOKEN ? dbCallCounter('postgres') : undefined;
      return createPrismaRepositories({
        databaseUrl: url,
        poolMax,
        now,
        onQuery,
        timeouts: { connectMs: cfg.DB_CONNECT_TIMEOUT_MS, queryMs: cfg.DB_QUERY_TIMEOUT_MS },
      });
    },
  };
}

async function dynamoInfrastructure(cfg: Config, stops: Stops, role: ProcessRole) {
  const { ensureTables } = await import('~/data/dynamo/index');
  let endpoint = cfg.DYNAMODB_ENDPOINT;
  if (!endpoint && cfg.DYNAMODB_LOCAL) {
    const { startDynamoDbLocal } = await import('../tools/dynamodb-local');
    const local = await startDynamoDbLocal({ dataDir: path.resolve(cfg.DATA_DIR, 'dynamodb') });
    stops.push(() => local.stop());
    endpoint = local.endpoint;
  }
  const credentials =
    cfg.AWS_ACCESS_KEY_ID && cfg.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: cfg.AWS_ACCESS_KEY_ID, secretAccessKey: cfg.AWS_SECRET_ACCESS_KEY }
      : endpoint
        ? { accessKeyId: 'local', secretAccessKey: 'local' }
        : undefined;
  const opts = { endpoint, region: cfg.AWS_REGION, tablePrefix: cfg.DYNAMODB_TABLE_PREFIX, credentials };
  if (role !== 'worker') await ensureTables(opts);
  return {
    description: `DynamoDB ${endpoint ?? `(AWS ${cfg.AWS_REGION})`} tables ${cfg.DYNAMODB_TABLE_PREFIX}*`,
    streamJobs: cfg.STREAM_JOBS === 'poller' ? await streamJobsSource(cfg, opts, stops) : undefined,
    connect: async (now: Clock) => {
      const { createDynamoRepositories } = await import('~/data/dynamo/index');
      const onCommand = cfg.METRICS_TOKEN ? dbCallCounter('dynamodb') : undefined;
      return createDynamoRepositories({ ...opts, now, onCommand });
    },
  };
}

/** The stream poller's reader (one per process) and its checkpoints beside the local data. */
async function streamJobsSource(cfg: Config, opts: DynamoOptions, stops: Stops): Promise<StreamJobsSource> {
  const { createDynamoStreamReader } = await import('~/data/dynamo/stream-reader');
  const { fileCheckpoints } = await import('~/jobs/stream-checkpoints.server');
  const { tableNamesFor } = await import('~/data/dynamo/tables');
  const reader = createDynamoStreamReader(opts);
  stops.push(async () => reader.close());
  const names = tableNamesFor(opts.tablePrefix);
  return {
    reader,
    checkpoints: fileCheckpoints(path.resolve(cfg.DATA_DIR, `stream-checkpoints.${opts.tablePrefix}json`)),
    tableNames: { users: names.users, notifications: names.notifications },
    pollMs: cfg.STREAM_POLL_MS,
  };
}

async function storageInfrastructure(cfg: Config, stops: Stops, role: ProcessRole) {
  const { createS3Storage, ensureBucket } = await import('~/storage/s3.server');
  const region = cfg.S3_REGION ?? cfg.AWS_REGION;
  // Browsers upload from, and play back on, the app's origin.
  const corsOrigins = [cfg.appUrl];
  if (cfg.useLocalS3 && !cfg.S3_ENDPOINT) {
    const { LOCAL_S3_CREDENTIALS, startLocalS3 } = await import('~/storage/local-s3.server');
    const directory = path.resolve(cfg.DATA_DIR, 's3');
    const local = await startLocalS3({ directory, port: cfg.S3_LOCAL_PORT, bucket: cfg.S3_BUCKET, corsOrigins });
    stops.push(() => local.stop());
    const opts = {
      region,
      bucket: cfg.S3_BUCKET,
      endpoint: local.endpoint,
      forcePathStyle: true,
      credentials: LOCAL_S3_CREDENTIALS,
    };
    return {
      connect: async () => createS3Storage(opts),
      origin: new URL(local.endpoint).origin,
      description: `local S3 stand-in at ${local.endpoint} (${directory})`,
      // Workers reach the primary's stand-in as any S3-compatible endpoint.
      workerSettings: {
        S3_LOCAL: 'false',
        S3_ENDPOINT: local.endpoint,
        S3_REGION: region,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      },
    };
  }
  const credentials =
    cfg.S3_ACCESS_KEY_ID && cfg.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: cfg.S3_ACCESS_KEY_ID, secretAccessKey: cfg.S3_SECRET_ACCESS_KEY }
      : undefined;
  const opts = {
    region,
    bucket: cfg.S3_BUCKET,
    endpoint: cfg.S3_ENDPOINT,
    forcePathStyle: cfg.S3_FORCE_PATH_STYLE,
    credentials,
  };
  // Our own stand-ins and MinIO get their bucket made here; AWS buckets come from infra/.
  if (cfg.S3_ENDPOINT && role !== 'worker') await ensureBucket({ ...opts, corsOrigins });
  const origin = cfg.S3_ENDPOINT
    ? new URL(cfg.S3_ENDPOINT).origin
    : `https://${cfg.S3_BUCKET}.s3.${region}.amazonaws.com`;
  return {
    connect: async () => createS3Storage(opts),
    origin,
    description: `S3 bucket ${cfg.S3_BUCKET} at ${cfg.S3_ENDPOINT ?? `AWS ${region}`}`,
    workerSettings: {} as Record<string, string>,
  };
}

async function realtimeBus(cfg: Config): Promise<RealtimeBus> {
  if (cfg.REALTIME_BUS === 'memory') return createMemoryBus();
  const { createPostgresBus } = await import('~/realtime/postgres-bus.server');
  const bus = createPostgresBus({ url: (cfg.REALTIME_DATABASE_URL ?? cfg.DATABASE_URL) as string });
  await bus.ready.catch(async (error: unknown) => {
    await bus.close().catch(() => undefined);
    throw error;
  });
  return bus;
}

async function demoLogins(cfg: Config, services: ServiceContext): Promise<DemoLogin[]> {
  const file = path.resolve(cfg.DATA_DIR, `demo-logins.${cfg.DATA_BACKEND}.json`);
  const seeded = await seedDemo(services);
  if (seeded) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(seeded, null, 2), { mode: 0o600 });
    logInfo('seeded demo course', { users: seeded.length });
    return seeded;
  }
  return JSON.parse(await readFile(file, 'utf8').catch(() => '[]')) as DemoLogin[];
}

function serviceContext(
  cfg: Config,
  repos: Repositories,
  storage: VideoStorage,
  bus: RealtimeBus,
  now: Clock,
): ServiceContext {
  return {
    repos,
    loginLimiter: createLoginLimiter({ perIpPerMinute: cfg.LOGIN_RATE_LIMIT }),
    accountMailLimiter: createAccountMailLimiter({ perIpPerHour: cfg.ACCOUNT_MAIL_RATE_LIMIT }),
    storage,
    bus,
    settings: {
      uploadMaxBytes: cfg.UPLOAD_MAX_BYTES,
      appUrl: cfg.appUrl,
      liveHeartbeatMs: cfg.LIVE_HEARTBEAT_MS,
      ltiKeySecrets: cfg.ltiKeySecrets,
    },
    now,
  };
}

/** The data and the storage, prepared as the role asks (a worker finds them prepared). */
async function dataAndStorage(cfg: Config, stops: Stops, role: ProcessRole) {
  const data =
    cfg.DATA_BACKEND === 'dynamodb'
      ? await dynamoInfrastructure(cfg, stops, role)
      : await postgresInfrastructure(cfg, stops, role);
  const storage = await storageInfrastructure(cfg, stops, role);
  let logins: DemoLogin[] = [];
  if (cfg.SEED_DEMO && role !== 'worker') {
    const repos = await data.connect(systemClock);
    try {
      // The seed goes through the services, as a user would: uploads included.
      logins = await demoLogins(
        cfg,
        serviceContext(cfg, repos, await storage.connect(), createMemoryBus(), systemClock),
      );
    } finally {
      await repos.close();
    }
  }
  return { data, storage, logins };
}

function liveEventsDescription(cfg: Config) {
  const jobs =
    cfg.DATA_BACKEND !== 'dynamodb' || cfg.STREAM_JOBS === 'off'
      ? 'jobs from the outbox'
      : cfg.STREAM_JOBS === 'poller'
        ? 'jobs from DynamoDB Streams (poller)'
        : 'jobs on Lambda';
  return `live events over ${cfg.REALTIME_BUS === 'postgres' ? 'Postgres LISTEN/NOTIFY' : 'the in-process bus'}; ${jobs}`;
}

async function stopAll(stops: Stops) {
  for (const stop of stops) await stop().catch(() => undefined);
}

async function startInfrastructure(cfg: Config, role: Exclude<ProcessRole, 'primary'>): Promise<Infrastructure> {
  const stops: Stops = [];
  try {
    const { data, storage, logins } = await dataAndStorage(cfg, stops, role);
    const bus = await realtimeBus(cfg);
    // First to stop: its LISTEN connection must close before the database does.
    stops.unshift(() => bus.close());
    return {
      connectRepositories: data.connect,
      bus,
      streamJobs: data.streamJobs,
      jobsElsewhere: cfg.DATA_BACKEND === 'dynamodb' && cfg.STREAM_JOBS === 'lambda',
      connectStorage: storage.connect,
      description: `${data.description}; videos in ${storage.description}; ${liveEventsDescription(cfg)}`,
      browserOrigins: [storage.origin],
      demoLogins: logins,
      stops,
    };
  } catch (error) {
    await stopAll(stops.reverse());
    throw error;
  }
}

/** What a primary prepared once for all its workers. */
export interface SharedData {
  description: string;
  demoLogins: DemoLogin[];
  /** Settings each worker gets on top of the primary's environment (where the local S3 stand-in listens). */
  workerSettings: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The primary's part with WEB_CONCURRENCY: migrations or tables, the local S3 stand-in and the
 * demo seed, once, before any worker starts. It opens no repositories of its own afterwards.
 */
export async function prepareSharedData(cfg: Config): Promise<SharedData> {
  const stops: Stops = [];
  try {
    const { data, storage, logins } = await dataAndStorage(cfg, stops, 'primary');
    return {
      description: `${data.description}; videos in ${storage.description}; ${liveEventsDescription(cfg)}`,
      demoLogins: logins,
      workerSettings: storage.workerSettings,
      stop: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops.reverse());
    throw error;
  }
}

/**
 * Builds a container on its own (scripts such as create-admin), outside the singleton. It runs
 * no jobs: a one-off process's bus reaches no stream, so a delivery it claimed would be lost.
 */
export async function buildContainer(cfg: Config): Promise<Container> {
  const infrastructure = await startInfrastructure(cfg, 'single');
  return connect(cfg, infrastructure, { runJobs: false }, async () => {
    for (const stop of infrastructure.stops) await stop().catch(() => undefined);
  });
}

async function connect(
  cfg: Config,
  infrastructure: Infrastructure,
  { runJobs }: { runJobs: boolean },
  stopInfrastructure: () => Promise<void>,
): Promise<Container> {
  // One clock for the services' rules and the adapters' timestamps.
  const now = systemClock;
  const repos = await infrastructure.connectRepositories(now);
  const services = serviceContext(cfg, repos, await infrastructure.connectStorage(), infrastructure.bus, now);
  const mailer = createMailTransport({ smtpUrl: cfg.SMTP_URL, from: cfg.MAIL_FROM, dataDir: cfg.DATA_DIR });
  // Started once the repositories are connected, stopped before they close (its batch finishes).
  const jobs = createJobs(services, {
    pollMs: cfg.OUTBOX_POLL_MS,
    streams: infrastructure.streamJobs,
    sweepOnly: infrastructure.jobsElsewhere,
    // Grades to the LMS gradebook (docs/decisions/024-lti-advantage.md): a failure is retried by the outbox.
    effects: {
      ltiScore: (submissionId) => sendLtiScore(services, submissionId),
      // Mail through SMTP_URL, or .eml files (docs/decisions/025-mail.md); a refused send is retried.
      mail: async (entryId, mail) => {
        await deliverMail(
          { repos, transport: mailer, appUrl: services.settings.appUrl, now: services.now },
          entryId,
          mail,
        );
      },
    },
  });
  if (runJobs) logInfo('mail goes to', { transport: mailer.description });
  // With Lambda on the streams this is the outbox sweep only: mail, digests, what Lambda gave up on.
  if (runJobs) jobs.start();
  // The job queue's depth and age, read when /metrics is scraped.
  if (runJobs && cfg.METRICS_TOKEN) reportOutboxQueue(repos.outbox);
  return {
    services,
    description: infrastructure.description,
    browserOrigins: infrastructure.browserOrigins,
    demoLogins: infrastructure.demoLogins,
    stopJobs: async () => {
      await jobs.stop();
      mailer.close();
    },
    async stop() {
      await jobs.stop().catch(() => undefined);
      mailer.close();
      await repos.close().catch(() => undefined);
      await stopInfrastructure();
    },
  };
}

/** Identifies this copy of the module: a rebuilt bundle is a different copy. */
const MODULE_COPY = Symbol('container module copy');

interface ProcessSingleton {
  infrastructure?: Promise<Infrastructure>;
  container?: { copy: symbol; ready: Promise<Container> };
}

const global = globalThis as typeof globalThis & { __classcastContainer?: ProcessSingleton };

/**
 * The process's container, built on first call. A call from a rebuilt bundle reconnects the
 * clients in that bundle's module graph and reuses the stand-ins.
 */
export function getContainer(role: Exclude<ProcessRole, 'primary'> = 'single'): Promise<Container> {
  const singleton = (global.__classcastContainer ??= {});
  const current = singleton.container;
  if (current?.copy === MODULE_COPY) return current.ready;
  const cfg = config();
  const infrastructure = (singleton.infrastructure ??= startInfrastructure(cfg, role).catch((error: unknown) => {
    singleton.infrastructure = undefined;
    throw error;
  }));
  const ready = (async () => {
    const previous = current ? await current.ready.catch(() => undefined) : undefined;
    if (previous) {
      await previous.stopJobs().catch(() => undefined);
      await previous.services.repos.close().catch(() => undefined);
    }
    const infra = await infrastructure;
    return connect(cfg, infra, { runJobs: true }, async () => {
      singleton.container = undefined;
      singleton.infrastructure = undefined;
      for (const stop of infra.stops) await stop().catch(() => undefined);
    });
  })();
  singleton.container = { copy: MODULE_COPY, ready };
  ready.catch(() => {
    if (singleton.container?.ready === ready) singleton.container = undefined;
  });
  return ready;
}
