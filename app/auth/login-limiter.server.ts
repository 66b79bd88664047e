import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '~/utils/errors';

/**
 * Login throttling: every attempt counts against the caller's IP; failed attempts also
 * count against the account, so one account cannot be brute-forced from many IPs.
 * In-memory: per process, which is what a single app server needs; a fleet would swap in
 * rate-limiter-flexible's Postgres/DynamoDB stores behind the same two calls.
 */
export interface LoginLimiter {
  /** Throws RATE_LIMITED when the IP or the account is over its budget. */
  beforeAttempt(ip: string, email: string): Promise<void>;
  recordFailure(email: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

/** A refused consume → RATE_LIMITED with the limiter's own wait (or `fallbackSeconds`). */
export function rateLimited(res: unknown, message: string, fallbackSeconds: number): never {
  const seconds = res instanceof RateLimiterRes ? Math.ceil(res.msBeforeNext / 1000) : fallbackSeconds;
  throw new AppError('RATE_LIMITED', message, { retryAfterSeconds: seconds });
}

export function createLoginLimiter(opts: { perIpPerMinute: number; failuresPerAccount?: number }): LoginLimiter {
  const perIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points: opts.perIpPerMinute, duration: 60 });
  const perAccount = new RateLimiterMemory({
    keyPrefix: 'login-account',
    points: opts.failuresPerAccount ?? 10,
    duration: 15 * 60,
  });

  const limited = (res: unknown) => rateLimited(res, 'Too many sign-in attempts. Please wait and try again.', 60);

  return {
    async beforeAttempt(ip, email) {
      await perIp.consume(ip).catch(limited);
      const account = await perAccount.get(email);
      if (account && account.remainingPoints <= 0) limited(account);
    },
    async recordFailure(email) {
      await perAccount.penalty(email, 1);
    },
    async recordSuccess(email) {
      await perAccount.delete(email);
    },
  };
}
