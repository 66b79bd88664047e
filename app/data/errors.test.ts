import { describe, expect, it, vi } from 'vitest';
import { DataConflictError, DataNotFoundError, InvalidCursorError } from './errors';

describe('data errors', () => {
  it('are recognised by instanceof, also when made by another copy of the module', async () => {
    const conflict = new DataConflictError('email');
    expect(conflict).toBeInstanceOf(DataConflictError);
    expect(conflict).toBeInstanceOf(Error);
    expect(conflict).not.toBeInstanceOf(DataNotFoundError);
    // A second, independent copy of the module (as the Remix build has).
    vi.resetModules();
    const copy = await import('./errors');
    expect(copy.DataConflictError).not.toBe(DataConflictError);
    expect(new copy.DataConflictError('email')).toBeInstanceOf(DataConflictError);
    expect(conflict).toBeInstanceOf(copy.DataConflictError);
    expect(new copy.InvalidCursorError()).toBeInstanceOf(InvalidCursorError);
    expect(new copy.InvalidCursorError()).not.toBeInstanceOf(DataConflictError);
    expect({ name: 'DataConflictError' }).not.toBeInstanceOf(DataConflictError);
  });
});
