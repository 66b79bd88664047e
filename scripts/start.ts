/**
 * `npm start`: production mode on this machine with no setup. Builds once if there is no
 * build, keeps per-installation secrets in the data folder (random, never a constant),
 * then starts server.ts (embedded Postgres, migrations, demo seed, banner).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyServerHeapPolicy } from './server-heap';

const dataDir = path.resolve(process.env.DATA_DIR || '.data');

if (!existsSync('build/index.js')) {
  console.log('No build found: building ClassCast (one time)…');
  const result = spawnSync('npx', ['remix', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV = 'production';
applyServerHeapPolicy();
// On this machine the videos go to the in-process S3 stand-in unless an endpoint is given.
if (!process.env.S3_ENDPOINT) process.env.S3_LOCAL ??= 'true';
if (!process.env.SESSION_SECRET || !process.env.JWT_SECRET) {
  const file = path.join(dataDir, 'secrets.json');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) {
    const secrets = { SESSION_SECRET: randomBytes(32).toString('hex'), JWT_SECRET: randomBytes(32).toString('hex') };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  process.env.SESSION_SECRET ||= stored.SESSION_SECRET;
  process.env.JWT_SECRET ||= stored.JWT_SECRET;
}

const { startClassCast } = await import('../server');
await startClassCast().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
