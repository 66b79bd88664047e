/**
 * A small, real WebM video made in the test setup: Chromium records a canvas animation
 * with MediaRecorder (about a second, a few KB), so the browser can really play it back.
 */
import type { Browser } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURE = path.resolve('test-results', 'fixtures', 'answer.webm');

export async function recordTinyWebm(browser: Browser): Promise<string> {
  if (existsSync(FIXTURE) && readFileSync(FIXTURE).length > 500) return FIXTURE;
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await page.setContent('<canvas width="160" height="120"></canvas>');
  const base64 = await page.evaluate(async () => {
    const canvas = document.querySelector('canvas')!;
    const g = canvas.getContext('2d')!;
    const stream = canvas.captureStream(15);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
    recorder.start(100);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const frame = () => {
        const t = performance.now() - started;
        g.fillStyle = `hsl(${(t / 5) % 360} 70% 50%)`;
        g.fillRect(0, 0, 160, 120);
        g.fillStyle = '#fff';
        g.fillText('ClassCast', 40 + Math.sin(t / 200) * 20, 60);
        if (t < 1200) requestAnimationFrame(frame);
        else resolve();
      };
      frame();
    });
    recorder.stop();
    await done;
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  await context.close();
  mkdirSync(path.dirname(FIXTURE), { recursive: true });
  // Write then rename: parallel workers never read a half-written file.
  const temp = `${FIXTURE}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.from(base64, 'base64'));
  renameSync(temp, FIXTURE);
  return FIXTURE;
}

/** Bytes that start like an MP4 (an `ftyp` box) but are otherwise filler: for API size tests. */
export function fakeMp4(totalBytes: number): Buffer {
  const buf = Buffer.alloc(totalBytes, 0x61);
  buf.writeUInt32BE(24, 0);
  buf.write('ftypisom', 4, 'latin1');
  buf.writeUInt32BE(0x200, 12);
  buf.write('isomiso2', 16, 'latin1');
  return buf;
}
