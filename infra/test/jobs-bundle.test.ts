/**
 * The jobs bundle: an ES module that loads on Node (built-ins reached through the require
 * shim), and a refusal to go on when a streamed table has no handler export.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STREAM_JOB_TABLES } from '../../app/jobs/stream-job-tables';
import { bundleJobs } from '../lib/jobs-bundle';
import { streamHandlerName } from '../lib/stream-jobs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const handlers = STREAM_JOB_TABLES.map(streamHandlerName);
let dir: string;

beforeAll(async () => {
  // Inside the repository (infra/dist is ignored) so the entries resolve its node_modules.
  await mkdir(path.join(repoRoot, 'infra', 'dist'), { recursive: true });
  dir = await mkdtemp(path.join(repoRoot, 'infra', 'dist', 'bundle-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function entry(name: string, exports: string[]): Promise<string> {
  const file = path.join(dir, `${name}.ts`);
  // A CommonJS dependency that requires a Node built-in, as the AWS SDK's do, and the app's `~` alias.
  const body = [
    "import { z } from 'zod';",
    "import { TABLES } from '~/data/dynamo/tables';",
    "const { createHash } = require('node:crypto') as typeof import('node:crypto');",
    ...exports.map(
      (e) =>
        `export const ${e} = async () => ({ tables: TABLES.length, ok: z.string().parse('${e}'), h: createHash('sha1').digest('hex').length });`,
    ),
  ];
  await writeFile(file, body.join('\n'));
  return file;
}

it('bundles an entry exporting every streamed table handler into a module Node can load', async () => {
  const outDir = path.join(dir, 'complete');
  const { file } = await bundleJobs({ repoRoot, outDir, entry: await entry('complete', handlers) });
  const mod = await import(pathToFileURL(file).href);
  for (const name of handlers) {
    await expect(mod[name]()).resolves.toEqual({ tables: 10, ok: name, h: 40 });
  }
});

it('refuses an entry that lacks a streamed table handler, naming it', async () => {
  const [missing, ...rest] = handlers;
  await expect(
    bundleJobs({ repoRoot, outDir: path.join(dir, 'partial'), entry: await entry('partial', rest) }),
  ).rejects.toThrow(new RegExp(`missing: ${missing}`));
});

it('refuses a missing entry with its path', async () => {
  await expect(
    bundleJobs({ repoRoot, outDir: path.join(dir, 'none'), entry: 'app/jobs/no-such-entry.ts' }),
  ).rejects.toThrow(/app\/jobs\/no-such-entry\.ts does not exist/);
});
