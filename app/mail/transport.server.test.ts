import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpMailbox, type SmtpMailbox } from '../../tests/smtp-mailbox';
import { renderMail } from './templates';
import { createMailTransport, type OutgoingMail } from './transport.server';

let mailbox: SmtpMailbox;
beforeAll(async () => {
  mailbox = await startSmtpMailbox();
});
afterAll(() => mailbox.stop());
beforeEach(() => {
  mailbox.clear();
  mailbox.refuse(false);
});

function outgoing(over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'ana@example.test',
    subject: 'Hi',
    text: 'hello',
    html: '<p>hello</p>',
    messageId: '<e1.mail@classcast.test>',
    ...over,
  };
}

describe('SMTP transport', () => {
  it('delivers text and HTML with our Message-ID and headers', async () => {
    const transport = createMailTransport({
      smtpUrl: mailbox.url,
      from: 'ClassCast <no-reply@classcast.test>',
      dataDir: '.',
    });
    await transport.send(
      outgoing({
        headers: {
          'List-Unsubscribe': '<https://classcast.test/unsubscribe?token=t>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      }),
    );
    const mail = await mailbox.waitForMail({ to: 'ana@example.test', subject: 'Hi' });
    expect(mail.messageId).toBe('<e1.mail@classcast.test>');
    expect(mail.from).toBe('no-reply@classcast.test');
    expect(mail.text.trim()).toBe('hello');
    expect(mail.html).toContain('<p>hello</p>');
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(transport.description).toBe(`SMTP smtp://127.0.0.1:${mailbox.port}`);
    transport.close();
  });

  it('a first name or title carrying "\\r\\nBcc:" adds no header and no recipient', async () => {
    const transport = createMailTransport({
      smtpUrl: mailbox.url,
      from: 'ClassCast <no-reply@classcast.test>',
      dataDir: '.',
    });
    const evil = 'x\r\nBcc: evil@attacker.test\r\nX-Injected: yes';
    const rendered = renderMail({
      kind: 'notification',
      firstName: evil,
      appUrl: 'https://classcast.test',
      unsubscribe: { preference: 'grades', url: 'https://classcast.test/unsubscribe?token=t' },
      notification: {
        title: `Graded: ${evil}`,
        message: evil,
        senderName: evil,
        url: null,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });
    await transport.send(outgoing(rendered));
    const mail = await mailbox.waitForMail({ to: 'ana@example.test' });
    expect(mail.envelopeTo).toEqual(['ana@example.test']);
    expect(mail.headers.bcc).toBeUndefined();
    expect(mail.headers['x-injected']).toBeUndefined();
    expect(mail.subject).toBe('Graded: x Bcc: evil@attacker.test X-Injected: yes');
    transport.close();
  });

  it('rejects when the server refuses, so the job retries', async () => {
    const transport = createMailTransport({ smtpUrl: mailbox.url, from: 'no-reply@classcast.test', dataDir: '.' });
    mailbox.refuse(true);
    await expect(transport.send(outgoing())).rejects.toThrow();
    expect(mailbox.mails).toHaveLength(0);
    transport.close();
  });

  it('rejects within its timeouts when nothing listens', async () => {
    const closed = await startSmtpMailbox();
    const url = closed.url;
    await closed.stop();
    const transport = createMailTransport({ smtpUrl: url, from: 'no-reply@classcast.test', dataDir: '.' });
    await expect(transport.send(outgoing())).rejects.toThrow();
    transport.close();
  });
});

describe('without SMTP_URL', () => {
  it('writes each mail as an .eml file under DATA_DIR/mail', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'classcast-mail-'));
    try {
      const transport = createMailTransport({ from: 'no-reply@classcast.test', dataDir });
      await transport.send(outgoing({ subject: 'Saved' }));
      const files = await readdir(path.join(dataDir, 'mail'));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const eml = await readFile(path.join(dataDir, 'mail', files[0]!), 'utf8');
      expect(eml).toContain('Subject: Saved');
      expect(eml).toContain('Message-ID: <e1.mail@classcast.test>');
      expect(transport.description).toContain(path.join(dataDir, 'mail'));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
