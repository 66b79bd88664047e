/**
 * LMS platform registrations (docs/decisions/024-lti-advantage.md): what an admin copies from
 * the LMS's developer-key screen so ClassCast accepts its launches and calls its services.
 * Admins only (requireLtiAdmin). `platformOrigins` is what the CSP's frame-ancestors and the
 * CSRF check trust, so every write here drops this process's cached copy at once.
 */
import { z } from 'zod';
import { DataConflictError, DataNotFoundError } from '~/data/errors';
import type { LtiPlatform, LtiRepository, NewLtiPlatform, PageRequest, User } from '~/data/repository';
import { AppError, notFound } from '~/utils/errors';
import { parseInput, tooLongMessage } from '~/utils/validation';
import { requireLtiAdmin } from './access.server';
import type { ServiceContext } from './context';

type Ctx = Pick<ServiceContext, 'repos' | 'now'>;

const MAX_URL = 2048;
const MAX_DEPLOYMENTS = 50;
/** Hosts where plain http is allowed: a laptop or a test's fake platform, never the network. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const PLATFORM_TAKEN = 'This issuer and client id are registered already.';

/**
 * An LMS endpoint: https, or http on this machine only (the fake platform, a laptop LMS). A
 * registration over plain http elsewhere would let anyone on the path forge launches.
 */
function endpointUrl(label: string) {
  return z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(MAX_URL, tooLongMessage(label, MAX_URL))
    .superRefine((value, issue) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        issue.addIssue({ code: 'custom', message: `${label} must be a full URL, like https://lms.example.edu/…` });
        return;
      }
      const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      if (!secure) {
        issue.addIssue({
          code: 'custom',
          message: `${label} must start with https:// (http:// only for localhost or 127.0.0.1).`,
        });
      } else if (url.username || url.password) {
        issue.addIssue({ code: 'custom', message: `${label} must not contain a user name or password.` });
      } else if (url.hash) {
        issue.addIssue({ code: 'custom', message: `${label} must not contain a #fragment.` });
      }
    });
}

/** Deployment ids arrive as a JSON array or as a form's text (one per line, or comma-separated). */
const deploymentIdsSchema = z.preprocess(
  (value) => {
    const list = typeof value === 'string' ? value.split(/[\n,]/) : value;
    if (!Array.isArray(list)) return list;
    const ids = list.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
    return [...new Set(ids)];
  },
  z
    .array(z.string().max(255, 'Each deployment id must be at most 255 characters.'), {
      error: 'Enter at least one deployment id.',
    })
    .min(1, 'Enter at least one deployment id.')
    .max(MAX_DEPLOYMENTS, `At most ${MAX_DEPLOYMENTS} deployment ids.`),
);

export const platformSchema = z.object({
  name: z
    .string({ error: 'Name is required.' })
    .trim()
    .min(1, 'Name is required.')
    .max(120, tooLongMessage('Name', 120)),
  issuer: endpointUrl('Issuer'),
  clientId: z
    .string({ error: 'Client id is required.' })
    .trim()
    .min(1, 'Client id is required.')
    .max(255, tooLongMessage('Client id', 255)),
  deploymentIds: deploymentIdsSchema,
  authUrl: endpointUrl('Authorization URL'),
  tokenUrl: endpointUrl('Token URL'),
  jwksUrl: endpointUrl('Keyset (JWKS) URL'),
});

const platformPatchSchema = platformSchema.partial();

/** What the admin pages and the API show of a registration: all of it (nothing in it is secret). */
export type PlatformView = LtiPlatform;

/** The field a clash is reported at: the pair (issuer, client id) is what must be unique. */
function conflictError(): AppError {
  return new AppError('CONFLICT', PLATFORM_TAKEN, { fields: { clientId: [PLATFORM_TAKEN] } });
}

export async function listPlatforms(
  ctx: Ctx,
  actor: User | null,
  page: PageRequest = {},
): Promise<{ platforms: PlatformView[]; nextCursor: string | null }> {
  requireLtiAdmin(actor);
  const result = await ctx.repos.lti.listPlatforms(page);
  return { platforms: result.items, nextCursor: result.nextCursor };
}

export async function getPlatform(ctx: Ctx, actor: User | null, id: string): Promise<PlatformView> {
  requireLtiAdmin(actor);
  const platform = id ? await ctx.repos.lti.getPlatform(id) : null;
  if (!platform) throw notFound('LMS registration');
  return platform;
}

export async function createPlatform(ctx: Ctx, actor: User | null, input: unknown): Promise<PlatformView> {
  requireLtiAdmin(actor);
  const data: NewLtiPlatform = parseInput(platformSchema, input);
  try {
    return await ctx.repos.lti.createPlatform(data);
  } catch (error) {
    if (error instanceof DataConflictError) throw conflictError();
    throw error;
  } finally {
    forgetOrigins(ctx.repos.lti);
  }
}

export async function updatePlatform(ctx: Ctx, actor: User | null, id: string, input: unknown): Promise<PlatformView> {
  await getPlatform(ctx, actor, id);
  const patch = parseInput(platformPatchSchema, input);
  try {
    return await ctx.repos.lti.updatePlatform(id, patch);
  } catch (error) {
    if (error instanceof DataConflictError) throw conflictError();
    if (error instanceof DataNotFoundError) throw notFound('LMS registration');
    throw error;
  } finally {
    forgetOrigins(ctx.repos.lti);
  }
}

/** Removes the registration: its LMS can no longer launch or frame ClassCast. Courses and grades stay. */
export async function deletePlatform(ctx: Ctx, actor: User | null, id: string): Promise<PlatformView> {
  const platform = await getPlatform(ctx, actor, id);
  try {
    await ctx.repos.lti.deletePlatform(id);
  } finally {
    forgetOrigins(ctx.repos.lti);
  }
  return platform;
}

// --- Origins for the CSP (frame-ancestors) and the CSRF check ------------------------------

/**
 * How long another process may go on trusting a deleted registration's origin (or not yet
 * trusting a new one). Every request reads the origins, so they are not read from the
 * database each time; writes in this process drop the copy at once.
 */
export const PLATFORM_ORIGINS_TTL_MS = 5_000;

interface OriginsEntry {
  origins: Promise<string[]>;
  expiresAt: number;
}

/**
 * Keyed by the LTI repository, not the context: each request's context wraps `repos` anew,
 * but the adapter underneath is the process's one. A rebuilt bundle brings a new adapter.
 */
const originsCache = new WeakMap<LtiRepository, OriginsEntry>();

function forgetOrigins(lti: LtiRepository): void {
  originsCache.delete(lti);
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

async function readOrigins(lti: LtiRepository): Promise<string[]> {
  const origins = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await lti.listPlatforms({ limit: 100, cursor });
    for (const platform of page.items) {
      for (const url of [platform.issuer, platform.authUrl]) {
        const origin = originOf(url);
        if (origin) origins.add(origin);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return [...origins].sort();
}

/**
 * The distinct origins (scheme://host[:port]) of every registration's issuer and OIDC auth
 * URL: the LMS pages that frame ClassCast and post launches to it. No actor: the server's
 * security headers and CSRF check ask, not a person.
 */
export async function platformOrigins(ctx: Pick<ServiceContext, 'repos' | 'now'>): Promise<string[]> {
  const lti = ctx.repos.lti;
  const now = ctx.now().getTime();
  const cached = originsCache.get(lti);
  if (cached && cached.expiresAt > now) return cached.origins;
  const entry: OriginsEntry = { origins: readOrigins(lti), expiresAt: now + PLATFORM_ORIGINS_TTL_MS };
  originsCache.set(lti, entry);
  // A failed read is not remembered: the next request tries again.
  entry.origins.catch(() => {
    if (originsCache.get(lti) === entry) originsCache.delete(lti);
  });
  return entry.origins;
}
