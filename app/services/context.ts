import type { Repositories, User } from '~/data/repository';
import type { AccountMailLimiter } from '~/auth/account-mail-limiter.server';
import type { LoginLimiter } from '~/auth/login-limiter.server';
import type { RealtimeBus } from '~/realtime/bus';
import type { VideoStorage } from '~/storage/storage';

/**
 * What every service function receives: the ports, never a vendor SDK. Built once per
 * process inside the Remix build (app/container.server.ts) and handed to loaders through
 * Remix's load context.
 */
export interface ServiceContext {
  repos: Repositories;
  loginLimiter: LoginLimiter;
  /** Budgets for requests that mail an address (password reset, verification resend). */
  accountMailLimiter: AccountMailLimiter;
  storage: VideoStorage;
  /** Live events to signed-in users' streams (/events); the jobs publish, streams listen. */
  bus: RealtimeBus;
  settings: {
    /** Largest accepted video in bytes. */
    uploadMaxBytes: number;
    /** Public origin of the app, for redirects S3 sends browsers back to. */
    appUrl: string;
    /** /events heartbeat interval (default 20 s; tests shorten it). */
    liveHeartbeatMs?: number;
    /**
     * Seal and open the LTI tool's private keys (lti-keys.server.ts): the first seals, every
     * one opens. From LTI_KEY_SECRET, else SESSION_SECRET. Optional only so contexts that never
     * touch LTI need not invent one; the keys service refuses to run without it.
     */
    ltiKeySecrets?: string[];
  };
  now: () => Date;
  /** Who is signed in, per credentials, for one HTTP request only (see getActor). */
  actorMemo?: Map<string, Promise<User | null>>;
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    services: ServiceContext;
    /** From Express's req.ip (honours the trust-proxy setting); never from a header we trust blindly. */
    clientIp: string;
  }
}
