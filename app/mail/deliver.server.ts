/**
 * The mail job's work for one 'mail' outbox entry: read the rows the event names as they are
 * NOW, decide whether the mail still goes out, build it from the template module and hand it
 * to the transport. A transport failure throws, so the runner retries the entry with backoff
 * (the user action that queued it has long succeeded); everything else that means "no mail"
 * resolves, and the entry is done.
 *
 * Rules (issue 16): a disabled user gets nothing; an unverified user only verification mail;
 * a used or expired token no mail; preferences are read at send time. The Message-ID is the
 * entry's, so a retry of a send the server took after all is recognisably the same mail.
 */
import type { AccountToken, MailEvent, Notification, Repositories, User } from '~/data/repository';
import { ACCOUNT_TOKEN_LIFETIME_MS, accountTokenUrl } from '~/services/account-tokens.server';
import { belongsInDigest, immediatePreference, receivesMail } from './mail-rules';
import { mailNotification, renderMail, type MailContent, type RenderedMail, type Unsubscribe } from './templates';
import type { MailTransport } from './transport.server';
import { createUnsubscribeToken, unsubscribeUrl } from './unsubscribe-tokens.server';

export interface MailDeliveryDeps {
  repos: Pick<Repositories, 'users' | 'accountTokens' | 'notifications'>;
  transport: MailTransport;
  appUrl: string;
  now: () => Date;
}

export type DeliveryOutcome = { sent: true; to: string } | { sent: false; reason: string };

interface Prepared {
  to: string;
  content: MailContent;
  unsubscribe?: Unsubscribe;
}

const skip = (reason: string): { skip: string } => ({ skip: reason });

/** `<entry id>.mail@<app host>`: one per outbox entry, the same on every retry. */
export function mailMessageId(entryId: string, appUrl: string): string {
  const host = new URL(appUrl).hostname || 'classcast.invalid';
  return `<${entryId.replace(/[^A-Za-z0-9._-]/g, '')}.mail@${host}>`;
}

function usableToken(token: AccountToken | null, user: User, now: Date): token is AccountToken {
  return (
    token !== null && token.userId === user.id && token.usedAt === null && Date.parse(token.expiresAt) > now.getTime()
  );
}

async function unsubscribeFor(deps: MailDeliveryDeps, user: User, preference: Unsubscribe['preference']) {
  const token = await createUnsubscribeToken({ userId: user.id, preference }, deps.now());
  return { preference, url: unsubscribeUrl(deps.appUrl, token) };
}

/** The day's notifications (UTC) that the digest stands for, oldest first. */
async function digestNotifications(deps: MailDeliveryDeps, user: User, day: string): Promise<Notification[]> {
  const found: Notification[] = [];
  let cursor: string | null = null;
  // Newest first: pages go back in time until they leave the day (bounded, a day is finite).
  for (let pages = 0; pages < 50; pages += 1) {
    const page = await deps.repos.notifications.listByRecipient(user.id, { limit: 100, cursor });
    for (const n of page.items) {
      if (n.createdAt.slice(0, 10) === day && belongsInDigest(user, n)) found.push(n);
    }
    const oldest = page.items.at(-1);
    if (!page.nextCursor || !oldest || oldest.createdAt.slice(0, 10) < day) break;
    cursor = page.nextCursor;
  }
  return found.reverse();
}

async function prepare(deps: MailDeliveryDeps, mail: MailEvent): Promise<Prepared | { skip: string }> {
  const user = await deps.repos.users.getById(mail.userId);
  if (!user) return skip('the user no longer exists');
  if (user.disabledAt !== null) return skip('the user is disabled');
  const now = deps.now();
  switch (mail.kind) {
    case 'verify-email': {
      const token = await deps.repos.accountTokens.get(mail.tokenId);
      if (!usableToken(token, user, now) || token.purpose === 'password-reset') {
        return skip('the token is used, expired or not a verification token');
      }
      const newAddress = token.purpose === 'change-email';
      return {
        to: newAddress ? token.email : user.email,
        content: {
          kind: 'verify-email',
          firstName: user.firstName,
          link: accountTokenUrl(token.purpose, token.id),
          newAddress,
        },
      };
    }
    case 'password-reset': {
      if (!user.emailVerified) return skip('the user has not verified their address');
      const token = await deps.repos.accountTokens.get(mail.tokenId);
      if (!usableToken(token, user, now) || token.purpose !== 'password-reset') {
        return skip('the token is used, expired or not a reset token');
      }
      return {
        to: user.email,
        content: {
          kind: 'password-reset',
          firstName: user.firstName,
          link: accountTokenUrl('password-reset', token.id),
          validMinutes: Math.round(ACCOUNT_TOKEN_LIFETIME_MS['password-reset'] / 60_000),
        },
      };
    }
    case 'notification': {
      if (!receivesMail(user)) return skip('the user has not verified their address');
      const n = await deps.repos.notifications.getById(mail.notificationId);
      if (!n || n.recipientId !== user.id) return skip('the notification is gone');
      const preference = immediatePreference(n.type);
      if (!preference || !user.mailPreferences[preference]) return skip('the user does not want this mail');
      const unsubscribe = await unsubscribeFor(deps, user, preference);
      return {
        to: user.email,
        unsubscribe,
        content: {
          kind: 'notification',
          firstName: user.firstName,
          notification: mailNotification(deps.appUrl, n),
          unsubscribe,
          appUrl: deps.appUrl,
        },
      };
    }
    case 'digest': {
      if (!receivesMail(user)) return skip('the user has not verified their address');
      if (!user.mailPreferences.digest) return skip('the digest is off');
      const notifications = await digestNotifications(deps, user, mail.day);
      if (notifications.length === 0) return skip('nothing happened that day');
      const unsubscribe = await unsubscribeFor(deps, user, 'digest');
      return {
        to: user.email,
        unsubscribe,
        content: {
          kind: 'digest',
          firstName: user.firstName,
          day: mail.day,
          notifications: notifications.map((n) => mailNotification(deps.appUrl, n)),
          unsubscribe,
          appUrl: deps.appUrl,
        },
      };
    }
  }
}

function headers(unsubscribe: Unsubscribe | undefined): Record<string, string> {
  const base = { 'Auto-Submitted': 'auto-generated' };
  if (!unsubscribe) return base;
  // RFC 8058: a mail client may POST "List-Unsubscribe=One-Click" to the link, no cookie.
  return {
    ...base,
    'List-Unsubscribe': `<${unsubscribe.url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** Sends the entry's mail if it still should go out. Throws when the transport did not take it. */
export async function deliverMail(deps: MailDeliveryDeps, entryId: string, mail: MailEvent): Promise<DeliveryOutcome> {
  const prepared = await prepare(deps, mail);
  if ('skip' in prepared) return { sent: false, reason: prepared.skip };
  const rendered: RenderedMail = renderMail(prepared.content);
  await deps.transport.send({
    to: prepared.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: mailMessageId(entryId, deps.appUrl),
    headers: headers(prepared.unsubscribe),
  });
  return { sent: true, to: prepared.to };
}
