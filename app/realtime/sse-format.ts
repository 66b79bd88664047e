import type { LiveStreamEventName, LiveStreamEvents } from './wire';

const encoder = new TextEncoder();

/** One event in the text/event-stream format: JSON never contains a raw newline, so one data line. */
export function formatStreamEvent<N extends LiveStreamEventName>(
  name: N,
  data: LiveStreamEvents[N],
  id: string | null,
): Uint8Array {
  const idLine = id === null ? '' : `id: ${id}\n`;
  return encoder.encode(`${idLine}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A comment line: ignored by EventSource, keeps proxies from closing an idle stream. */
export const HEARTBEAT = encoder.encode(': heartbeat\n\n');

/** How long the browser waits before reconnecting after the stream ends. */
export function formatRetry(ms: number): Uint8Array {
  return encoder.encode(`retry: ${Math.round(ms)}\n\n`);
}
