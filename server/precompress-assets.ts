/**
 * Brotli and gzip copies of the static assets, written once next to each file (`x.js.br`,
 * `x.js.gz`) so that serving them costs no compression per request (server/static-assets.ts).
 * Run after every build (`npm run build`'s postbuild) and again, cheaply, when a production
 * server starts: a file whose copies are already newer than it is skipped.
 */
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text formats worth compressing; images, fonts and video are compressed already. */
export const COMPRESSIBLE = /\.(js|mjs|css|svg|json|map|txt|html|xml|webmanifest)$/i;
/** Below this a compressed copy saves less than its headers cost. */
export const MIN_BYTES = 1024;

export const ENCODINGS = [
  {
    name: 'br',
    suffix: '.br',
    compress: (bytes: Buffer) =>
      brotli(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }),
  },
  { name: 'gzip', suffix: '.gz', compress: (bytes: Buffer) => gzipAsync(bytes, { level: 9 }) },
] as const;

export type Encoding = (typeof ENCODINGS)[number]['name'];

async function* filesUnder(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

async function modifiedAt(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

/** Writes the missing or outdated copies under `dir`; returns how many it wrote. */
export async function precompressAssets(dir: string): Promise<{ written: number }> {
  let written = 0;
  for await (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const source = await stat(file);
    if (source.size < MIN_BYTES) continue;
    let bytes: Buffer | undefined;
    for (const encoding of ENCODINGS) {
      const target = file + encoding.suffix;
      const copy = await modifiedAt(target);
      if (copy !== undefined && copy >= source.mtimeMs) continue;
      bytes ??= await readFile(file);
      // Written aside and renamed: a server reading the copy never sees half of it.
      const partial = `${target}.${process.pid}.tmp`;
      await writeFile(partial, await encoding.compress(bytes));
      await rename(partial, target);
      written += 1;
    }
  }
  return { written };
}
