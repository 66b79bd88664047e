/**
 * The tool's own RSA signing keys (LTI Security Framework §6): they sign our client
 * assertions (AGS/NRPS tokens) and deep-linking responses, and /lti/jwks publishes their
 * public halves. Private keys are stored sealed (AES-256-GCM, app/auth/lti/keys.ts) with
 * settings.ltiKeySecrets. Which key is published and which signs is decided from the stamps
 * alone (publishedKeys / signingKeyOf), so every process agrees without talking to the others.
 */
import { createHash } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import type { SigningKey } from '~/auth/lti/deep-linking';
import { LtiError } from '~/auth/lti/errors';
import {
  KEY_PUBLISH_LEAD_MS,
  TOKEN_MAX_LIFETIME_MS,
  TOOL_KEY_ALG,
  generateToolKeyPair,
  publishedKeys,
  sealPrivateKey,
  signingKeyOf,
  unsealPrivateKey,
} from '~/auth/lti/keys';
import { DataConflictError, DataNotFoundError } from '~/data/errors';
import type { LtiToolKey, User } from '~/data/repository';
import { logError, logInfo } from '~/utils/log.server';
import { requireLtiAdmin } from './access.server';
import type { ServiceContext } from './context';

type Ctx = Pick<ServiceContext, 'repos' | 'now' | 'settings'>;

/** A conflict means another process wrote the key we meant to: read again, a few times at most. */
const MAX_KEY_RACES = 3;

function secretsOf(ctx: Ctx): string[] {
  const secrets = ctx.settings.ltiKeySecrets ?? [];
  if (!secrets.length) throw new Error('settings.ltiKeySecrets is empty: LTI tool keys cannot be sealed.');
  return secrets;
}

/** Racing processes agree on a kid within this window (a race across its edge makes two valid keys, no error). */
const KID_WINDOW_MS = 60_000;

/**
 * The kid of the key a process adds after seeing `seen` at `now`: derived from what it saw,
 * so two processes that race to create the first key (or to rotate the same one) pick the
 * same kid, and the adapter's conditional write lets exactly one of them in. The time window
 * keeps a later first key (after the keys were wiped) from reusing a kid that platforms may
 * still have cached with other key material.
 */
function kidAfter(seen: LtiToolKey[], purpose: 'first' | 'rotate' | 'replace', now: Date): string {
  const hash = createHash('sha256');
  hash.update(`classcast-lti-key\n${purpose}\n${Math.floor(now.getTime() / KID_WINDOW_MS)}\n`);
  for (const kid of seen.map((k) => k.kid).sort()) hash.update(`${kid}\n`);
  return hash.digest('base64url').slice(0, 32);
}

async function newKey(ctx: Ctx, kid: string, signsFrom: Date): Promise<LtiToolKey> {
  const pair = await generateToolKeyPair();
  const meta = { kid, alg: TOOL_KEY_ALG, use: 'sig' };
  return {
    kid,
    publicJwk: JSON.stringify({ ...pair.publicJwk, ...meta }),
    sealedPrivateKey: sealPrivateKey({ ...pair.privateJwk, ...meta }, secretsOf(ctx)[0]),
    signsFrom: signsFrom.toISOString(),
    retiresAt: null,
    createdAt: ctx.now().toISOString(),
  };
}

/** Adds the key; false when another process added that kid first (the caller reads again). */
async function addKeyOnce(ctx: Ctx, key: LtiToolKey): Promise<boolean> {
  try {
    await ctx.repos.lti.addKey(key);
    logInfo('lti tool key added', { kid: key.kid, signsFrom: key.signsFrom });
    return true;
  } catch (error) {
    if (error instanceof DataConflictError) return false;
    throw error;
  }
}

/**
 * Unsealed keys, by kid, sealed text and the secrets that opened them: importing an RSA key on
 * every signature is wasted work, and a changed secret list must be tried afresh.
 */
const opened = new Map<string, Promise<CryptoKey>>();

async function openKey(ctx: Ctx, key: LtiToolKey): Promise<CryptoKey> {
  const secrets = createHash('sha256').update(secretsOf(ctx).join('\n')).digest('base64url');
  const cacheKey = `${key.kid}\n${key.sealedPrivateKey}\n${secrets}`;
  let pending = opened.get(cacheKey);
  if (!pending) {
    pending = (async () => {
      const jwk: JWK = unsealPrivateKey(key.sealedPrivateKey, secretsOf(ctx));
      const imported = await importJWK(jwk, TOOL_KEY_ALG);
      if (!(imported instanceof CryptoKey)) throw new LtiError('SEALED_KEY_UNREADABLE', 'not an RSA private key');
      return imported;
    })();
    opened.set(cacheKey, pending);
    pending.catch(() => opened.delete(cacheKey));
  }
  return pending;
}

/**
 * The key that signs now, created on first use. When the signing key cannot be opened with
 * any configured secret (LTI_KEY_SECRET replaced without keeping the old one; in development
 * without SESSION_SECRET, after every restart), a new key takes over at once and the lost one
 * is retired at once: platforms fetch our JWKS again when they meet an unknown kid, so launches and
 * grades keep working, where refusing would stop every LMS call until an operator stepped in.
 */
export async function currentSigningKey(ctx: Ctx): Promise<SigningKey> {
  for (let race = 0; ; race++) {
    const keys = await ctx.repos.lti.listKeys();
    const now = ctx.now();
    const signing = signingKeyOf(keys, now);
    if (signing) {
      try {
        return { kid: signing.kid, privateKey: await openKey(ctx, signing) };
      } catch (error) {
        if (!(error instanceof LtiError) || error.code !== 'SEALED_KEY_UNREADABLE' || race >= MAX_KEY_RACES) {
          throw error;
        }
        logError('lti signing key unreadable with the configured secrets; replacing it', error);
        // Retired at once: nobody here can sign with it, and a key left published would keep winning.
        const replacement = await newKey(ctx, kidAfter(keys, 'replace', now), now);
        if (await addKeyOnce(ctx, replacement)) await retire(ctx, signing.kid, now.getTime());
        continue;
      }
    }
    if (race >= MAX_KEY_RACES)
      throw new Error('Could not create the first LTI signing key (repeated write conflicts).');
    // None signs yet: the very first key signs at once (no platform can have cached our JWKS).
    await addKeyOnce(ctx, await newKey(ctx, kidAfter(keys, 'first', now), now));
  }
}

async function retire(ctx: Ctx, kid: string, at: number): Promise<void> {
  try {
    await ctx.repos.lti.setKeyRetiresAt(kid, new Date(at).toISOString());
  } catch (error) {
    // Another process's clean-up deleted it already: nothing left to retire.
    if (!(error instanceof DataNotFoundError)) throw error;
  }
}

/** The public keys platforms verify our signatures with (kid, alg, use on each). Never empty. */
export async function publishedJwks(ctx: Ctx): Promise<{ keys: JWK[] }> {
  let published = publishedKeys(await ctx.repos.lti.listKeys(), ctx.now());
  if (!published.length) {
    // A platform may fetch the JWKS before we ever signed: make the key it will see.
    await currentSigningKey(ctx);
    published = publishedKeys(await ctx.repos.lti.listKeys(), ctx.now());
  }
  return {
    keys: published.map((key) => ({
      ...(JSON.parse(key.publicJwk) as JWK),
      kid: key.kid,
      alg: TOOL_KEY_ALG,
      use: 'sig',
    })),
  };
}

export interface KeyRotation {
  /** The key that will sign, and from when (already published). */
  next: { kid: string; signsFrom: string };
  /** Keys that stay published until their last tokens have expired. */
  retiring: Array<{ kid: string; retiresAt: string }>;
  /** Keys whose retirement has passed, removed now. */
  deleted: string[];
  /** True when a rotation was already waiting for its key to start signing (nothing added). */
  alreadyScheduled: boolean;
}

/**
 * Rotation: a new key is published now and signs from now + KEY_PUBLISH_LEAD_MS (platforms
 * that cache our JWKS learn it before its first token); the key signing now retires once the
 * last token it can sign has expired (the new key's start + TOKEN_MAX_LIFETIME_MS). Keys past
 * their retirement are deleted. A rotation already waiting is not doubled.
 */
export async function rotateKeys(ctx: Ctx): Promise<KeyRotation> {
  for (let race = 0; ; race++) {
    const keys = await ctx.repos.lti.listKeys();
    const now = ctx.now();
    const t = now.getTime();
    const live = publishedKeys(keys, now);
    const waiting = live.find((k) => Date.parse(k.signsFrom) > t && k.retiresAt === null);
    if (!signingKeyOf(keys, now) && !waiting) {
      // Nothing signs yet: the first key is the rotation.
      const first = await currentSigningKey(ctx);
      const created = (await ctx.repos.lti.listKeys()).find((k) => k.kid === first.kid);
      return {
        next: { kid: first.kid, signsFrom: created?.signsFrom ?? now.toISOString() },
        retiring: [],
        deleted: await deleteRetired(ctx, keys, t),
        alreadyScheduled: false,
      };
    }
    let next = waiting;
    if (!next) {
      const candidate = await newKey(ctx, kidAfter(keys, 'rotate', now), new Date(t + KEY_PUBLISH_LEAD_MS));
      if (!(await addKeyOnce(ctx, candidate))) {
        if (race >= MAX_KEY_RACES) throw new Error('Could not rotate the LTI signing key (repeated write conflicts).');
        continue;
      }
      next = candidate;
    }
    const retiresAt = Date.parse(next.signsFrom) + TOKEN_MAX_LIFETIME_MS;
    const retiring: KeyRotation['retiring'] = [];
    for (const key of live) {
      if (key.kid === next.kid) continue;
      const at = key.retiresAt === null ? retiresAt : Math.min(Date.parse(key.retiresAt), retiresAt);
      if (key.retiresAt === null || Date.parse(key.retiresAt) > at) await retire(ctx, key.kid, at);
      retiring.push({ kid: key.kid, retiresAt: new Date(at).toISOString() });
    }
    return {
      next: { kid: next.kid, signsFrom: next.signsFrom },
      retiring,
      deleted: await deleteRetired(ctx, keys, t),
      alreadyScheduled: Boolean(waiting),
    };
  }
}

async function deleteRetired(ctx: Ctx, keys: LtiToolKey[], t: number): Promise<string[]> {
  const gone = keys.filter((k) => k.retiresAt !== null && Date.parse(k.retiresAt) <= t).map((k) => k.kid);
  for (const kid of gone) await ctx.repos.lti.deleteKey(kid);
  return gone;
}

/** The admin page's "Rotate signing key": admins only. */
export async function rotateKeysAsAdmin(ctx: Ctx, actor: User | null): Promise<KeyRotation> {
  requireLtiAdmin(actor);
  return rotateKeys(ctx);
}

/** What the admin page shows of the keys: kids and stamps, never key material. */
export interface ToolKeyView {
  kid: string;
  state: 'signing' | 'next' | 'retiring';
  signsFrom: string;
  retiresAt: string | null;
  createdAt: string;
}

export async function listToolKeys(ctx: Ctx, actor: User | null): Promise<ToolKeyView[]> {
  requireLtiAdmin(actor);
  const keys = await ctx.repos.lti.listKeys();
  const now = ctx.now();
  const signing = signingKeyOf(keys, now);
  return publishedKeys(keys, now).map((key) => ({
    kid: key.kid,
    state: key.kid === signing?.kid ? 'signing' : Date.parse(key.signsFrom) > now.getTime() ? 'next' : 'retiring',
    signsFrom: key.signsFrom,
    retiresAt: key.retiresAt,
    createdAt: key.createdAt,
  }));
}
