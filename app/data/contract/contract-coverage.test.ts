/**
 * "Every adapter passes the whole contract" holds only while every contract part is run:
 * a new `*-contract.ts` that `runRepositoryContract` forgets, or an adapter whose test stops
 * calling it, would pass silently. This reads the sources and fails on either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dataDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const contractDir = path.join(dataDir, 'contract');
const ADAPTERS = ['dynamo', 'prisma'];

/** Source without comments, so a commented-out call does not count as a call. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const parts = readdirSync(contractDir)
  .filter((f) => f.endsWith('-contract.ts') && f !== 'repository-contract.ts')
  .map((file) => {
    const exported = [...code(path.join(contractDir, file)).matchAll(/export function (describe\w+Contract)\s*\(/g)];
    return { file, functions: exported.map((m) => m[1]) };
  });

describe('contract coverage', () => {
  it('finds the contract parts, each exporting its describe…Contract function', () => {
    expect(parts.length).toBeGreaterThanOrEqual(12);
    for (const part of parts) expect(part.functions, part.file).toHaveLength(1);
  });

  it('runs every contract part from runRepositoryContract', () => {
    const suite = code(path.join(contractDir, 'repository-contract.ts'));
    const body = suite.slice(suite.indexOf('export function runRepositoryContract'));
    expect(body.length).toBeGreaterThan(0);
    for (const { file, functions } of parts) {
      for (const fn of functions) expect(body, `${fn} (${file}) is not run by the contract`).toMatch(`${fn}(`);
    }
    expect(body, 'a contract part must run for every adapter, not be skipped').not.toMatch(/\.(skip|only|todo)\b/);
  });

  it.each(ADAPTERS)('runs the whole contract on the %s adapter', (adapter) => {
    const dir = path.join(dataDir, adapter);
    const tests = readdirSync(dir).filter((f) => f.endsWith('.contract.test.ts'));
    const running = tests.filter((f) => /\brunRepositoryContract\(/.test(code(path.join(dir, f))));
    expect(running, `no ${adapter} test calls runRepositoryContract`).not.toHaveLength(0);
  });
});
