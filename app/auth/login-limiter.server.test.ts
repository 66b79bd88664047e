import { describe, expect, it } from 'vitest';
import { AppError } from '~/utils/errors';
import { createLoginLimiter } from './login-limiter.server';

describe('login limiter', () => {
  it('limits attempts per IP', async () => {
    const limiter = createLoginLimiter({ perIpPerMinute: 3 });
    for (let i = 0; i < 3; i++) await limiter.beforeAttempt('1.1.1.1', `u${i}@x.test`);
    await expect(limiter.beforeAttempt('1.1.1.1', 'u9@x.test')).rejects.toMatchObject({ status: 429 });
    await expect(limiter.beforeAttempt('2.2.2.2', 'u9@x.test')).resolves.toBeUndefined();
  });

  it('locks an account after repeated failures from any IP, and success resets it', async () => {
    const limiter = createLoginLimiter({ perIpPerMinute: 1000, failuresPerAccount: 3 });
    for (let i = 0; i < 3; i++) {
      await limiter.beforeAttempt(`10.0.0.${i}`, 'victim@x.test');
      await limiter.recordFailure('victim@x.test');
    }
    const error = await limiter.beforeAttempt('10.0.0.9', 'victim@x.test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details?.retryAfterSeconds).toBeGreaterThan(0);
    await limiter.recordSuccess('victim@x.test');
    await expect(limiter.beforeAttempt('10.0.0.9', 'victim@x.test')).resolves.toBeUndefined();
  });
});
