import { describe, expect, it } from 'vitest';
import { escapeHtml, headerText, html, mailNotification, renderMail, type MailContent } from './templates';

const APP = 'https://classcast.test';
const hostile = `<script>alert("x")</script> & 'quotes' "double"`;
const unsubscribe = { preference: 'grades' as const, url: `${APP}/unsubscribe?token=a.b.c` };

function notificationMail(
  over: Partial<Parameters<typeof mailNotification>[1]> = {},
  firstName = hostile,
): MailContent {
  return {
    kind: 'notification',
    firstName,
    appUrl: APP,
    unsubscribe,
    notification: mailNotification(APP, {
      title: `Graded: ${hostile}`,
      message: `Well done ${hostile}\nsecond line`,
      senderName: hostile,
      actionUrl: '/submissions/s1',
      createdAt: '2026-01-02T03:04:05.000Z',
      ...over,
    }),
  };
}

describe('escapeHtml / html', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">&'</a>`).value).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes every interpolation but keeps nested safe HTML', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"'}">${inner}${['<', 1]}</p>`.value).toBe('<p title="&quot;"><b>&lt;i&gt;</b>&lt;1</p>');
  });
});

describe('headerText', () => {
  it('leaves no line break, so no header can be started', () => {
    expect(headerText('x\r\nBcc: evil@x')).toBe('x Bcc: evil@x');
    expect(headerText('a\u2028b\u0000c\td')).toBe('a b c d');
  });

  it('keeps subjects short', () => {
    expect(headerText('y'.repeat(500)).length).toBeLessThanOrEqual(150);
  });
});

describe('renderMail', () => {
  it('never puts user text into the HTML unescaped', () => {
    const mail = renderMail(notificationMail());
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain(`"double"`);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    // The text part says it as it is.
    expect(mail.text).toContain(`Graded: ${hostile}`);
  });

  it('makes a one-line subject from a hostile title', () => {
    const mail = renderMail(notificationMail({ title: 'Graded\r\nBcc: evil@x.test' }));
    expect(mail.subject).toBe('Graded Bcc: evil@x.test');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('links only to our own pages', () => {
    const ours = renderMail(notificationMail());
    expect(ours.html).toContain(`href="${APP}/submissions/s1"`);
    const elsewhere = renderMail(notificationMail({ actionUrl: 'https://evil.test/phish' }));
    expect(elsewhere.html).not.toContain('evil.test');
    expect(elsewhere.text).not.toContain('evil.test');
    const script = renderMail(notificationMail({ actionUrl: 'javascript:alert(1)' }));
    expect(script.html).not.toContain('javascript:');
  });

  it('puts the unsubscribe link in both parts of every notification and digest mail', () => {
    const digest = renderMail({
      kind: 'digest',
      firstName: 'Ana',
      day: '2026-01-02',
      appUrl: APP,
      unsubscribe: { preference: 'digest', url: `${APP}/unsubscribe?token=d` },
      notifications: [(notificationMail() as Extract<MailContent, { kind: 'notification' }>).notification],
    });
    expect(digest.subject).toBe('Your ClassCast digest: 1 notification on 2026-01-02');
    expect(digest.html).toContain(`href="${APP}/unsubscribe?token=d"`);
    expect(digest.text).toContain(`${APP}/unsubscribe?token=d`);
    expect(digest.html).not.toContain('<script>');
    const one = renderMail(notificationMail());
    expect(one.html).toContain(`href="${APP}/unsubscribe?token=a.b.c"`);
  });

  it('builds account mails with their link and no unsubscribe', () => {
    const reset = renderMail({
      kind: 'password-reset',
      firstName: hostile,
      link: `${APP}/reset-password/x.y`,
      validMinutes: 30,
    });
    expect(reset.subject).toBe('Reset your ClassCast password');
    expect(reset.text).toContain(`${APP}/reset-password/x.y`);
    expect(reset.text).toContain('30 minutes');
    expect(reset.html).toContain(`href="${APP}/reset-password/x.y"`);
    expect(reset.html).not.toContain('<script>');
    expect(reset.html).not.toContain('nsubscribe');
    const change = renderMail({
      kind: 'verify-email',
      firstName: 'Ana',
      link: `${APP}/verify-email/x.y`,
      newAddress: true,
    });
    expect(change.subject).toBe('Confirm your new ClassCast email address');
  });
});
