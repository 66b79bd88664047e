/**
 * The deep-linking settings of a verified LtiDeepLinkingRequest, carried from /lti/launch to
 * the /lti/deep-link picker as a short-lived HS256 token (docs/decisions/024-lti-advantage.md).
 * The picker never trusts a return URL or `data` it reads from a form or a query string: only
 * what this module signed after the id_token was verified, for that one user.
 */
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { config } from '~/config.server';

/** Long enough to create an assignment in the picker; the LMS's own dialog rarely lasts longer. */
export const DEEP_LINK_HANDOFF_TTL_SECONDS = 60 * 60;
const AUDIENCE = 'classcast:lti-deep-link';

export interface DeepLinkHandoff {
  /** Who may answer: the instructor the launch signed in. */
  userId: string;
  platformId: string;
  deploymentId: string;
  courseId: string;
  returnUrl: string;
  /** The platform's opaque `data`, echoed unchanged in the response. */
  data: string | null;
  acceptMultiple: boolean;
}

const handoffSchema = z.object({
  sub: z.string().min(1),
  platformId: z.string().min(1),
  deploymentId: z.string().min(1),
  courseId: z.string().min(1),
  returnUrl: z.string().url(),
  data: z.string().nullable(),
  acceptMultiple: z.boolean(),
});

function key(): Uint8Array {
  // Its own audience keeps it from ever passing for an API access token signed with the same kind of key.
  const secret = config().SESSION_SECRET.split(',')[0]?.trim() ?? '';
  return new TextEncoder().encode(`lti-deep-link:${secret}`);
}

export async function signDeepLinkHandoff(handoff: DeepLinkHandoff, now: Date): Promise<string> {
  const { userId, ...rest } = handoff;
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + DEEP_LINK_HANDOFF_TTL_SECONDS)
    .sign(key());
}

/** The settings, or null when the token is missing, forged, expired or malformed. */
export async function readDeepLinkHandoff(
  token: string | null | undefined,
  now: Date,
): Promise<DeepLinkHandoff | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key(), {
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    const parsed = handoffSchema.safeParse(payload);
    if (!parsed.success) return null;
    const { sub, ...rest } = parsed.data;
    return { userId: sub, ...rest };
  } catch {
    return null;
  }
}
