/**
 * A real SMTP server for tests (smtp-server on a free 127.0.0.1 port): every mail it takes is
 * parsed with mailparser and kept, so a test waits for the mail a user would get and reads
 * its links. `refuse` makes it answer every mail with a 4xx (the "SMTP is down" case).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO): who really gets it, whatever the headers say. */
  envelopeTo: string[];
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Header names (lower case) → value as received, for header-injection checks. */
  headers: Record<string, string>;
  /** Every http(s) link in the text and HTML bodies, in order, without duplicates. */
  links: string[];
  receivedAt: string;
}

export interface SmtpMailbox {
  /** smtp://127.0.0.1:<port> for the app's SMTP_URL. */
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Resolves with the first mail (received before or after the call) that matches. */
  waitForMail(match: { to: string; subject?: string | RegExp }, timeoutMs?: number): Promise<ReceivedMail>;
  /** true: every mail is answered 451 (temporary failure), as a server that is down would. */
  refuse(on: boolean): void;
  clear(): void;
  stop(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

export function linksIn(...bodies: string[]): string[] {
  const found = bodies.flatMap((body) => body.match(/https?:\/\/[^\s"'<>]+/g) ?? []);
  return [...new Set(found.map((link) => link.replace(/&amp;/g, '&').replace(/[).,]+$/, '')))];
}

function matches(mail: ReceivedMail, match: { to: string; subject?: string | RegExp }): boolean {
  const to = match.to.toLowerCase();
  if (!mail.envelopeTo.includes(to) && !mail.to.includes(to)) return false;
  if (match.subject === undefined) return true;
  return typeof match.subject === 'string' ? mail.subject.includes(match.subject) : match.subject.test(mail.subject);
}

export async function startSmtpMailbox(opts: { port?: number } = {}): Promise<SmtpMailbox> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let refusing = false;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'ClassCast test mailbox',
    onData(stream, session, callback) {
      if (refusing) {
        stream.resume();
        stream.on('end', () => {
          const error = Object.assign(new Error('mailbox is refusing mail (test)'), { responseCode: 451 });
          callback(error);
        });
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          const html = typeof parsed.html === 'string' ? parsed.html : '';
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line;
          mails.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: addresses(parsed.from ? [parsed.from] : undefined)[0] ?? '',
            to: addresses(parsed.to),
            subject: parsed.subject ?? '',
            text,
            html,
            messageId: parsed.messageId ?? '',
            headers,
            links: linksIn(text, html),
            receivedAt: new Date().toISOString(),
          });
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    refuse(on) {
      refusing = on;
    },
    clear() {
      mails.length = 0;
    },
    waitForMail(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = mails.find((mail) => matches(mail, match));
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `no mail to ${match.to}${match.subject ? ` about ${String(match.subject)}` : ''} within ${timeoutMs} ms (got ${mails.length}: ${mails.map((m) => `${m.to.join(',')} "${m.subject}"`).join('; ')})`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
