import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { NotificationChannel } from '../../../src/adapters/notify/channel.ts';
import { createEmailChannel, emailFailureOf } from '../../../src/adapters/notify/email-channel.ts';
import { emailContentOf, messageIdOf } from '../../../src/adapters/notify/email-message.ts';
import { freeLoopbackPort } from '../../../src/free-port.ts';
import { silentLogger } from '../../../src/log.ts';
import { type SmtpCatcher, startSmtpCatcher } from '../../../src/simulators/smtp/catcher.ts';
import { capturingLogger, OWNER, sampleNotification } from './fixtures.ts';

const FROM = 'Handoff <handoff@acme.example.com>';
const notification = sampleNotification();
let catcher: SmtpCatcher;

beforeAll(async () => {
  catcher = await startSmtpCatcher({ host: '127.0.0.1' });
});
beforeEach(() => catcher.clear());
const opened: NotificationChannel[] = [];
afterAll(async () => {
  for (const c of opened) c.close?.();
  await catcher.close();
});

const channel = (smtpUrl = catcher.url, logger = silentLogger()) => {
  const created = createEmailChannel({ smtpUrl, from: FROM, logger });
  opened.push(created);
  return created;
};

describe('e-mail channel over SMTP (real TCP on 127.0.0.1)', () => {
  it('sends the owner one message: subject = title, text and HTML bodies, a link to the Lead, a Message-ID from the key', async () => {
    const outcome = await channel().deliver(notification, OWNER);
    expect(outcome).toMatchObject({
      status: 'delivered',
      detail: expect.stringContaining('<assign-42.005000000000001AAA@handoff.invalid>'),
    });
    const [mail] = catcher.messages();
    expect(catcher.messages()).toHaveLength(1);
    expect(mail).toMatchObject({
      messageId: '<assign-42.005000000000001AAA@handoff.invalid>',
      envelope: { from: 'handoff@acme.example.com', to: [OWNER.email] },
      from: 'handoff@acme.example.com',
      to: [OWNER.email],
      subject: notification.title,
    });
    expect(mail?.text?.trim()).toBe(emailContentOf(notification).text);
    expect(mail?.html).toContain(`<a href="${notification.leadUrl}">Open Lead</a>`);
    expect(mail?.html).toContain('<th align="left" style="padding-right:12px">Company</th><td>Acme GmbH</td>');
    expect(mail?.headers['x-handoff-notification']).toBe('assigned');
  });

  it('a repeat of the same notification carries the same Message-ID, so it is recognisable', async () => {
    const email = channel();
    await email.deliver(notification, OWNER);
    await email.deliver(notification, OWNER);
    const ids = catcher.messages().map((mail) => mail.messageId);
    expect(ids).toEqual(['<assign-42.005000000000001AAA@handoff.invalid>', '<assign-42.005000000000001AAA@handoff.invalid>']);
  });

  it('escapes every value in the HTML body, and a non-web lead URL is not made a link', async () => {
    const tricky = sampleNotification({
      title: 'New MQL: <b>Eve</b> & "Co"',
      facts: [{ label: '<script>', value: `x' onmouseover='alert(1)` }],
      leadUrl: 'javascript:alert(1)',
    });
    await channel().deliver(tricky, OWNER);
    const html = catcher.messages()[0]?.html ?? '';
    expect(html).toContain('<h2>New MQL: &lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Co&quot;</h2>');
    expect(html).toContain('<th align="left" style="padding-right:12px">&lt;script&gt;</th><td>x&#39; onmouseover=&#39;alert(1)</td>');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('<script>');
  });

  it('a recipient without an e-mail address is undeliverable and nothing is sent', async () => {
    const outcome = await channel().deliver(notification, { salesforceId: '00G000000000001AAA', slackChannel: '#inbound' });
    expect(outcome).toEqual({ status: 'undeliverable', reason: 'the recipient has no e-mail address' });
    expect(catcher.messages()).toEqual([]);
  });

  it('a 4xx reply (RFC 5321 transient) is a retry, and the next attempt is delivered', async () => {
    catcher.rejectNext(1, 451, 'Greylisted, please try again');
    const email = channel();
    const first = await email.deliver(notification, OWNER);
    expect(first).toEqual({ status: 'retry', reason: expect.stringMatching(/^SMTP DATA: 451 .*Greylisted, please try again/) });
    expect((await email.deliver(notification, OWNER)).status).toBe('delivered');
    expect(catcher.messages()).toHaveLength(1);
  });

  it('a 5xx reply (RFC 5321 permanent) is undeliverable, and the address the server quoted is masked', async () => {
    catcher.rejectNext(1, 550, `Mailbox ${OWNER.email} does not exist`);
    const { logger, lines } = capturingLogger();
    const outcome = await channel(catcher.url, logger).deliver(notification, OWNER);
    expect(outcome).toEqual({
      status: 'undeliverable',
      reason: expect.stringMatching(/^SMTP DATA: 550 .*Mailbox \[email\] does not exist/),
    });
    const written = (await lines()).join('\n');
    expect(written).toContain('e-mail notification not delivered');
    expect(written + JSON.stringify(outcome)).not.toContain(OWNER.email);
  });

  it('a server that is not listening is a retry (connection error)', async () => {
    const port = await freeLoopbackPort();
    const outcome = await channel(`smtp://127.0.0.1:${port}`).deliver(notification, OWNER);
    expect(outcome).toEqual({ status: 'retry', reason: expect.stringMatching(/^SMTP server not reached: E[A-Z]+$/) });
  });

  it('refused credentials (535) are undeliverable and the password is in neither outcome nor log', async () => {
    const guarded = await startSmtpCatcher({ auth: { user: 'mailer', pass: 'right-pass' } });
    try {
      const { logger, lines } = capturingLogger();
      const wrong = guarded.url.replace('right-pass', 'wrong-pass-123');
      const refused = await channel(wrong, logger).deliver(notification, OWNER);
      expect(refused).toEqual({ status: 'undeliverable', reason: expect.stringMatching(/^SMTP AUTH PLAIN: 535 /) });
      expect((await lines()).join('\n') + JSON.stringify(refused)).not.toContain('wrong-pass-123');
      expect((await channel(guarded.url).deliver(notification, OWNER)).status).toBe('delivered');
      expect(guarded.messages()).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });
});

describe('emailFailureOf and messageIdOf', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 452, response: '452 4.5.3 Too many recipients', command: 'RCPT TO' }, 'retry'],
    [{ code: 'EENVELOPE', responseCode: 553, response: '553 5.1.3 Bad address', command: 'RCPT TO' }, 'undeliverable'],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, 'retry'],
    [{ code: 'ECONNECTION', command: 'CONN' }, 'retry'],
    [{ code: 'EAUTH', command: 'API' }, 'undeliverable'],
    [{ code: 'EENVELOPE', command: 'API' }, 'undeliverable'],
  ])('nodemailer error %j is %s (nodemailer.com/errors)', (error, status) => {
    expect(emailFailureOf(Object.assign(new Error('x'), error)).status).toBe(status);
  });

  it('rethrows what is not an SMTP or connection failure: a bug must not be parked', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(() => emailFailureOf(bug)).toThrow(bug);
  });

  it('keeps a dot-atom key as it is and hashes any other key, deterministically', () => {
    expect(messageIdOf('assign-1.owner-2')).toBe('<assign-1.owner-2@handoff.invalid>');
    const hashed = messageIdOf('assign:1 owner<2>');
    expect(hashed).toMatch(/^<sha256-[0-9a-f]{64}@handoff\.invalid>$/);
    expect(messageIdOf('assign:1 owner<2>')).toBe(hashed);
    expect(messageIdOf('a..b')).not.toBe('<a..b@handoff.invalid>');
  });
});
