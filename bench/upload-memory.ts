/**
 * Upload memory check (issue 4, item 10): push a large multipart upload (default 1 GiB, parts
 * of 16 MiB, 4 in flight) through the local S3 stand-in while sampling the resident memory of a
 * given process every 200 ms. Run next to the app server, its RSS must stay flat: upload bytes
 * go browser -> S3 and never through the app, which only signs URLs.
 *
 * The upload uses the app's own storage module for presigning (createMultipartUpload ->
 * presignUploadParts -> HTTP PUT -> completeMultipartUpload), like the browser flow does.
 * Parts are slices of ONE reused buffer, so this process holds 16 MiB of payload, not 1 GiB.
 *
 *   import { runUploadMemoryCheck } from './upload-memory';
 *   const r = await runUploadMemoryCheck({ samplePid: appPid, s3Endpoint, bucket });
 *
 * Its pieces are exported for bench/upload.ts, which drives the same upload through the app's
 * HTTP API instead: makePayload (the one reused buffer), putParts (node:http PUTs, N in
 * flight), RssSampler / rssKib / formatRss (RSS from /proc every 200 ms).
 *
 *   tsx bench/upload-memory.ts [--total-mib 1024] [--part-mib 16] [--concurrency 4]
 *                              [--pid <pid to sample; default: this process>]
 *                              [--endpoint http://127.0.0.1:4569 --bucket classcast-videos]
 *
 * Alone, it starts its own s3rver in a temp directory and removes it afterwards. Against a
 * given endpoint, it deletes the uploaded object at the end. Bounded: a time limit aborts the
 * upload (and the multipart upload on S3) if anything hangs.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, startLocalS3, type LocalS3 } from '../app/storage/local-s3.server';
import { createS3Storage } from '../app/storage/s3.server';
import type { CompletedPart } from '../app/storage/storage';

export const MiB = 1024 * 1024;

export interface UploadMemoryOptions {
  /** The process whose RSS to sample (the app server). Default: this process. */
  samplePid?: number;
  /** An S3 endpoint that accepts LOCAL_S3_CREDENTIALS; default: start a private s3rver. */
  s3Endpoint?: string;
  /** Bucket at s3Endpoint (ignored for the private stand-in). Default classcast-videos. */
  bucket?: string;
  /** Default 1 GiB. */
  totalBytes?: number;
  /** Default 16 MiB. */
  partBytes?: number;
  /** Parts in flight. Default 4. */
  concurrency?: number;
  /** Default 200 ms. */
  sampleIntervalMs?: number;
  /** Give up (and abort the upload) after this long. Default 10 min. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RssFigures {
  pid: number;
  samples: number;
  /** First sample, before the upload started. */
  startMb: number;
  minMb: number;
  maxMb: number;
  endMb: number;
  /** max - start: how much the upload made the process grow. */
  deltaMb: number;
}

export interface UploadMemoryResult {
  bytes: number;
  parts: number;
  seconds: number;
  mbPerSec: number;
  sampled: RssFigures;
  self: RssFigures;
}

/** The first bytes of an MP4 (`ftyp` box, isom brand): finalize sniffs for a real container. */
const MP4_HEADER = Buffer.from('0000002066747970' + '69736f6d00000200' + '69736f6d69736f32617663316d703431', 'hex');

/**
 * ONE part-sized payload buffer, reused for every part: random bytes after an MP4-looking
 * start, so the object passes the app's container check. The uploader holds one part, not 1 GiB.
 */
export function makePayload(partBytes: number): Buffer {
  const payload = randomBytes(partBytes);
  MP4_HEADER.copy(payload);
  return payload;
}

/**
 * PUT with node:http rather than fetch: undici copies a typed-array body (16 MiB per part),
 * which would make this process's own RSS swing by hundreds of MB for no reason.
 */
export function httpPut(
  url: string,
  body: Uint8Array,
  agent: http.Agent,
  signal: AbortSignal,
): Promise<{ status: number; etag: string | null }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'PUT', agent, signal, headers: { 'Content-Length': body.byteLength } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, etag: (res.headers.etag as string | undefined) ?? null }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface PutPartsOptions {
  totalBytes: number;
  partBytes: number;
  /** Parts in flight. */
  concurrency: number;
  /** At least partBytes long; part n is its first min(partBytes, remaining) bytes. */
  payload: Uint8Array;
  /** The presigned PUT URL of a part (1-based), e.g. from a list or presigned on demand. */
  urlFor: (partNumber: number) => string | Promise<string>;
  /** Aborts the PUTs in flight; checked before each part. */
  signal: AbortSignal;
  log?: (line: string) => void;
}

/**
 * PUTs every part of a multipart upload over plain http with `concurrency` parts in flight,
 * all from the same payload buffer. Returns the parts (with ETags) in part-number order, ready
 * for CompleteMultipartUpload. The first failure stops the other workers after their current part.
 */
export async function putParts(opts: PutPartsOptions): Promise<CompletedPart[]> {
  const { totalBytes, partBytes, concurrency, payload, signal } = opts;
  const partCount = Math.ceil(totalBytes / partBytes);
  if (payload.byteLength < Math.min(partBytes, totalBytes)) throw new Error('payload is shorter than a part');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const done: CompletedPart[] = [];
  let next = 1;
  let sent = 0;
  let failed = false;
  let lastLog = performance.now();
  const uploadParts = async () => {
    while (!failed && next <= partCount) {
      signal.throwIfAborted();
      const partNumber = next++;
      const size = Math.min(partBytes, totalBytes - (partNumber - 1) * partBytes);
      const url = await opts.urlFor(partNumber);
      if (!url.startsWith('http://')) throw new Error('parts are PUT over plain http (a local stand-in)');
      const { status, etag } = await httpPut(url, payload.subarray(0, size), agent, signal);
      if (status !== 200 || !etag) throw new Error(`part ${partNumber}: HTTP ${status}`);
      done.push({ partNumber, etag });
      sent += size;
      if (opts.log && performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        opts.log(`  ${Math.round(sent / MiB)} / ${Math.round(totalBytes / MiB)} MiB`);
      }
    }
  };
  const worker = async () => {
    try {
      await uploadParts();
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, partCount) }, worker));
  } finally {
    agent.destroy();
  }
  return done.sort((a, b) => a.partNumber - b.partNumber);
}

/** VmRSS of a process in KiB, from /proc (Linux), or null if it is gone. */
export async function rssKib(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs` from start() to stop(); bounded by the caller. */
export class RssSampler {
  private readonly values: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  constructor(
    readonly pid: number,
    private readonly intervalMs = 200,
  ) {}

  async start(): Promise<void> {
    await this.sample();
    if (this.values.length === 0)
      throw new Error(`cannot read /proc/${this.pid}/status (no such process, or not Linux)`);
    this.timer = setInterval(() => {
      this.pending = this.pending.then(() => this.sample());
    }, this.intervalMs);
    // Never what keeps the process alive (e.g. when the upload it watches fails).
    this.timer.unref();
  }

  private async sample(): Promise<void> {
    const kib = await rssKib(this.pid);
    if (kib !== null) this.values.push(kib);
  }

  async stop(): Promise<RssFigures> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pending;
    await this.sample();
    const mb = (kib: number) => Math.round((kib / 1024) * 10) / 10;
    const v = this.values;
    return {
      pid: this.pid,
      samples: v.length,
      startMb: mb(v[0]),
      minMb: mb(Math.min(...v)),
      maxMb: mb(Math.max(...v)),
      endMb: mb(v[v.length - 1]),
      deltaMb: mb(Math.max(...v) - v[0]),
    };
  }
}

/** One line: `<label> pid N: RSS start …, min …, max …, end …, delta +… MB (n samples)`. */
export function formatRss(label: string, f: RssFigures): string {
  return (
    `${label} pid ${f.pid}: RSS start ${f.startMb} MB, min ${f.minMb}, max ${f.maxMb}, end ${f.endMb}, ` +
    `delta +${f.deltaMb} MB (${f.samples} samples)`
  );
}

export async function runUploadMemoryCheck(opts: UploadMemoryOptions = {}): Promise<UploadMemoryResult> {
  const totalBytes = opts.totalBytes ?? 1024 * MiB;
  const partBytes = opts.partBytes ?? 16 * MiB;
  const concurrency = opts.concurrency ?? 4;
  const intervalMs = opts.sampleIntervalMs ?? 200;
  const log = opts.log ?? (() => {});
  if (partBytes < 5 * MiB) throw new Error('parts must be at least 5 MiB (S3 minimum)');
  const partCount = Math.ceil(totalBytes / partBytes);
  if (partCount > 10_000) throw new Error('more than 10 000 parts: raise partBytes');

  let tempDir: string | undefined;
  let local: LocalS3 | undefined;
  let endpoint = opts.s3Endpoint;
  let bucket = opts.bucket ?? 'classcast-videos';
  const key = `bench/upload-memory-${Date.now()}-${process.pid}.bin`;
  const deadline = AbortSignal.timeout(opts.timeoutMs ?? 10 * 60_000);

  try {
    if (!endpoint) {
      tempDir = await mkdtemp(path.join(os.tmpdir(), 'classcast-upload-bench-'));
      bucket = 'classcast-bench';
      local = await startLocalS3({ directory: tempDir, bucket, corsOrigins: ['http://127.0.0.1'] });
      endpoint = local.endpoint;
      log(`private S3 stand-in at ${endpoint} (data in ${tempDir})`);
    }
    const storage = createS3Storage({
      region: LOCAL_S3_REGION,
      bucket,
      endpoint,
      forcePathStyle: true,
      credentials: LOCAL_S3_CREDENTIALS,
    });

    const payload = makePayload(partBytes);
    const sampled = new RssSampler(opts.samplePid ?? process.pid, intervalMs);
    const self = new RssSampler(process.pid, intervalMs);
    await Promise.all([sampled.start(), self.start()]);

    const started = performance.now();
    const { uploadId } = await storage.createMultipartUpload({ key, contentType: 'video/mp4' });
    let completed = false;
    try {
      const parts = await putParts({
        totalBytes,
        partBytes,
        concurrency,
        payload,
        signal: deadline,
        log,
        // Presigned one at a time, as a browser asking for fresh URLs would.
        urlFor: async (partNumber) =>
          (await storage.presignUploadParts({ key, uploadId, partNumbers: [partNumber] }))[0].url,
      });
      await storage.completeMultipartUpload({ key, uploadId, parts });
      completed = true;
    } finally {
      if (!completed) await storage.abortMultipartUpload({ key, uploadId }).catch(() => {});
    }
    const seconds = (performance.now() - started) / 1000;
    const [sampledFigures, selfFigures] = await Promise.all([sampled.stop(), self.stop()]);

    const stored = await storage.head(key);
    if (stored?.size !== totalBytes) throw new Error(`stored ${stored?.size} bytes, expected ${totalBytes}`);
    await storage.delete(key);

    return {
      bytes: totalBytes,
      parts: partCount,
      seconds: Math.round(seconds * 100) / 100,
      mbPerSec: Math.round((totalBytes / MiB / seconds) * 10) / 10,
      sampled: sampledFigures,
      self: selfFigures,
    };
  } finally {
    await local?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

export function formatUploadMemoryResult(r: UploadMemoryResult): string {
  return [
    `upload: ${(r.bytes / MiB).toFixed(0)} MiB in ${r.parts} parts, ${r.seconds} s, ${r.mbPerSec} MiB/s`,
    formatRss('sampled', r.sampled),
    formatRss('uploader', r.self),
  ].join('\n');
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      'total-mib': { type: 'string', default: '1024' },
      'part-mib': { type: 'string', default: '16' },
      concurrency: { type: 'string', default: '4' },
      pid: { type: 'string' },
      endpoint: { type: 'string' },
      bucket: { type: 'string' },
    },
  });
  const result = await runUploadMemoryCheck({
    totalBytes: Number(values['total-mib']) * MiB,
    partBytes: Number(values['part-mib']) * MiB,
    concurrency: Number(values.concurrency),
    samplePid: values.pid ? Number(values.pid) : undefined,
    s3Endpoint: values.endpoint,
    bucket: values.bucket,
    log: (line) => console.log(line),
  });
  console.log(formatUploadMemoryResult(result));
}
