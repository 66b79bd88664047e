/**
 * Files under public/: Remix's fingerprinted /build/* cached for a year as immutable (a new
 * build has new names), everything else for an hour. A text asset is sent as its precompressed
 * copy (server/precompress-assets.ts) when the browser accepts that encoding, so it is never
 * compressed per request; the app's compression middleware only sees what Remix renders.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ENCODINGS, type Encoding } from './precompress-assets';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const SHORT_LIVED = 'public, max-age=3600';

interface Asset {
  /** The copies at least as new as the file, by encoding. */
  copies: Partial<Record<Encoding, string>>;
}

async function findAsset(file: string): Promise<Asset | undefined> {
  const source = await stat(file).catch(() => undefined);
  if (!source?.isFile()) return undefined;
  const copies: Asset['copies'] = {};
  for (const encoding of ENCODINGS) {
    const copy = await stat(file + encoding.suffix).catch(() => undefined);
    if (copy?.isFile() && copy.mtimeMs >= source.mtimeMs) copies[encoding.name] = file + encoding.suffix;
  }
  return { copies };
}

async function indexAssets(root: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && !ENCODINGS.some((e) => entry.name.endsWith(e.suffix))) {
        const asset = await findAsset(full);
        if (asset) assets.set(full, asset);
      }
    }
  };
  await walk(root);
  return assets;
}

/** The file a URL path names under `root`, or undefined for anything that could leave it. */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part === '..' || part.startsWith('.'))) {
    return undefined;
  }
  const file = path.join(root, decoded);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** Accept-Encoding as quality per coding (RFC 9110 §12.5.3). */
function qualities(header: string | undefined): Map<string, number> {
  const found = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = q ? Number(q.slice(2)) : 1;
    found.set(coding, Number.isFinite(value) ? value : 0);
  }
  return found;
}

/**
 * The browser's q-values decide; among equals our order (br, then gzip) does, not the order of
 * the header: browsers list gzip first, and Express's negotiator would follow that.
 */
function negotiate(req: Request, asset: Asset): Encoding | undefined {
  const q = qualities(req.headers['accept-encoding']);
  let best: Encoding | undefined;
  let bestQ = q.get('identity') ?? 0;
  for (const { name } of ENCODINGS) {
    const value = q.get(name) ?? q.get('*') ?? 0;
    if (asset.copies[name] && value > bestQ) {
      best = name;
      bestQ = value;
    }
  }
  return best;
}

/**
 * @param remember index public/ once, on the first request (production: the files do not
 *   change under a running server, and a page request then costs no file system call); off in
 *   development, where a rebuild rewrites public/ and each request looks at the disk.
 */
export function staticAssets(publicDir: string, { remember }: { remember: boolean }): RequestHandler {
  const root = path.resolve(publicDir);
  let index: Promise<Map<string, Asset>> | undefined;
  const lookup = async (file: string) => {
    if (!remember) return findAsset(file);
    index ??= indexAssets(root);
    return (await index).get(file);
  };
  /** What is on the disk now, after a file the index named was gone (a rebuild). */
  const refresh = async (file: string) => {
    if (!index) return;
    const assets = await index;
    const found = await findAsset(file);
    if (found) assets.set(file, found);
    else assets.delete(file);
  };

  const serve = (req: Request, res: Response, next: NextFunction, retried: boolean) => {
    const file = fileFor(root, req.path);
    if (!file) return next();
    lookup(file).then((asset) => {
      if (!asset) return next();
      const encoding = negotiate(req, asset);
      res.setHeader('Cache-Control', req.path.startsWith('/build/') ? IMMUTABLE : SHORT_LIVED);
      if (Object.keys(asset.copies).length) res.vary('Accept-Encoding');
      if (encoding) {
        // The type of the file itself, not of its .br/.gz copy.
        res.type(path.extname(file));
        res.setHeader('Content-Encoding', encoding);
      }
      const sent = path.relative(root, encoding ? asset.copies[encoding]! : file);
      res.sendFile(sent, { root, cacheControl: false }, (error?: NodeJS.ErrnoException) => {
        if (!error || res.headersSent || error.code === 'ECONNABORTED') return;
        if (error.code !== 'ENOENT' || !remember || retried) return next(error.code === 'ENOENT' ? undefined : error);
        for (const header of ['Content-Encoding', 'Content-Type', 'Cache-Control', 'Vary']) res.removeHeader(header);
        refresh(file).then(() => serve(req, res, next, true), next);
      });
    }, next);
  };

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    serve(req, res, next, false);
  };
}
