/**
 * A moment of a video, as people write it ("1:05", "01:02:03", "65") and as pages show it.
 * Shared by the service that validates it and the components that display it.
 */

const CLOCK = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:\.(\d{1,3}))?$/;
const PLAIN = /^\d+(?:\.\d{1,3})?$/;

/** Seconds from "ss", "m:ss" or "h:mm:ss" (optionally with a fraction), or null. */
export function parseMoment(text: string): number | null {
  const value = text.trim();
  if (PLAIN.test(value)) return Number(value);
  const clock = CLOCK.exec(value);
  if (!clock) return null;
  const [, hours = '0', minutes, seconds, fraction] = clock;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) + (fraction ? Number(`0.${fraction}`) : 0);
}

/** "m:ss" (or "h:mm:ss" past an hour), whole seconds. */
export function formatMoment(totalSeconds: number): string {
  const whole = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
