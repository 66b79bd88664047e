/**
 * What a log line must never carry: secrets by their key (passwords, tokens, cookies,
 * Authorization headers, keys) and full email addresses anywhere (masked to `a***@example.org`).
 */
const SECRET_KEY = /pass(word|wd)?|secret|token|cookie|authori[sz]ation|api[-_]?key|credential|signature/i;
const EMAIL = /([A-Za-z0-9_%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
export const REDACTED = '[redacted]';
/** Deeper structures are cut: a log line is not a data dump. */
const MAX_DEPTH = 6;

export function maskEmails(text: string): string {
  return text.replace(EMAIL, '$1***@$2');
}

export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (value instanceof Error) {
    return redactForLog({ type: value.name, message: value.message, stack: value.stack }, depth);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactForLog(item, depth + 1);
  }
  return out;
}
