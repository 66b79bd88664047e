/**
 * THE template module: every mail ClassCast sends is built here, as plain text plus HTML.
 * User-supplied text (names, titles, messages) reaches HTML only through `html`, whose every
 * interpolation passes `escapeHtml`, and reaches a subject only through `headerText`, which
 * leaves no line break (a name like "x\r\nBcc: evil@x" can never start a header).
 */

/** A piece of HTML that is already safe: only `html` and `escapeHtml` make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The one escape function: text → HTML that shows exactly that text (also inside attributes). */
export function escapeHtml(text: string): SafeHtml {
  return new SafeHtml(text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!));
}

type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

function htmlPart(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(htmlPart).join('');
  return escapeHtml(String(value)).value;
}

/** Tagged template: the literal parts are ours, every `${value}` is escaped unless already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += htmlPart(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Text for a header (the subject): control characters, CR and LF included, become spaces,
 * runs of space collapse, and it is kept short. nodemailer encodes what is left.
 */
// Control characters are exactly what these patterns look for.
// eslint-disable-next-line no-control-regex
const HEADER_BREAKING = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

export function headerText(text: string, maxLength = 150): string {
  const line = text.replace(HEADER_BREAKING, ' ').replace(/\s+/g, ' ').trim();
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1).trimEnd()}…`;
}

/** Body text: one-line for names, line breaks kept for messages; control characters go. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Which preference a one-click unsubscribe turns off, as the mail and the page say it. */
export type UnsubscribePreference = 'grades' | 'messages' | 'announcements' | 'digest';

export const PREFERENCE_LABELS: Record<UnsubscribePreference, string> = {
  grades: 'mails about your grades',
  messages: 'mails about direct messages',
  announcements: 'course announcements by mail',
  digest: 'the daily digest',
};

export interface Unsubscribe {
  preference: UnsubscribePreference;
  url: string;
}

export interface MailNotification {
  title: string;
  message: string;
  senderName: string | null;
  /** Absolute, or null when it links nowhere. */
  url: string | null;
  createdAt: string;
}

export type MailContent =
  | { kind: 'password-reset'; firstName: string; link: string; validMinutes: number }
  | { kind: 'verify-email'; firstName: string; link: string; newAddress: boolean }
  | {
      kind: 'notification';
      firstName: string;
      notification: MailNotification;
      unsubscribe: Unsubscribe;
      appUrl: string;
    }
  | {
      kind: 'digest';
      firstName: string;
      day: string;
      notifications: MailNotification[];
      unsubscribe: Unsubscribe;
      appUrl: string;
    };

const FOOTER_TEXT = 'ClassCast';

function greeting(firstName: string): string {
  const name = headerText(firstName, 80);
  return name ? `Hello ${name},` : 'Hello,';
}

function layout(body: SafeHtml, unsubscribe?: Unsubscribe): string {
  const footer = unsubscribe
    ? html`<p style="color:#555;font-size:12px">
        You get this because ${PREFERENCE_LABELS[unsubscribe.preference]} are on in your settings.
        <a href="${unsubscribe.url}">Unsubscribe</a> with one click.
      </p>`
    : html`<p style="color:#555;font-size:12px">${FOOTER_TEXT}</p>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>ClassCast</title>
      </head>
      <body style="font-family:system-ui,sans-serif;color:#111;line-height:1.5">
        ${body}${footer}
      </body>
    </html>`.value;
}

function textFooter(unsubscribe?: Unsubscribe): string {
  return unsubscribe
    ? `\n--\nYou get this because ${PREFERENCE_LABELS[unsubscribe.preference]} are on in your settings.\nUnsubscribe: ${unsubscribe.url}\n`
    : `\n--\n${FOOTER_TEXT}\n`;
}

function button(url: string, label: string): SafeHtml {
  return html`<p>
    <a
      href="${url}"
      style="display:inline-block;background:#1d4ed8;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none"
      >${label}</a
    >
  </p>`;
}

function absolute(appUrl: string, url: string | null): string | null {
  if (!url) return null;
  try {
    const resolved = new URL(url, appUrl);
    // Only our own pages: a stored link is never a way to send someone elsewhere.
    return resolved.origin === new URL(appUrl).origin ? resolved.href : null;
  } catch {
    return null;
  }
}

/** A notification with its link made absolute (and dropped when it points off-site). */
export function mailNotification(
  appUrl: string,
  n: { title: string; message: string; senderName: string | null; actionUrl: string | null; createdAt: string },
): MailNotification {
  return {
    title: n.title,
    message: n.message,
    senderName: n.senderName,
    url: absolute(appUrl, n.actionUrl),
    createdAt: n.createdAt,
  };
}

function passwordReset(c: Extract<MailContent, { kind: 'password-reset' }>): RenderedMail {
  const text = `${greeting(c.firstName)}\n\nSomeone asked to reset the password of your ClassCast account. To choose a new password, open this link within ${c.validMinutes} minutes:\n\n${c.link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n${textFooter()}`;
  const body = html`<p>${greeting(c.firstName)}</p>
    <p>
      Someone asked to reset the password of your ClassCast account. The link works once, within ${c.validMinutes}
      minutes.
    </p>
    ${button(c.link, 'Choose a new password')}
    <p>Or paste this address into your browser: ${c.link}</p>
    <p>If it was not you, ignore this mail: your password stays as it is.</p>`;
  return { subject: 'Reset your ClassCast password', text, html: layout(body) };
}

function verifyEmail(c: Extract<MailContent, { kind: 'verify-email' }>): RenderedMail {
  const what = c.newAddress
    ? 'You asked to use this address for your ClassCast account. Confirm it to make the change'
    : 'Welcome to ClassCast. Confirm your email address to receive mail from ClassCast';
  const text = `${greeting(c.firstName)}\n\n${what}:\n\n${c.link}\n\nIf it was not you, ignore this mail.\n${textFooter()}`;
  const body = html`<p>${greeting(c.firstName)}</p>
    <p>${what}.</p>
    ${button(c.link, 'Confirm this address')}
    <p>Or paste this address into your browser: ${c.link}</p>
    <p>If it was not you, ignore this mail.</p>`;
  return {
    subject: c.newAddress ? 'Confirm your new ClassCast email address' : 'Confirm your ClassCast email address',
    text,
    html: layout(body),
  };
}

function notificationText(n: MailNotification): string {
  const from = n.senderName ? ` (from ${headerText(n.senderName, 80)})` : '';
  return `${plain(headerText(n.title))}${from}\n${plain(n.message)}${n.url ? `\n${n.url}` : ''}`;
}

function notificationHtml(n: MailNotification): SafeHtml {
  const title = n.url ? html`<a href="${n.url}">${headerText(n.title)}</a>` : html`${headerText(n.title)}`;
  const from = n.senderName ? html` <span style="color:#555">from ${headerText(n.senderName, 80)}</span>` : '';
  const lines = plain(n.message)
    .split('\n')
    .map((line, i) => (i === 0 ? html`${line}` : html`<br />${line}`));
  return html`<p><strong>${title}</strong>${from}</p>
    <p>${lines}</p>`;
}

function notification(c: Extract<MailContent, { kind: 'notification' }>): RenderedMail {
  const n = c.notification;
  const text = `${greeting(c.firstName)}\n\n${notificationText(n)}\n${textFooter(c.unsubscribe)}`;
  const body = html`<p>${greeting(c.firstName)}</p>
    ${notificationHtml(n)}${n.url ? button(n.url, 'Open in ClassCast') : ''}`;
  return { subject: headerText(n.title), text, html: layout(body, c.unsubscribe) };
}

function digest(c: Extract<MailContent, { kind: 'digest' }>): RenderedMail {
  const count = c.notifications.length;
  const summary = `${count} notification${count === 1 ? '' : 's'} on ${c.day}`;
  const text = `${greeting(c.firstName)}\n\nYour ClassCast day: ${summary}.\n\n${c.notifications.map(notificationText).join('\n\n')}\n\nAll notifications: ${c.appUrl}/notifications\n${textFooter(c.unsubscribe)}`;
  const items = c.notifications.map((n) => html`<li>${notificationHtml(n)}</li>`);
  const body = html`<p>${greeting(c.firstName)}</p>
    <p>Your ClassCast day: ${summary}.</p>
    <ul>
      ${items}
    </ul>
    ${button(`${c.appUrl}/notifications`, 'All notifications')}`;
  return { subject: `Your ClassCast digest: ${summary}`, text, html: layout(body, c.unsubscribe) };
}

export function renderMail(content: MailContent): RenderedMail {
  switch (content.kind) {
    case 'password-reset':
      return passwordReset(content);
    case 'verify-email':
      return verifyEmail(content);
    case 'notification':
      return notification(content);
    case 'digest':
      return digest(content);
  }
}
