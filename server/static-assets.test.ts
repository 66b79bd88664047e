import express from 'express';
import { mkdtemp, mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressAssets } from './precompress-assets';
import { IMMUTABLE, SHORT_LIVED, staticAssets } from './static-assets';

const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word${i}`))};\n`;
const styles = `${'.card { padding: 1rem; }\n'.repeat(200)}`;

let dir: string;
let server: http.Server;
let base: string;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${urlPath}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'classcast-static-'));
  await mkdir(path.join(dir, 'build', '_shared'), { recursive: true });
  await writeFile(path.join(dir, 'build', '_shared', 'chunk-AB12CD34.js'), script);
  await writeFile(path.join(dir, 'styles.css'), styles);
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(dir, 'build', 'tiny-XY.js'), 'export {};\n');
  await writeFile(path.join(dir, '.secret'), 'no');
  const app = express();
  // The precompression runs in the tests below, after the app started: development mode
  // (a look at the disk per request); production's index is tested on its own.
  app.use(staticAssets(dir, { remember: false }));
  app.use((_req, res) => void res.status(404).send('app 404'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('precompressAssets', () => {
  it('writes br and gzip copies of text assets once, and again only for a changed file', async () => {
    expect(await precompressAssets(dir)).toEqual({ written: 4 });
    expect(brotliDecompressSync(await readCopy('build/_shared/chunk-AB12CD34.js.br')).toString()).toBe(script);
    expect(gunzipSync(await readCopy('styles.css.gz')).toString()).toBe(styles);
    // Too small to gain anything: no copies.
    await expect(stat(path.join(dir, 'favicon.svg.br'))).rejects.toThrow();
    expect(await precompressAssets(dir)).toEqual({ written: 0 });
    // Copies older than their file (the file was rebuilt) are written again.
    const earlier = new Date(Date.now() - 60_000);
    for (const copy of ['styles.css.br', 'styles.css.gz']) await utimes(path.join(dir, copy), earlier, earlier);
    expect(await precompressAssets(dir)).toEqual({ written: 2 });
  });
});

async function readCopy(relative: string) {
  const { readFile } = await import('node:fs/promises');
  return readFile(path.join(dir, relative));
}

describe('staticAssets', () => {
  const chunk = '/build/_shared/chunk-AB12CD34.js';

  it('sends the brotli copy of a fingerprinted asset, cached for a year as immutable', async () => {
    const res = await get(chunk, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript; charset=utf-8$/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(Number(res.headers['content-length'])).toBe(
      (await stat(path.join(dir, `build/_shared/chunk-AB12CD34.js.br`))).size,
    );
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('follows the browser: gzip when it takes no brotli, the file itself when it takes neither', async () => {
    const gz = await get(chunk, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const prefersGzip = await get(chunk, { 'Accept-Encoding': 'br;q=0.5, gzip' });
    expect(prefersGzip.headers['content-encoding']).toBe('gzip');
    const plain = await get(chunk);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toBe(script);
    const preferred = await get(chunk, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(preferred.headers['content-encoding']).toBe('br');
    const anything = await get(chunk, { 'Accept-Encoding': '*' });
    expect(anything.headers['content-encoding']).toBe('br');
    const refused = await get(chunk, { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(script);
  });

  it('answers HEAD and revalidation like GET', async () => {
    const head = await get(chunk, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.body.length).toBe(0);
    const again = await get(chunk, { 'Accept-Encoding': 'br', 'If-None-Match': String(head.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('caches the rest of public/ for an hour; small files go as they are', async () => {
    const icon = await get('/favicon.svg', { 'Accept-Encoding': 'br' });
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe(SHORT_LIVED);
    expect(icon.headers['content-encoding']).toBeUndefined();
    expect(icon.headers.vary).toBeUndefined();
    const css = await get('/styles.css', { 'Accept-Encoding': 'br' });
    expect(css.headers['cache-control']).toBe(SHORT_LIVED);
    expect(css.headers['content-type']).toMatch(/^text\/css; charset=utf-8$/i);
    expect(css.headers['content-encoding']).toBe('br');
  });

  it('leaves everything else to the app: unknown files, dotfiles, escapes, bad encodings, posts', async () => {
    for (const p of ['/build/missing-00.js', '/.secret', '/build/..%2f..%2fetc%2fpasswd', '/%E0%A4%A', '/build/']) {
      const res = await get(p, { 'Accept-Encoding': 'br' });
      expect([res.status, res.body.toString()], p).toEqual([404, 'app 404']);
      expect(res.headers['cache-control'], p).toBeUndefined();
    }
    const post = await new Promise<number>((resolve) => {
      const req = http.request(`${base}${chunk}`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end();
    });
    expect(post).toBe(404);
  });
});

describe('staticAssets in production', () => {
  it('indexes public/ on the first request: a file added later is left to the app', async () => {
    const app = express();
    app.use(staticAssets(dir, { remember: true }));
    app.use((_req, res) => void res.status(404).send('app 404'));
    const prod = app.listen(0, '127.0.0.1');
    await new Promise((r) => prod.once('listening', r));
    const url = `http://127.0.0.1:${(prod.address() as AddressInfo).port}`;
    const fetchRaw = (p: string) =>
      new Promise<Raw>((resolve, reject) => {
        http
          .get(`${url}${p}`, { headers: { 'Accept-Encoding': 'br' } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          })
          .on('error', reject);
      });
    try {
      const chunk = await fetchRaw('/build/_shared/chunk-AB12CD34.js');
      expect(chunk.headers['content-encoding']).toBe('br');
      expect(chunk.headers['cache-control']).toBe(IMMUTABLE);
      await writeFile(path.join(dir, 'build', 'late-00.js'), 'export {};\n');
      expect((await fetchRaw('/build/late-00.js')).status).toBe(404);
      // A copy removed since is noticed (the file itself goes out), a removed file is the app's 404.
      await rm(path.join(dir, 'styles.css.br'));
      const css = await fetchRaw('/styles.css');
      expect([css.status, css.headers['content-encoding'], css.body.toString()]).toEqual([200, undefined, styles]);
      await rm(path.join(dir, 'styles.css'));
      expect((await fetchRaw('/styles.css')).status).toBe(404);
    } finally {
      await new Promise((r) => prod.close(r));
    }
  });
});
