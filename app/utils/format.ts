/** Formatting shared by server and client renders (UTC, so hydration never disagrees). */
const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

export function formatDateTime(iso: string): string {
  return `${dateTime.format(new Date(iso))} UTC`;
}

/** The value a <input type="datetime-local"> expects, in UTC. */
export function toDateTimeLocal(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16);
}

/**
 * The one byte formatter, for the upload widget and server messages alike: binary units
 * (1 GB = 1024³ bytes, as UPLOAD_MAX_BYTES is set), so both say "2 GB" for the same limit.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit += 1;
  } while (value >= 1024 && unit < units.length - 1);
  const text = value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[unit]}`;
}

export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(2).replace(/0+$/, '');
}
