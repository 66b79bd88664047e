/**
 * The server Playwright starts: the production build on a fresh, throw-away data folder
 * (embedded Postgres by default; E2E_BACKEND=dynamodb uses DynamoDB Local).
 */
import { randomBytes } from 'node:crypto';
import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// With WEB_CONCURRENCY a worker runs this file too: it inherits what its primary set up
// (the secrets, the data folder, the table prefix, the stand-in's endpoint), so every process
// shares them.
if (cluster.isPrimary) {
  prepareEnvironment();
  if (process.env.E2E_BACKEND === 'dynamodb' && !process.env.DYNAMODB_ENDPOINT) await startRecordedDynamoDb();
  await startSchoolSignIn();
  await startMailbox();
}

/**
 * A real SMTP server the app sends to (tests/smtp-mailbox.ts), and a small JSON listing of
 * what it received on E2E_MAILBOX_PORT (set by playwright.config.ts) for e2e/mailbox.ts.
 * POST /refuse {"on":true} makes it answer every mail with 451 (the "SMTP is down" case).
 */
async function startMailbox() {
  const { startSmtpMailbox } = await import('../tests/smtp-mailbox');
  const { createServer } = await import('node:http');
  const mailbox = await startSmtpMailbox();
  process.env.SMTP_URL = mailbox.url;
  process.env.MAIL_FROM = 'ClassCast <no-reply@classcast.test>';
  const listing = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/refuse') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        mailbox.refuse(Boolean((JSON.parse(body || '{}') as { on?: boolean }).on));
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mailbox.mails));
  });
  await new Promise<void>((resolve) => listing.listen(Number(process.env.E2E_MAILBOX_PORT ?? 0), '127.0.0.1', resolve));
}

/**
 * The local stand-in for a Cognito user pool (tools/oidc-local), so "Sign in with school
 * account" works as in AWS; E2E_OIDC_PORT (set by playwright.config.ts) tells the specs where.
 */
async function startSchoolSignIn() {
  const { startLocalIssuer } = await import('../tools/oidc-local');
  const issuer = await startLocalIssuer({ port: Number(process.env.E2E_OIDC_PORT ?? 0) });
  Object.assign(process.env, issuer.env(`http://127.0.0.1:${process.env.PORT}`));
}

/**
 * The stand-in, started here rather than by the app (DYNAMODB_LOCAL), so that it serves its
 * test hooks on the port Playwright chose: the run's teardown reads every operation it
 * received from there (and fails on a Scan); specs can throttle requests through it.
 */
async function startRecordedDynamoDb() {
  const { startDynamoDbLocal } = await import('../tools/dynamodb-local');
  const local = await startDynamoDbLocal({
    port: Number(process.env.E2E_DYNAMODB_PORT ?? 0),
    dataDir: path.join(process.env.DATA_DIR!, 'dynamodb'),
    testHooks: true,
  });
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
}

function prepareEnvironment() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'classcast-e2e-'));
  Object.assign(process.env, {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    SEED_DEMO: 'false',
    // The suite signs in hundreds of times from 127.0.0.1; per-account locking stays on.
    LOGIN_RATE_LIMIT: '100000',
    // Every spec asks from 127.0.0.1; the per-address budget still holds.
    ACCOUNT_MAIL_RATE_LIMIT: '100000',
    HOST: '127.0.0.1',
    S3_LOCAL: 'true',
    // Small enough that the suite can cross it (the product default is 2 GB).
    UPLOAD_MAX_BYTES: String(24 * 1024 * 1024),
    // The live-stream spec waits for a heartbeat (20 s in production).
    LIVE_HEARTBEAT_MS: process.env.LIVE_HEARTBEAT_MS ?? '1000',
    // /metrics switched on, so the route sweep meets its 401 (it sends no valid token).
    METRICS_TOKEN: randomBytes(24).toString('hex'),
  });
  // The embedded default is what `npm start` users run; a DATABASE_URL meant for the
  // contract suite must not redirect the browser tests.
  if (process.env.E2E_BACKEND !== 'postgres-server') delete process.env.DATABASE_URL;
  if (process.env.E2E_BACKEND === 'dynamodb') {
    process.env.DATA_BACKEND = 'dynamodb';
    process.env.DYNAMODB_TABLE_PREFIX = `classcast-e2e-${randomBytes(3).toString('hex')}-`;
  }
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
}

const { startClassCast } = await import('../server');
await startClassCast();
