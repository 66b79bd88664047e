import { InvalidCursorError } from './errors';

/**
 * Opaque cursors: base64url JSON. Adapters put whatever key they need inside
 * (a SQL keyset, a DynamoDB LastEvaluatedKey); callers only pass it back.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(
  cursor: string | null | undefined,
  isValid: (value: unknown) => value is T,
): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!isValid(value)) throw new InvalidCursorError();
  return value;
}
