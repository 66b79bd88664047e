/**
 * The CDK app. `npm run infra:synth` (offline, into infra/cdk.out) or, from infra/, the CDK CLI
 * through cdk.json (`npx aws-cdk@2 deploy`). Context: `-c key=value` (settings.ts lists them).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { App } from 'aws-cdk-lib';
import { ClassCastStack } from '../lib/classcast-stack';
import { bundleJobs } from '../lib/jobs-bundle';
import { parseSettings, stackProps } from '../lib/settings';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(infraDir, '..');

/** The CLI hands context over in CDK_CONTEXT_JSON; a plain `tsx` run takes `-c key=value` like the CLI does. */
function contextFromArgs(args: string[]): Record<string, string> {
  const { values } = parseArgs({ args, options: { context: { type: 'string', short: 'c', multiple: true } } });
  return Object.fromEntries(
    (values.context ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`context must be key=value, got ${JSON.stringify(pair)}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

const app = new App({
  context: contextFromArgs(process.argv.slice(2)),
  // Under the CLI, CDK_OUTDIR says where; otherwise infra/cdk.out whatever the working directory.
  ...(process.env.CDK_OUTDIR ? {} : { outdir: path.join(infraDir, 'cdk.out') }),
});
try {
  const settings = parseSettings((name) => app.node.tryGetContext(name));
  const jobsBundleDir = path.join(infraDir, 'dist', 'jobs');
  await bundleJobs({ repoRoot, outDir: jobsBundleDir });
  new ClassCastStack(app, settings.stackName, stackProps(settings, jobsBundleDir));
  const assembly = app.synth();
  console.log(`synthesized ${assembly.stacks.map((s) => s.templateFile).join(', ')} into ${assembly.directory}`);
} catch (err) {
  // esbuild has already printed its diagnostics; the rest say what to fix in one message.
  console.error(`infra synth failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
