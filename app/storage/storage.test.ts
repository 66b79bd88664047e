import { describe, expect, it } from 'vitest';
import { isStorageError, planMultipartParts, S3_LIMITS, StorageError } from './storage';

const MiB = 1024 * 1024;

describe('planMultipartParts', () => {
  it('uses the preferred part size when it fits in 10 000 parts', () => {
    expect(planMultipartParts(1024 * MiB)).toEqual({ partBytes: 16 * MiB, partCount: 64 });
    expect(planMultipartParts(1)).toEqual({ partBytes: 16 * MiB, partCount: 1 });
    expect(planMultipartParts(16 * MiB + 1)).toEqual({ partBytes: 16 * MiB, partCount: 2 });
  });

  it('never goes below the 5 MiB S3 minimum', () => {
    expect(planMultipartParts(100 * MiB, 1 * MiB)).toEqual({ partBytes: 5 * MiB, partCount: 20 });
  });

  it('grows parts so that huge files stay within 10 000 parts', () => {
    const total = 200 * 1024 * MiB; // 200 GiB
    const plan = planMultipartParts(total);
    expect(plan.partCount).toBeLessThanOrEqual(S3_LIMITS.maxParts);
    expect(plan.partBytes % MiB).toBe(0);
    expect(plan.partBytes * plan.partCount).toBeGreaterThanOrEqual(total);
  });

  it('refuses sizes S3 cannot store', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, S3_LIMITS.maxObjectBytes + 1]) {
      expect(() => planMultipartParts(bad)).toThrow(StorageError);
    }
  });
});

describe('StorageError', () => {
  it('is recognisable by code without an SDK', () => {
    const err = new StorageError('NoSuchUpload', 'gone');
    expect(isStorageError(err)).toBe(true);
    expect(isStorageError(err, 'NoSuchUpload')).toBe(true);
    expect(isStorageError(err, 'NotFound')).toBe(false);
    expect(isStorageError(new Error('x'))).toBe(false);
  });
});
