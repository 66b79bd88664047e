/**
 * Issue 12's targets, as ratios to the bare SSR page (/login) measured in the same run: the
 * one place `npm run bench` marks rows pass/fail and `npm run bench:check` reads them again.
 */

/** pglite = the embedded default; postgres = a PostgreSQL server; dynamodb = the stand-in. */
export type BackendName = 'pglite' | 'postgres' | 'dynamodb';

/** baseline = /healthz; bare = /login (the denominator); page = a signed-in page; list = JSON. */
export type TargetKind = 'baseline' | 'bare' | 'page' | 'list';

export interface MeasuredTarget {
  label: string;
  /** The path with ids replaced by their names (:courseId), for the table. */
  path: string;
  kind: TargetKind;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Database calls per request sent (from /metrics), null when unknown. */
  dbCallsPerRequest: number | null;
  /** The server's RSS after the target, MB. */
  rssMb: number | null;
  /** Non-2xx answers, errors and timeouts: the row's figures are not valid when > 0. */
  bad: number;
}

export interface BackendRun {
  backend: BackendName;
  description: string;
  /** Why the backend was not measured (no PostgreSQL found…); rows are then empty. */
  skipped?: string;
  rows: MeasuredTarget[];
  /** Server RSS once every target ran, MB. */
  rssAfterMb: number | null;
}

export const TARGETS = {
  pageRatio: { pglite: 0.6, postgres: 0.7 } as Partial<Record<BackendName, number>>,
  listRatio: { postgres: 0.9 } as Partial<Record<BackendName, number>>,
  /** Applies where a page ratio applies. */
  pageP99Ms: 150,
  pgliteRssMb: 450,
};

/** ratio: throughput against /login; absolute: p99 and RSS (machine-bound, gated on request). */
export type MissKind = 'ratio' | 'absolute' | 'invalid';

export interface Miss {
  backend: BackendName;
  label: string;
  kind: MissKind;
  message: string;
}

export const ratioOf = (row: MeasuredTarget, bare: MeasuredTarget | undefined) =>
  bare && bare.reqPerSec > 0 ? row.reqPerSec / bare.reqPerSec : NaN;

/** Every target this row misses (none when it has no target on this backend). */
export function rowMisses(backend: BackendName, row: MeasuredTarget, bare: MeasuredTarget | undefined): Miss[] {
  const misses: Miss[] = [];
  const miss = (kind: MissKind, message: string) => misses.push({ backend, label: row.label, kind, message });
  if (row.bad > 0) miss('invalid', `${row.bad} non-2xx answers, errors or timeouts`);
  const ratio = ratioOf(row, bare);
  const wanted =
    row.kind === 'page' ? TARGETS.pageRatio[backend] : row.kind === 'list' ? TARGETS.listRatio[backend] : undefined;
  if (wanted !== undefined && !(ratio >= wanted)) miss('ratio', `${ratio.toFixed(2)}× /login < ${wanted}×`);
  if (row.kind === 'page' && TARGETS.pageRatio[backend] !== undefined && row.p99 > TARGETS.pageP99Ms) {
    miss('absolute', `p99 ${row.p99} ms > ${TARGETS.pageP99Ms} ms`);
  }
  return misses;
}

export function backendMisses(run: BackendRun): Miss[] {
  if (run.skipped) return [];
  const bare = run.rows.find((r) => r.kind === 'bare');
  const misses = run.rows.flatMap((row) => rowMisses(run.backend, row, bare));
  if (!bare)
    misses.push({ backend: run.backend, label: '/login', kind: 'invalid', message: 'the bare page was not measured' });
  if (run.backend === 'pglite' && run.rssAfterMb !== null && run.rssAfterMb > TARGETS.pgliteRssMb) {
    misses.push({
      backend: run.backend,
      label: 'server RSS after the bench',
      kind: 'absolute',
      message: `${run.rssAfterMb} MB > ${TARGETS.pgliteRssMb} MB`,
    });
  }
  return misses;
}

/** "pass", "FAIL (…)" or "—" (no target for this row on this backend). */
export function verdictOf(backend: BackendName, row: MeasuredTarget, bare: MeasuredTarget | undefined): string {
  const misses = rowMisses(backend, row, bare);
  if (misses.length) return `FAIL (${misses.map((m) => m.message).join('; ')})`;
  const targeted =
    (row.kind === 'page' && TARGETS.pageRatio[backend] !== undefined) ||
    (row.kind === 'list' && TARGETS.listRatio[backend] !== undefined);
  return targeted ? 'pass' : '—';
}
