/**
 * V8 heap policy for the production server (why and the figures: docs/decisions/017).
 *
 * Under load V8 grows the old generation up to four times what survives a full collection
 * (a page's objects live about as long as its request and get promoted), so the server held
 * ~450 MB of heap for ~140 MB of objects. A fixed growth factor of 1.5 keeps the heap near its
 * live size at no measurable throughput cost, and unlike --max-old-space-size sets no ceiling
 * the server could run into. V8 reads this flag each time it sizes the heap, so setting it
 * at start-up works without re-running node; a value given to node by hand wins.
 */
import v8 from 'node:v8';

const HEAP_GROWING_PERCENT = 50;

export function applyServerHeapPolicy(): void {
  const given = process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg));
  if (!given) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
