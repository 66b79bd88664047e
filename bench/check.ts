/**
 * `npm run bench:check`: the regression guard of issue 12. Reads the figures the last
 * `npm run bench` wrote (bench/last-run.json; with none, runs a short bench first) and exits 1
 * listing every target missed. Only ratios to /login (and invalid figures) gate by default,
 * since they hold across machines; p99 and RSS are listed, and gate with --strict. Not part
 * of `npm test`: timing on a shared machine is noisy.
 *
 *   npm run bench:check [-- --file bench/last-run.json --strict --duration 3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LAST_RUN_FILE, allMisses, type BenchRun } from './pages-report';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: LAST_RUN_FILE },
    strict: { type: 'boolean', default: false },
    /** Seconds per target of the short bench run when there are no figures yet. */
    duration: { type: 'string', default: '3' },
  },
});
const file = path.resolve(values.file);

if (!existsSync(file)) {
  console.error(
    `${path.relative(process.cwd(), file)} not found: running a short bench (${values.duration} s per target)…`,
  );
  const bench = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/pages.ts',
      '--duration',
      values.duration,
      '--no-results',
      '--no-profile',
      '--no-cluster',
    ],
    { stdio: 'inherit' },
  );
  if (bench.status !== 0 && !existsSync(file)) {
    console.error('the bench failed before writing its figures');
    process.exit(2);
  }
}

const run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
console.log(
  `bench of ${run.at} (commit ${run.commit}, ${run.durationS} s per target, load ${run.loadAtStart} → ${run.loadAtEnd})`,
);
for (const b of run.backends) {
  if (b.skipped) console.log(`  note: ${b.backend} was not measured (${b.skipped}): its targets are unchecked`);
}

const misses = allMisses(run);
const gating = misses.filter((m) => m.kind !== 'absolute' || values.strict);
const listed = misses.filter((m) => !gating.includes(m));
for (const m of gating) console.log(`  MISSED  ${m.backend.padEnd(8)} ${m.label}: ${m.message}`);
for (const m of listed) console.log(`  (not gated without --strict) ${m.backend} ${m.label}: ${m.message}`);
if (gating.length) {
  console.log(`${gating.length} target(s) missed.`);
  process.exit(1);
}
console.log(`every ${values.strict ? '' : 'ratio '}target met.`);
