/**
 * Builds the service container once per process: picks the data adapter from
 * configuration (the ONE place that knows which backend runs), starts embedded
 * stand-ins when asked, applies migrations / creates tables, seeds demo data.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLoginLimiter } from '~/auth/login-limiter.server';
import type { Config } from '~/config.server';
import type { ServiceContext } from '~/services/context';
import { seedDemo, type DemoLogin } from '~/services/seed.server';
import { logInfo } from './log.server';

export interface Container {
  services: ServiceContext;
  /** Where the data lives, for the start-up banner. */
  description: string;
  /** Origins the browser talks to directly (the S3 endpoint), for the CSP. */
  browserOrigins: string[];
  demoLogins: DemoLogin[];
  stop(): Promise<void>;
}

async function openPostgres(cfg: Config, stops: Array<() => Promise<void>>) {
  const { createPrismaRepositories } = await import('~/data/prisma/index');
  const { migrateDeploy } = await import('~/data/prisma/migrate.server');
  let databaseUrl = cfg.DATABASE_URL;
  let description = 'PostgreSQL (DATABASE_URL)';
  let poolMax: number | undefined;
  if (!databaseUrl) {
    const { EMBEDDED_POOL_MAX, startEmbeddedPostgres } = await import('~/data/prisma/embedded.server');
    const dataDir = path.resolve(cfg.DATA_DIR, 'pg');
    await mkdir(dataDir, { recursive: true });
    const embedded = await startEmbeddedPostgres({ dataDir, port: cfg.EMBEDDED_PG_PORT });
    stops.push(() => embedded.stop());
    databaseUrl = embedded.url;
    description = `embedded PostgreSQL (PGlite) in ${dataDir}`;
    poolMax = EMBEDDED_POOL_MAX;
  }
  await migrateDeploy(databaseUrl);
  const repos = await createPrismaRepositories({ databaseUrl, poolMax });
  return { repos, description };
}

async function openDynamo(cfg: Config, stops: Array<() => Promise<void>>) {
  const { createDynamoRepositories, ensureTables } = await import('~/data/dynamo/index');
  let endpoint = cfg.DYNAMODB_ENDPOINT;
  if (!endpoint && cfg.DYNAMODB_LOCAL) {
    const { startDynamoDbLocal } = await import('../../tools/dynamodb-local');
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
  await ensureTables(opts);
  const repos = createDynamoRepositories(opts);
  return {
    repos,
    description: `DynamoDB ${endpoint ?? `(AWS ${cfg.AWS_REGION})`} tables ${cfg.DYNAMODB_TABLE_PREFIX}*`,
  };
}

async function openStorage(cfg: Config, stops: Array<() => Promise<void>>) {
  const { createS3Storage, ensureBucket } = await import('~/storage/s3.server');
  const region = cfg.S3_REGION ?? cfg.AWS_REGION;
  // Browsers upload from, and play back on, the app's origin.
  const corsOrigins = cfg.PORT === 0 && !cfg.APP_URL ? ['*'] : [cfg.appUrl];
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
      storage: createS3Storage(opts),
      origin: new URL(local.endpoint).origin,
      description: `local S3 stand-in at ${local.endpoint} (${directory})`,
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
  if (cfg.S3_ENDPOINT) await ensureBucket({ ...opts, corsOrigins });
  const origin = cfg.S3_ENDPOINT
    ? new URL(cfg.S3_ENDPOINT).origin
    : `https://${cfg.S3_BUCKET}.s3.${region}.amazonaws.com`;
  return {
    storage: createS3Storage(opts),
    origin,
    description: `S3 bucket ${cfg.S3_BUCKET} at ${cfg.S3_ENDPOINT ?? `AWS ${region}`}`,
  };
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

export async function buildContainer(cfg: Config): Promise<Container> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const { repos, description } =
      cfg.DATA_BACKEND === 'dynamodb' ? await openDynamo(cfg, stops) : await openPostgres(cfg, stops);
    stops.unshift(() => repos.close());
    const storage = await openStorage(cfg, stops);
    const services: ServiceContext = {
      repos,
      loginLimiter: createLoginLimiter({ perIpPerMinute: cfg.LOGIN_RATE_LIMIT }),
      storage: storage.storage,
      settings: { uploadMaxBytes: cfg.UPLOAD_MAX_BYTES, appUrl: cfg.appUrl },
      now: () => new Date(),
    };
    const logins = cfg.SEED_DEMO ? await demoLogins(cfg, services) : [];
    return {
      services,
      description: `${description}; videos in ${storage.description}`,
      browserOrigins: [storage.origin],
      demoLogins: logins,
      async stop() {
        for (const stop of stops) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
