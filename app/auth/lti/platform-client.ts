/**
 * Calls from the tool to the platform's LTI Advantage services: an OAuth 2.0
 * client-credentials token with a signed client assertion (Security Framework §4.1, RFC 7523),
 * AGS score publishing (AGS 2.0 §3.4) and NRPS roster reads (NRPS 2.0 §2). Every failure is an
 * LtiError: PLATFORM_REJECTED when the platform answered 4xx (retrying will not help until
 * something changes), PLATFORM_UNAVAILABLE for 5xx, network errors and timeouts (retry).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { LtiPlatform } from '~/data/repository';
import { CANVAS_SUBMISSION_EXTENSION } from './claims';
import type { SigningKey } from './deep-linking';
import { LtiError } from './errors';
import { TOKEN_MAX_LIFETIME_MS, TOOL_KEY_ALG } from './keys';
import { AGS_SCOPE_SCORE, MEDIA_TYPE_MEMBERSHIPS, MEDIA_TYPE_SCORE, NRPS_SCOPE_MEMBERSHIPS } from './scopes';

export type PlatformRef = Pick<LtiPlatform, 'id' | 'clientId' | 'tokenUrl'>;

export interface AgsScore {
  /** The platform's `sub` of the student. */
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  /** ISO 8601 with sub-second precision: the platform ignores a score older than the last one. */
  timestamp: string;
  comment?: string;
  submission?: { submittedAt: string };
}

export interface NrpsMember {
  userId: string;
  roles: string[];
  status: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

export interface PlatformClient {
  accessToken(platform: PlatformRef, scopes: string[], signingKey: SigningKey): Promise<string>;
  postScore(platform: PlatformRef, lineItemUrl: string, score: AgsScore, signingKey: SigningKey): Promise<void>;
  listMembers(platform: PlatformRef, membershipsUrl: string, signingKey: SigningKey): Promise<NrpsMember[]>;
}

/** A token is reused until this long before the platform said it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** A roster of more pages than this is a platform looping its `next` links. */
const MAX_MEMBERSHIP_PAGES = 500;

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

const membershipContainer = z.object({
  members: z.array(
    z.object({
      user_id: z.string().min(1),
      roles: z.array(z.string()).default([]),
      status: z.enum(['Active', 'Inactive', 'Deleted']).default('Active'),
      name: z.string().nullish(),
      given_name: z.string().nullish(),
      family_name: z.string().nullish(),
      email: z.string().nullish(),
    }),
  ),
});

export function createPlatformClient(opts: {
  fetch?: typeof fetch;
  now: () => Date;
  timeoutMs?: number;
}): PlatformClient {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  /** platform + client + scopes → the token, or the request for it still in flight (one per key). */
  const tokens = new Map<string, Promise<{ token: string; refreshAt: number }>>();

  async function request(what: string, url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String(error);
      throw new LtiError('PLATFORM_UNAVAILABLE', `${what}: ${reason}`, { cause: error });
    }
    if (response.ok) return response;
    const body = (await response.text().catch(() => '')).slice(0, 500);
    const detail = `${what}: HTTP ${response.status} ${body}`.trim();
    if (response.status >= 500 || response.status === 429) throw new LtiError('PLATFORM_UNAVAILABLE', detail);
    throw new LtiError('PLATFORM_REJECTED', detail);
  }

  async function fetchToken(platform: PlatformRef, scopes: string[], signingKey: SigningKey) {
    const now = opts.now();
    const iat = Math.floor(now.getTime() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: TOOL_KEY_ALG, kid: signingKey.kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_MAX_LIFETIME_MS / 1000)
      .sign(signingKey.privateKey);
    const response = await request('token request', platform.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: scopes.join(' '),
      }).toString(),
    });
    const parsed = tokenResponse.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new LtiError('PLATFORM_REJECTED', 'token request: the answer has no access_token');
    // No expires_in: assume the common hour, minus the margin like any other.
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    return { token: parsed.data.access_token, refreshAt: now.getTime() + lifetimeMs - TOKEN_REFRESH_MARGIN_MS };
  }

  function tokenKey(platform: PlatformRef, scopes: string[]): string {
    return JSON.stringify([platform.id, platform.clientId, platform.tokenUrl, [...new Set(scopes)].sort()]);
  }

  async function accessToken(platform: PlatformRef, scopes: string[], signingKey: SigningKey): Promise<string> {
    const key = tokenKey(platform, scopes);
    const cached = tokens.get(key);
    if (cached) {
      try {
        const entry = await cached;
        if (entry.refreshAt > opts.now().getTime()) return entry.token;
      } catch {
        // The shared request failed; whoever asks next starts a new one.
      }
      if (tokens.get(key) === cached) tokens.delete(key);
    }
    // Re-check: a concurrent caller may have started the new request already.
    const inFlight = tokens.get(key);
    if (inFlight) return (await inFlight).token;
    const pending = fetchToken(platform, scopes, signingKey);
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return (await pending).token;
  }

  /** A service call with a bearer token; a 401 means the platform dropped the token early: one fresh try. */
  async function authorized(
    what: string,
    platform: PlatformRef,
    scopes: string[],
    signingKey: SigningKey,
    url: string,
    init: RequestInit & { headers: Record<string, string> },
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await accessToken(platform, scopes, signingKey);
      try {
        return await request(what, url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
      } catch (error) {
        if (attempt > 0 || !(error instanceof LtiError) || !/HTTP 401\b/.test(error.detail ?? '')) throw error;
        tokens.delete(tokenKey(platform, scopes));
      }
    }
  }

  async function postScore(platform: PlatformRef, lineItemUrl: string, score: AgsScore, signingKey: SigningKey) {
    const body: Record<string, unknown> = {
      userId: score.userId,
      scoreGiven: score.scoreGiven,
      scoreMaximum: score.scoreMaximum,
      activityProgress: score.activityProgress,
      gradingProgress: score.gradingProgress,
      timestamp: score.timestamp,
      ...(score.comment ? { comment: score.comment } : {}),
    };
    if (score.submission) {
      body.submission = { submittedAt: score.submission.submittedAt };
      // Canvas shows the work in SpeedGrader only with its own extension.
      body[CANVAS_SUBMISSION_EXTENSION] = { new_submission: true, submitted_at: score.submission.submittedAt };
    }
    await authorized('score', platform, [AGS_SCOPE_SCORE], signingKey, scoresUrl(lineItemUrl), {
      method: 'POST',
      headers: { 'content-type': MEDIA_TYPE_SCORE },
      body: JSON.stringify(body),
    });
  }

  async function listMembers(platform: PlatformRef, membershipsUrl: string, signingKey: SigningKey) {
    const members: NrpsMember[] = [];
    let next: string | null = membershipsUrl;
    for (let page = 0; next; page++) {
      if (page >= MAX_MEMBERSHIP_PAGES) throw new LtiError('PLATFORM_REJECTED', 'memberships: too many pages');
      const response = await authorized('memberships', platform, [NRPS_SCOPE_MEMBERSHIPS], signingKey, next, {
        method: 'GET',
        headers: { accept: MEDIA_TYPE_MEMBERSHIPS },
      });
      const parsed = membershipContainer.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new LtiError('PLATFORM_REJECTED', 'memberships: not a membership container');
      for (const m of parsed.data.members) {
        members.push({
          userId: m.user_id,
          roles: m.roles,
          status: m.status,
          ...(m.name ? { name: m.name } : {}),
          ...(m.given_name ? { givenName: m.given_name } : {}),
          ...(m.family_name ? { familyName: m.family_name } : {}),
          ...(m.email ? { email: m.email } : {}),
        });
      }
      next = nextLink(response.headers.get('link'), next);
    }
    return members;
  }

  return { accessToken, postScore, listMembers };
}

/** `<lineitem>/scores`, keeping the line item URL's query (Moodle puts the type id there). */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
  return url.toString();
}

/** The `rel="next"` target of an RFC 8288 Link header, resolved against the page's URL. */
export function nextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(match[2]);
    const rel = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('next')) return new URL(match[1], base).toString();
  }
  return null;
}
