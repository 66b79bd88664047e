/**
 * Applies pending migrations (prisma/migrations) with `prisma migrate deploy`, through the one
 * CLI entry point scripts/prisma-cli.ts, in a child process. The spawn is asynchronous on
 * purpose: with the embedded server the CLI connects back over TCP to this very process, so
 * the event loop must keep serving it while we wait.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcessEnv } from '~/config.server';

const CLI = path.join('scripts', 'prisma-cli.ts');
const TIMEOUT_MS = 120_000;

/** The project root: the nearest directory above this module (or the cwd) holding the CLI. */
function projectRoot(): string {
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, CLI))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`Cannot find ${CLI} above ${process.cwd()}`);
}

/** The migrations this code expects applied: the folder names under prisma/migrations. */
export async function expectedMigrations(): Promise<string[]> {
  const dir = path.join(projectRoot(), 'prisma', 'migrations');
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  const cwd = projectRoot();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'migrate', 'deploy'], {
    cwd,
    // The child inherits the environment (PATH etc.); only the target database is ours to set.
    env: childProcessEnv({ DATABASE_URL: databaseUrl }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) {
      throw new Error(`prisma migrate deploy failed (exit ${code ?? 'killed'}):\n${output.trim()}`);
    }
  } finally {
    clearTimeout(timer);
  }
}
