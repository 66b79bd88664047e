/**
 * The mails the app sent during this run, as the e2e server's test mailbox received them over
 * real SMTP (scripts/e2e-server.ts, tests/smtp-mailbox.ts). Specs wait for the mail a user
 * would get and follow its links.
 */
import { expect, type APIRequestContext } from '@playwright/test';

const MAILBOX_URL = `http://127.0.0.1:${process.env.E2E_MAILBOX_PORT}`;

export interface E2eMail {
  subject: string;
  text: string;
  html: string;
  links: string[];
  to: string[];
  envelopeTo: string[];
  messageId: string;
  headers: Record<string, string>;
}

async function allMails(request: APIRequestContext): Promise<E2eMail[]> {
  const res = await request.get(`${MAILBOX_URL}/mails`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()) as E2eMail[];
}

/** Every mail so far to `to` (lower-cased address), oldest first. */
export async function mailsTo(request: APIRequestContext, to: string): Promise<E2eMail[]> {
  const address = to.toLowerCase();
  return (await allMails(request)).filter((m) => m.envelopeTo.includes(address) || m.to.includes(address));
}

/** Polls until a mail to `to` (whose subject contains `subject`, if given) arrives. */
export async function waitForMail(
  request: APIRequestContext,
  match: { to: string; subject?: string | RegExp },
  timeoutMs = 20_000,
): Promise<E2eMail> {
  let found: E2eMail | undefined;
  await expect
    .poll(
      async () => {
        const subject = match.subject;
        found = (await mailsTo(request, match.to)).find((m) =>
          subject === undefined
            ? true
            : typeof subject === 'string'
              ? m.subject.includes(subject)
              : subject.test(m.subject),
        );
        return Boolean(found);
      },
      { timeout: timeoutMs, message: `a mail to ${match.to}${match.subject ? ` about ${String(match.subject)}` : ''}` },
    )
    .toBe(true);
  return found!;
}

/** The first link in the mail whose path starts with `pathPrefix` (e.g. '/reset-password/'). */
export function linkTo(mail: E2eMail, pathPrefix: string): string {
  const link = mail.links.find((l) => new URL(l).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no ${pathPrefix} link in "${mail.subject}": ${mail.links.join(', ')}`);
  return link;
}

/** true: the mailbox answers every mail 451 until called with false (SMTP is down). */
export async function refuseMail(request: APIRequestContext, on: boolean): Promise<void> {
  const res = await request.post(`${MAILBOX_URL}/refuse`, { data: { on } });
  expect(res.ok()).toBeTruthy();
}
