import type { z } from 'zod';
import { AppError, type FieldErrors } from './errors';

/** "Description must be at most 5,000 characters.": the limit is said, in the reader's digits. */
export function tooLongMessage(label: string, max: number): string {
  return `${label} must be at most ${max.toLocaleString('en-US')} characters.`;
}

/** Parses with zod; a failure becomes one VALIDATION_ERROR carrying per-field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : 'form';
    (fields[key] ??= []).push(issue.message);
  }
  const first = result.error.issues[0]?.message ?? 'Invalid input.';
  throw new AppError('VALIDATION_ERROR', first, { fields });
}

/** FormData → plain object (last value wins; files are dropped). */
export function formToObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
