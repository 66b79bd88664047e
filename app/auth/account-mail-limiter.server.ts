import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rateLimited } from './login-limiter.server';

/**
 * Budgets for requests that send a mail to an address (password reset, verification resend):
 * per address, so nobody can flood one inbox, and per IP, so nobody can probe many addresses.
 * Both count whether or not the address has an account, so the answer never tells which.
 * In-memory per process, like the login limiter (login-limiter.server.ts).
 */
export interface AccountMailLimiter {
  /** Throws RATE_LIMITED when the IP or the address is over its budget. */
  consume(ip: string, address: string): Promise<void>;
}

export function createAccountMailLimiter(
  opts: { perAddressPerHour?: number; perIpPerHour?: number } = {},
): AccountMailLimiter {
  const perAddress = new RateLimiterMemory({
    keyPrefix: 'mail-address',
    points: opts.perAddressPerHour ?? 5,
    duration: 3600,
  });
  const perIp = new RateLimiterMemory({ keyPrefix: 'mail-ip', points: opts.perIpPerHour ?? 30, duration: 3600 });

  const limited = (res: unknown) =>
    rateLimited(res, 'Too many requests for this address. Please wait and try again later.', 3600);

  return {
    async consume(ip, address) {
      await perIp.consume(ip).catch(limited);
      await perAddress.consume(address.trim().toLowerCase()).catch(limited);
    },
  };
}
