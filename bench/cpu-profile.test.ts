import { describe, expect, it } from 'vitest';
import { packageOf, summariseProfile, type CpuProfile } from './cpu-profile';

const ROOT = '/repo';
const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

/**
 * root → render (the app's build) → compile (Prisma's JS) → a WASM function; root → GC;
 * root → a node-core write. Samples 10 µs apart, the first four before the window.
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 6] },
    { id: 2, callFrame: frame('render', 'file:///repo/build/index.js', 41), children: [3] },
    {
      id: 3,
      callFrame: frame('compile', 'file:///repo/node_modules/@prisma/client/runtime/client.js', 9),
      children: [4],
    },
    { id: 4, callFrame: frame('wasm-function[123]', 'wasm://wasm/00c5a3f2'), children: [] },
    { id: 5, callFrame: frame('(garbage collector)', ''), children: [] },
    { id: 6, callFrame: frame('writev', 'node:internal/stream_base_commons', 120), children: [] },
  ],
  startTime: 1_000,
  endTime: 1_200,
  samples: [2, 2, 2, 2, /* window from here */ 4, 4, 4, 3, 2, 5, 6, 4],
  timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
};

describe('summariseProfile', () => {
  it('counts self time by frame and by package over the window only', () => {
    // Sample times: 1010, 1020, … 1120; the window keeps 1050 … 1120 (eight samples).
    const s = summariseProfile(profile, { repoRoot: ROOT, window: { fromMicros: 1_045, toMicros: 1_125 } });
    expect(s.samples).toBe(8);
    expect(s.totalMicros).toBe(80);
    expect(s.frames[0]).toEqual({ name: 'wasm-function[123] @prisma/client (wasm)', micros: 40, share: 0.5 });
    expect(s.frames.map((f) => f.name)).toContain('render build/index.js:42');
    expect(s.frames.find((f) => f.name === 'render build/index.js:42')?.micros).toBe(10);
    expect(Object.fromEntries(s.packages.map((p) => [p.name, p.micros]))).toEqual({
      '@prisma/client (wasm)': 40,
      '@prisma/client': 10,
      'app (server build)': 10,
      '(garbage collector)': 10,
      'node core': 10,
    });
  });

  it('takes every sample without a window', () => {
    const s = summariseProfile(profile, { repoRoot: ROOT });
    expect(s.samples).toBe(12);
    expect(s.packages[0]).toMatchObject({ name: 'app (server build)', micros: 50 });
  });
});

describe('packageOf', () => {
  it.each([
    ['file:///repo/node_modules/@electric-sql/pglite/dist/index.js', '@electric-sql/pglite'],
    ['file:///repo/node_modules/a/node_modules/react-dom/cjs/x.js', 'react-dom'],
    ['node:internal/fs/utils', 'node core'],
    ['file:///repo/app/services/feed.server.ts', 'app'],
    ['file:///repo/generated/prisma/client.ts', 'generated/prisma'],
    ['wasm://wasm/abc', null],
    ['', null],
  ])('%s → %s', (url, expected) => {
    expect(packageOf(url, ROOT)).toBe(expected);
  });
});
