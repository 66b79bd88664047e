/**
 * docs/dynamodb.md stays true to the code: every table with its key, indexes and stream as
 * tables.ts defines them, and every repository method in the access-pattern table (and no
 * method that is gone). Adding an index, a stream or a method without documenting it fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDynamoRepositories, INDEXES, TABLES, tableDefinitions } from './index';
import { STREAMED_TABLES } from './tables';

const doc = readFileSync(
  path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../docs/dynamodb.md'),
  'utf8',
);

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, `docs/dynamodb.md has a "## ${title}" section`).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The cells of each row of the first Markdown table in `text` (header and rule skipped). */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((l) =>
    l
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim()),
  );
}

const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const indexNames = (text: string) => ticked(text).filter((t) => t.endsWith('-index'));

/** Every method of the DynamoDB adapter, as `repository.method`. */
function adapterMethods(): string[] {
  const repos = createDynamoRepositories({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    tablePrefix: 'docs-',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const methods = Object.entries(repos).flatMap(([name, repo]) =>
    typeof repo === 'object' && repo !== null ? Object.keys(repo).map((m) => `${name}.${m}`) : [],
  );
  void repos.close();
  return methods;
}

describe('docs/dynamodb.md', () => {
  const defs = tableDefinitions('classcast-');

  it('lists every table with its key, its indexes and its stream, as tables.ts defines them', () => {
    const rows = tableRows(section('Tables'));
    expect(rows.map((r) => r[0])).toEqual(TABLES.map((t) => `\`classcast-${t}\``));
    for (const [cell, keyCell, indexCell] of rows) {
      const table = cell.replace(/`classcast-(\w+)`/, '$1') as (typeof TABLES)[number];
      const def = defs[table];
      for (const key of def.KeySchema ?? []) expect(ticked(keyCell), `${table} key`).toContain(key.AttributeName);
      const defined = [...(def.GlobalSecondaryIndexes ?? []), ...(def.LocalSecondaryIndexes ?? [])].map(
        (i) => i.IndexName,
      );
      expect(new Set(indexNames(indexCell)), `${table} indexes`).toEqual(new Set(defined));
    }
    // One sentence per view type: "Streams (`VIEW`…): `classcast-a`, `classcast-b`."
    const documented = new Map<string, string>();
    for (const [, view, tables] of doc.matchAll(/^Streams \(`(\w+)`[^)]*\): (.*?)\.(?: |$)/gms)) {
      for (const table of ticked(tables)) documented.set(table, view);
    }
    const defined = new Map(Object.entries(STREAMED_TABLES).map(([t, view]) => [`classcast-${t}`, view as string]));
    expect(documented).toEqual(defined);
    for (const [table, view] of Object.entries(STREAMED_TABLES)) {
      expect(defs[table as keyof typeof defs].StreamSpecification?.StreamViewType).toBe(view);
    }
  });

  it('names only indexes that exist, and every index somewhere in the access patterns', () => {
    const known = new Set(Object.values(INDEXES));
    for (const name of indexNames(doc)) expect(known, `${name} is named in the doc`).toContain(name);
    const patterns = section('Access patterns');
    for (const name of known) {
      if (name === INDEXES.interactionsByVideo || name === INDEXES.interactionsByUser) continue; // the original's, unused
      expect(indexNames(patterns), `${name} has an access pattern`).toContain(name);
    }
  });

  it('has every repository method in the access-pattern table, and none that is gone', () => {
    const methods = adapterMethods();
    expect(methods.length).toBeGreaterThan(80);
    const documented = new Set(tableRows(section('Access patterns')).flatMap((r) => ticked(r[1] ?? '')));
    for (const method of methods) expect(documented, `${method} has no access-pattern row`).toContain(method);
    for (const method of documented) expect(methods, `the doc names ${method}`).toContain(method);
  });
});
