import type { Assignment } from '~/data/repository';

/** How an assignment looks to a student right now. */
export type DueState = 'open' | 'due-soon' | 'late' | 'closed';

export const DUE_SOON_MS = 48 * 60 * 60 * 1000;

export function dueState(assignment: Pick<Assignment, 'status' | 'dueDate'>, now: Date): DueState {
  if (assignment.status === 'closed' || assignment.status === 'archived') return 'closed';
  const due = new Date(assignment.dueDate).getTime();
  if (now.getTime() > due) return 'late';
  if (due - now.getTime() <= DUE_SOON_MS) return 'due-soon';
  return 'open';
}

/** Submissions are accepted unless the assignment is closed (or still a draft); late ones are flagged. */
export function acceptsSubmissions(assignment: Pick<Assignment, 'status'>): boolean {
  return assignment.status === 'published';
}

export function isLateAt(assignment: Pick<Assignment, 'dueDate'>, at: Date): boolean {
  return at.getTime() > new Date(assignment.dueDate).getTime();
}
