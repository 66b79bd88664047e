import { describe, expect, it } from 'vitest';
import { backendMisses, verdictOf, type BackendRun, type MeasuredTarget } from './targets';

const row = (label: string, kind: MeasuredTarget['kind'], reqPerSec: number, p99 = 50, bad = 0): MeasuredTarget => ({
  label,
  path: label,
  kind,
  reqPerSec,
  p50: 10,
  p99,
  dbCallsPerRequest: 3,
  rssMb: 300,
  bad,
});

const run = (backend: BackendRun['backend'], rows: MeasuredTarget[], rssAfterMb = 300): BackendRun => ({
  backend,
  description: backend,
  rows,
  rssAfterMb,
});

describe('bench targets', () => {
  const login = row('/login', 'bare', 400);

  it('holds a page to 0.6× /login on PGlite and 0.7× on a Postgres server, p99 ≤ 150 ms', () => {
    const page = row('/dashboard', 'page', 260); // 0.65×
    expect(verdictOf('pglite', page, login)).toBe('pass');
    expect(verdictOf('postgres', page, login)).toMatch(/^FAIL \(0\.65× \/login < 0\.7×\)$/);
    expect(verdictOf('pglite', row('/feed', 'page', 300, 151), login)).toMatch(/p99 151 ms > 150 ms/);
    expect(verdictOf('dynamodb', row('/feed', 'page', 10, 900), login)).toBe('—');
  });

  it('holds JSON lists to 0.9× on a Postgres server only', () => {
    const list = row('/api/courses', 'list', 340); // 0.85×
    expect(verdictOf('postgres', list, login)).toMatch(/0\.85× \/login < 0\.9×/);
    expect(verdictOf('pglite', list, login)).toBe('—');
    expect(verdictOf('postgres', row('/api/courses', 'list', 360), login)).toBe('pass');
  });

  it('lists every miss of a backend, with their kinds, and the RSS ceiling on PGlite', () => {
    const misses = backendMisses(
      run(
        'pglite',
        [login, row('/healthz', 'baseline', 1000), row('/a', 'page', 100, 200), row('/b', 'page', 300, 20, 2)],
        451,
      ),
    );
    expect(misses.map((m) => [m.label, m.kind])).toEqual([
      ['/a', 'ratio'],
      ['/a', 'absolute'],
      ['/b', 'invalid'],
      ['server RSS after the bench', 'absolute'],
    ]);
    expect(backendMisses(run('postgres', [login, row('/a', 'page', 300)], 900))).toEqual([]);
  });

  it('refuses a run without the bare page, and passes over a skipped backend', () => {
    expect(backendMisses(run('postgres', [row('/a', 'page', 300)])).map((m) => m.kind)).toEqual(['ratio', 'invalid']);
    expect(backendMisses({ ...run('postgres', []), skipped: 'no PostgreSQL' })).toEqual([]);
  });
});
