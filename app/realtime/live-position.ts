import type { LivePosition } from './bus';

/**
 * The `id:` of every stream event, which the browser sends back as Last-Event-ID: an opaque
 * token for a LivePosition (time, then id). A position with an empty id means "everything
 * from this instant on" (the `ready` event of a stream that had nothing to replay).
 */
export function encodeLivePosition(position: LivePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), 'utf8').toString('base64url');
}

/** null when the token is not one we issued (malformed, or from another tool). */
export function decodeLivePosition(token: string): LivePosition | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(token)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [at, id] = value as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || id.length > 200) return null;
  const time = Date.parse(at);
  if (Number.isNaN(time) || new Date(time).toISOString() !== at) return null;
  return { at, id };
}

/** Stream order: by time, then id. */
export function compareLivePositions(a: LivePosition, b: LivePosition): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
