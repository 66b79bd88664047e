import { describe, expect, it } from 'vitest';
import { acceptsSubmissions, dueState, isLateAt } from './due-state';

const now = new Date('2026-11-25T12:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();

describe('due state', () => {
  it('is open well before the due date', () => {
    expect(dueState({ status: 'published', dueDate: at(72) }, now)).toBe('open');
  });
  it('is due soon within 48 hours, inclusive', () => {
    expect(dueState({ status: 'published', dueDate: at(48) }, now)).toBe('due-soon');
    expect(dueState({ status: 'published', dueDate: at(1) }, now)).toBe('due-soon');
    expect(dueState({ status: 'published', dueDate: at(0) }, now)).toBe('due-soon');
  });
  it('is late after the due date while still published', () => {
    expect(dueState({ status: 'published', dueDate: at(-0.01) }, now)).toBe('late');
  });
  it('is closed whenever the instructor closed it, even before the due date', () => {
    expect(dueState({ status: 'closed', dueDate: at(100) }, now)).toBe('closed');
  });
  it('accepts submissions only while published; lateness is a flag, not a refusal', () => {
    expect(acceptsSubmissions({ status: 'published' })).toBe(true);
    expect(acceptsSubmissions({ status: 'closed' })).toBe(false);
    expect(acceptsSubmissions({ status: 'draft' })).toBe(false);
    expect(isLateAt({ dueDate: at(-1) }, now)).toBe(true);
    expect(isLateAt({ dueDate: at(1) }, now)).toBe(false);
  });
});
