import type { Page, Submission } from '~/data/repository';

/** Bounded read of every page of a list (a course's submissions, a roster). */
export async function listAll<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, maxPages = 200): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return all;
}

/**
 * The submission that counts for each (assignment, student): the newest. Input is newest
 * first (as every submissions list is), so the first seen wins.
 */
export function latestPerStudent(submissions: Submission[]): Map<string, Submission> {
  const latest = new Map<string, Submission>();
  for (const s of submissions) {
    const key = `${s.assignmentId}:${s.studentId}`;
    if (!latest.has(key)) latest.set(key, s);
  }
  return latest;
}
