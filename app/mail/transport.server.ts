/**
 * The one way a mail leaves the process: nodemailer over SMTP when SMTP_URL is set, otherwise
 * each mail is written to DATA_DIR/mail/ as an .eml file (open it in any mail client), so a
 * fresh `npm start` shows what it would send without a mail server. The container logs
 * `description` once at start, so the developer knows where to look.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

/** A finished mail: every field already built by app/mail/templates.ts. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable across retries of one outbox entry, so receivers can drop a repeat. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface MailTransport {
  /** Resolves once the server accepted the mail (or the file is written); throws otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  /** Where mail goes, for the start-up banner and the health page. */
  description: string;
  close(): void;
}

/** An SMTP server that stops answering must not hold a job's lease forever. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function createMailTransport(opts: { smtpUrl?: string; from: string; dataDir: string }): MailTransport {
  return opts.smtpUrl ? smtpTransport(opts.smtpUrl, opts.from) : folderTransport(opts.dataDir, opts.from);
}

function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers,
  };
}

function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  const url = new URL(smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail(message(from, mail));
    },
    // Never the credentials in a log line.
    description: `SMTP ${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`,
    close: () => transporter.close(),
  };
}

function folderTransport(dataDir: string, from: string): MailTransport {
  const directory = path.resolve(dataDir, 'mail');
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transporter.sendMail(message(from, mail));
      await mkdir(directory, { recursive: true });
      const id = mail.messageId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
      const file = path.join(directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`);
      await writeFile(file, info.message as Buffer);
    },
    description: `.eml files in ${directory} (SMTP_URL not set)`,
    close: () => transporter.close(),
  };
}
