/**
 * Bundles app/jobs/lambda.ts into one ES module (dist/jobs/index.mjs) with esbuild: offline,
 * no Docker (CDK's NodejsFunction would want one or a global esbuild). The AWS SDK goes into
 * the bundle too, so the functions run the SDK version the tests ran, not the runtime's.
 * Before the stack refers to it, the bundle is checked to export a handler for every table a
 * job reads, so a missing export fails here rather than as a Lambda init error after deploying.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { STREAM_JOB_TABLES } from '../../app/jobs/stream-job-tables';
import { streamHandlerName } from './stream-jobs';

export const JOBS_ENTRY = 'app/jobs/lambda.ts';

/** Some bundled CommonJS packages require() Node built-ins, which an ES module lacks. */
const REQUIRE_SHIM =
  "import { createRequire as __jobsRequire } from 'node:module'; const require = __jobsRequire(import.meta.url);";

export async function bundleJobs(opts: {
  repoRoot: string;
  outDir: string;
  entry?: string;
}): Promise<{ file: string }> {
  const entry = path.resolve(opts.repoRoot, opts.entry ?? JOBS_ENTRY);
  if (!existsSync(entry)) {
    throw new Error(
      `the job handlers' entry ${path.relative(opts.repoRoot, entry)} does not exist: nothing to deploy to Lambda`,
    );
  }
  await rm(opts.outDir, { recursive: true, force: true });
  const file = path.join(opts.outDir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    sourcemap: true,
    metafile: true,
    legalComments: 'linked',
    banner: { js: REQUIRE_SHIM },
    // The root tsconfig's `~/*` paths are how app/ imports itself.
    tsconfig: path.join(opts.repoRoot, 'tsconfig.json'),
    logLevel: 'warning',
    absWorkingDir: opts.repoRoot,
  });
  const output = Object.entries(result.metafile.outputs).find(([out]) => path.resolve(opts.repoRoot, out) === file);
  const exported = new Set(output?.[1].exports ?? []);
  const missing = STREAM_JOB_TABLES.map(streamHandlerName).filter((n) => !exported.has(n));
  if (missing.length) {
    throw new Error(`${JOBS_ENTRY} must export a handler per table a job reads; missing: ${missing.join(', ')}`);
  }
  return { file };
}
