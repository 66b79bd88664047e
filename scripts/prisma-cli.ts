/**
 * The ONE entry point for Prisma CLI commands:
 *   tsx scripts/prisma-cli.ts generate
 *   DATABASE_URL=postgresql://... tsx scripts/prisma-cli.ts migrate deploy | status | dev | diff ...
 *
 * prisma.config.ts routes migrate commands through the bundled WASM schema engine (no engine
 * download). `generate` needs no database, but Prisma still wants a syntactically valid
 * postgresql URL in DATABASE_URL (otherwise it falls back to the classic engine and tries
 * to download it), so a placeholder is set for `generate` when none is given.
 *
 * The WASM schema engine arms a 10 s setTimeout for its advisory-lock timeout (migrate
 * deploy/dev/reset/resolve) and never clears it (its JS glue has no clearTimeout), so those
 * commands would linger ~10 s after finishing. The child therefore unrefs timers armed from
 * inside WASM. That is safe: while the lock query is pending its socket keeps the process
 * alive, so the timeout still fires if it is ever needed. (The pools' own idle timers are
 * handled by allowExitOnIdle in scripts/prisma-cli-adapter.ts.)
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PLACEHOLDER_URL = 'postgresql://placeholder:placeholder@127.0.0.1:5432/placeholder';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

const UNREF_WASM_TIMERS = `
const setTimeout = globalThis.setTimeout;
globalThis.setTimeout = function (...args) {
  const timer = setTimeout.apply(this, args);
  if (/wasm-function/.test(new Error().stack ?? '')) timer?.unref?.();
  return timer;
};`;

const args = process.argv.slice(2);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  // Never phone home from a CLI call (no network here; and it costs time).
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
if (!env.DATABASE_URL && args[0] === 'generate') env.DATABASE_URL = PLACEHOLDER_URL;

const child = spawn(
  process.execPath,
  ['--import', `data:text/javascript,${encodeURIComponent(UNREF_WASM_TIMERS)}`, prismaCli, ...args],
  { cwd: root, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
