import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nodemailer from 'nodemailer';
import { type SmtpCatcher, startSmtpCatcher } from '../../src/simulators/smtp/catcher.ts';

let catcher: SmtpCatcher;
beforeAll(async () => {
  catcher = await startSmtpCatcher({ host: '127.0.0.1' });
});
afterAll(async () => catcher.close());

const send = (subject: string) =>
  nodemailer.createTransport(catcher.url).sendMail({
    from: 'a@example.com',
    to: ['b@example.com', 'c@example.com'],
    subject,
    text: 'hello',
    messageId: `<${subject}@test.invalid>`,
  });

describe('SMTP catcher', () => {
  it('listens on an ephemeral loopback port and keeps each accepted message, parsed', async () => {
    expect(catcher.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    await send('one');
    expect(catcher.messages()).toEqual([
      expect.objectContaining({
        messageId: '<one@test.invalid>',
        envelope: { from: 'a@example.com', to: ['b@example.com', 'c@example.com'] },
        to: ['b@example.com', 'c@example.com'],
        subject: 'one',
        text: 'hello\n',
      }),
    ]);
  });

  it('lists the messages as JSON at GET /_sim/mail and forgets them on DELETE', async () => {
    catcher.clear();
    await send('two');
    const listed = (await (await fetch(`${catcher.httpUrl}/_sim/mail`)).json()) as { messages: Array<{ subject: string }> };
    expect(listed.messages.map((m) => m.subject)).toEqual(['two']);
    await fetch(`${catcher.httpUrl}/_sim/mail`, { method: 'DELETE' });
    expect(catcher.messages()).toEqual([]);
    expect((await fetch(`${catcher.httpUrl}/elsewhere`)).status).toBe(404);
  });

  it('refuses the next N messages with the given reply code, then accepts again', async () => {
    catcher.clear();
    catcher.rejectNext(2, 452, 'Insufficient storage');
    await expect(send('r1')).rejects.toMatchObject({ responseCode: 452, response: expect.stringContaining('Insufficient storage') });
    await expect(send('r2')).rejects.toMatchObject({ responseCode: 452 });
    await send('r3');
    expect(catcher.messages().map((m) => m.subject)).toEqual(['r3']);
    expect(() => catcher.rejectNext(1, 250)).toThrow('an SMTP refusal is a 4xx or 5xx code, not 250');
  });
});
