/**
 * One-click unsubscribe (RFC 8058): the signed token in a mail's link names the user and the
 * preference, and is the whole authority — the POST comes from the page or straight from a
 * mail client, without any cookie. A bad, tampered or expired token is a 400 with a clear
 * message; an account that is gone has nothing to turn off (the same message, no detail).
 */
import type { MailPreferences } from '~/data/repository';
import { PREFERENCE_LABELS, type UnsubscribePreference } from '~/mail/templates';
import { readUnsubscribeToken } from '~/mail/unsubscribe-tokens.server';
import { AppError } from '~/utils/errors';
import type { ServiceContext } from './context';

type Ctx = Pick<ServiceContext, 'repos' | 'now'>;

export interface UnsubscribeView {
  preference: UnsubscribePreference;
  /** What stops, in words: "mails about your grades". */
  label: string;
  /** Whether it is off already (a second click, or turned off in settings). */
  alreadyOff: boolean;
}

const invalidLink = () =>
  new AppError(
    'VALIDATION_ERROR',
    'This unsubscribe link is not valid or has expired. You can change which mails you get in your settings.',
  );

async function resolve(ctx: Ctx, token: unknown) {
  const claims = typeof token === 'string' ? await readUnsubscribeToken(token, ctx.now()) : null;
  if (!claims) throw invalidLink();
  const user = await ctx.repos.users.getById(claims.userId);
  if (!user) throw invalidLink();
  return { user, preference: claims.preference };
}

/** What the link would turn off (the GET page). */
export async function describeUnsubscribe(ctx: Ctx, token: unknown): Promise<UnsubscribeView> {
  const { user, preference } = await resolve(ctx, token);
  return { preference, label: PREFERENCE_LABELS[preference], alreadyOff: !user.mailPreferences[preference] };
}

/** Turns the link's preference off (idempotent). */
export async function unsubscribe(ctx: Ctx, token: unknown): Promise<UnsubscribeView> {
  const { user, preference } = await resolve(ctx, token);
  if (user.mailPreferences[preference]) {
    const mailPreferences: MailPreferences = { ...user.mailPreferences, [preference]: false };
    await ctx.repos.users.update(user.id, { mailPreferences });
  }
  return { preference, label: PREFERENCE_LABELS[preference], alreadyOff: true };
}
