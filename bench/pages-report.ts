/**
 * The record of one `npm run bench`: the JSON bench:check reads (bench/last-run.json) and the
 * Markdown printed and appended to bench/RESULTS.md.
 */
import path from 'node:path';
import { formatShares, type ProfileSummary } from './cpu-profile';
import { TARGETS, backendMisses, ratioOf, verdictOf, type BackendName, type BackendRun, type Miss } from './targets';

export const LAST_RUN_FILE = path.resolve('bench/last-run.json');

export interface ClusterRow {
  label: string;
  path: string;
  oneProcess: { reqPerSec: number; ratio: number } | null;
  twoProcesses: { reqPerSec: number; ratio: number; p99: number; bad: number } | null;
}

export interface ClusterRun {
  /** Why there are no 2-process figures ("the server did not fork"), if so. */
  unavailable?: string;
  processes: number;
  rssMb: number | null;
  rows: ClusterRow[];
}

export interface ProfileRun {
  backend: BackendName;
  label: string;
  path: string;
  windowSeconds: number;
  /** How the window was found: the monotonic clock, or "the last N s" when the clocks disagreed. */
  windowNote: string;
  summary: ProfileSummary;
}

/** Fresh PGlite servers, METRICS_TOKEN set and unset in turn, each measured the same way. */
export interface MetricsOverhead {
  rounds: Array<{ metrics: boolean; login: number; dashboard: number }>;
}

export interface BenchRun {
  at: string;
  machine: string;
  loadAtStart: string;
  loadAtEnd: string;
  commit: string;
  connections: number;
  durationS: number;
  backends: BackendRun[];
  cluster: ClusterRun | null;
  profile: ProfileRun | null;
  metricsOverhead: MetricsOverhead | null;
}

const BACKEND_TITLES: Record<BackendName, string> = {
  pglite: 'Embedded PGlite (the default)',
  postgres: 'PostgreSQL server',
  dynamodb: 'DynamoDB stand-in (feed and JSON lists)',
};

const fixed = (n: number | null, digits: number) => (n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits));

export function allMisses(run: BenchRun): Miss[] {
  return run.backends.flatMap(backendMisses);
}

function backendTable(b: BackendRun): string[] {
  const head = [`### ${BACKEND_TITLES[b.backend]}`, '', `- ${b.description}`];
  if (b.skipped) return [...head, `- skipped: ${b.skipped}`, ''];
  const bare = b.rows.find((r) => r.kind === 'bare');
  const targets = [
    TARGETS.pageRatio[b.backend] !== undefined
      ? `pages ≥ ${TARGETS.pageRatio[b.backend]}× /login and p99 ≤ ${TARGETS.pageP99Ms} ms`
      : null,
    TARGETS.listRatio[b.backend] !== undefined ? `JSON lists ≥ ${TARGETS.listRatio[b.backend]}× /login` : null,
    b.backend === 'pglite' ? `server RSS ≤ ${TARGETS.pgliteRssMb} MB after the bench` : null,
  ].filter(Boolean);
  const rssVerdict =
    b.backend === 'pglite' && b.rssAfterMb !== null
      ? ` (${b.rssAfterMb <= TARGETS.pgliteRssMb ? 'pass' : 'FAIL'})`
      : '';
  return [
    ...head,
    `- targets: ${targets.length ? targets.join('; ') : 'none (informative)'}`,
    `- server RSS after the bench: ${b.rssAfterMb ?? '?'} MB${rssVerdict}`,
    '',
    '| target | path | req/s | p50 ms | p99 ms | × /login | DB calls/req | RSS MB | verdict |',
    '|---|---|---|---|---|---|---|---|---|',
    ...b.rows.map(
      (r) =>
        `| ${r.label} | \`${r.path}\` | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${fixed(ratioOf(r, bare), 2)} | ` +
        `${fixed(r.dbCallsPerRequest, 1)} | ${r.rssMb ?? '—'} | ${verdictOf(b.backend, r, bare)} |`,
    ),
    '',
  ];
}

function clusterTable(c: ClusterRun): string[] {
  const head = ['### PostgreSQL server, WEB_CONCURRENCY=2 next to 1 process', ''];
  if (c.unavailable) return [...head, `n/a: ${c.unavailable}`, ''];
  return [
    ...head,
    `- ${c.processes} worker processes; RSS of the primary and its workers after: ${c.rssMb ?? '?'} MB`,
    '',
    '| target | 1 process req/s | × /login | 2 processes req/s | × /login (2-process /login) | p99 ms | speed-up |',
    '|---|---|---|---|---|---|---|',
    ...c.rows.map((r) => {
      const one = r.oneProcess;
      const two = r.twoProcesses;
      const speedUp = one && two && one.reqPerSec ? `${(two.reqPerSec / one.reqPerSec).toFixed(2)}×` : '—';
      return `| ${r.label} | ${one?.reqPerSec ?? '—'} | ${fixed(one?.ratio ?? null, 2)} | ${two?.reqPerSec ?? '—'}${two?.bad ? ` (${two.bad} bad)` : ''} | ${fixed(two?.ratio ?? null, 2)} | ${two?.p99 ?? '—'} | ${speedUp} |`;
    }),
    '',
  ];
}

function profileSection(p: ProfileRun): string[] {
  const ms = (p.summary.totalMicros / 1000).toFixed(0);
  return [
    `### CPU profile: ${p.label} on ${BACKEND_TITLES[p.backend]} (\`${p.path}\`)`,
    '',
    `- ${p.summary.samples} samples, ${ms} ms of CPU over the ${p.windowSeconds} s measured window (${p.windowNote})`,
    '',
    'Top five self-time frames:',
    '',
    '```',
    ...formatShares(p.summary.frames, 5),
    '```',
    '',
    'By package (WASM and native frames charged to their caller):',
    '',
    '```',
    ...formatShares(p.summary.packages, 12),
    '```',
    '',
  ];
}

function overheadSection(o: MetricsOverhead): string[] {
  return [
    '### Cost of counting database calls (fresh PGlite servers, METRICS_TOKEN set and unset in turn)',
    '',
    '| server | /login req/s | /dashboard (instructor) req/s | × /login |',
    '|---|---|---|---|',
    ...o.rounds.map(
      (r) =>
        `| METRICS_TOKEN ${r.metrics ? 'set' : 'unset'} | ${r.login} | ${r.dashboard} | ${(r.dashboard / r.login).toFixed(2)} |`,
    ),
    '',
  ];
}

/** One line: how many targets each backend missed, by kind (each row's verdict has the detail). */
function missSummary(misses: Miss[]): string {
  if (!misses.length) return '**Every target met.**';
  const counts = new Map<string, number>();
  for (const m of misses) {
    const key = `${m.backend}: ${m.kind === 'ratio' ? 'ratio' : m.kind === 'absolute' ? 'p99 / RSS' : 'invalid figures'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `**${misses.length} target(s) missed** (${[...counts].map(([k, n]) => `${k} ${n}`).join('; ')}); \`npm run bench:check\` lists them.`;
}

export function renderRun(run: BenchRun): string {
  const misses = allMisses(run);
  const lines = [
    `## Pages bench ${run.at}`,
    '',
    `- machine: ${run.machine}; load average at start ${run.loadAtStart}, at end ${run.loadAtEnd}`,
    `- commit: ${run.commit}`,
    `- ${run.connections} connections, ${run.durationS} s per target after a 1 s warm-up, one target after another; production build; S3 stand-in in its own process; DB calls per request from /metrics (classcast_db_calls_total growth ÷ requests sent)`,
    '',
    ...run.backends.flatMap(backendTable),
    ...(run.cluster ? clusterTable(run.cluster) : []),
    ...(run.metricsOverhead ? overheadSection(run.metricsOverhead) : []),
    ...(run.profile ? profileSection(run.profile) : []),
    missSummary(misses),
  ];
  return lines.join('\n');
}
