/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by frame and by package, over
 * the samples of a time window only (the measured load, not start-up or shutdown).
 *
 * A sample's time is its timeDelta (the time since the previous sample), the convention of
 * Chrome's profiler. WebAssembly and native frames carry no package of their own: they are
 * charged to the nearest caller that has one ("@prisma/client (wasm)"), which is how the
 * query compiler's WASM and PGlite's WASM are told apart.
 */

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
  scriptId?: string | number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The JSON `node --cpu-prof` writes (times in microseconds, on the system's monotonic clock). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface TimeShare {
  name: string;
  micros: number;
  share: number;
}

export interface ProfileSummary {
  /** Microseconds of samples inside the window. */
  totalMicros: number;
  samples: number;
  /** Self time by frame ("function package/file:line"), largest first. */
  frames: TimeShare[];
  /** Self time by package (or app file area, node core, GC), largest first. */
  packages: TimeShare[];
}

/** Microseconds on the profile's clock; samples outside [from, to] are left out. */
export interface ProfileWindow {
  fromMicros: number;
  toMicros: number;
}

const SPECIAL = /^\((garbage collector|program|idle|root)\)$/;

/** Where a script lives, in a few words: an npm package, node core, or a path in the repo. */
export function packageOf(url: string, repoRoot: string): string | null {
  if (!url) return null;
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const [first, second] = url.slice(inModules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node core';
  if (url.startsWith('wasm://')) return null;
  const local = url.replace(/^file:\/\//, '');
  const root = repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`;
  if (local.startsWith(root)) {
    const [dir, next] = local.slice(root.length).split('/');
    if (dir === 'build') return 'app (server build)';
    if (dir === 'generated') return `generated/${next ?? ''}`.replace(/\/$/, '');
    return dir;
  }
  return local.startsWith('/') ? null : local;
}

function describeFrame(frame: CallFrame, pkg: string, repoRoot: string): string {
  const name = frame.functionName || '(anonymous)';
  if (SPECIAL.test(name)) return name;
  const root = repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`;
  const file = frame.url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, '')
    .replace(root, '');
  // A WASM frame's URL is a content hash: the package it runs for says more.
  const where = file && !file.startsWith('wasm://') ? `${file}:${frame.lineNumber + 1}` : pkg;
  return `${name} ${where}`;
}

function ranked(totals: Map<string, number>, totalMicros: number): TimeShare[] {
  return [...totals]
    .map(([name, micros]) => ({ name, micros, share: totalMicros ? micros / totalMicros : 0 }))
    .sort((a, b) => b.micros - a.micros || a.name.localeCompare(b.name));
}

export function summariseProfile(
  profile: CpuProfile,
  opts: { repoRoot: string; window?: ProfileWindow },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  // A node's package: its own, else its nearest caller's (memoised: the tree is deep).
  const packageById = new Map<number, string>();
  const packageFor = (id: number): string => {
    const known = packageById.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const frame = node?.callFrame;
    let pkg: string;
    if (!frame) pkg = '(unknown)';
    else if (SPECIAL.test(frame.functionName)) pkg = frame.functionName;
    else {
      const own = packageOf(frame.url, opts.repoRoot);
      if (own) pkg = own;
      else {
        const parent = parentOf.get(id);
        const inherited = parent === undefined ? null : packageFor(parent).replace(/ \((wasm|native)\)$/, '');
        const kind = frame.url.startsWith('wasm://') ? 'wasm' : 'native';
        pkg = inherited && !SPECIAL.test(inherited) ? `${inherited} (${kind})` : `(${kind})`;
      }
    }
    packageById.set(id, pkg);
    return pkg;
  };

  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMicros = 0;
  let samples = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (opts.window && (at < opts.window.fromMicros || at > opts.window.toMicros)) return;
    const node = byId.get(id);
    if (!node) return;
    const pkg = packageFor(id);
    const frame = describeFrame(node.callFrame, pkg, opts.repoRoot);
    frames.set(frame, (frames.get(frame) ?? 0) + delta);
    packages.set(pkg, (packages.get(pkg) ?? 0) + delta);
    totalMicros += delta;
    samples += 1;
  });
  return { totalMicros, samples, frames: ranked(frames, totalMicros), packages: ranked(packages, totalMicros) };
}

export function formatShares(shares: TimeShare[], limit: number): string[] {
  return shares.slice(0, limit).map((s) => `${(s.share * 100).toFixed(1).padStart(5)} %  ${s.name}`);
}
