import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the catcher accepted, parsed. */
export interface CaughtMail {
  /** The Message-ID header, angle brackets included, as the sender set it. */
  messageId: string | undefined;
  /** SMTP envelope (MAIL FROM / RCPT TO), which is what a real relay delivers to. */
  envelope: { from: string | undefined; to: string[] };
  from: string | undefined;
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** Every header, lower-cased names, as the parser reads them. */
  headers: Record<string, string>;
  receivedAt: string;
}

export interface SmtpCatcherOptions {
  /** 0 (the default) lets the OS choose a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Port of the JSON view (`GET /_sim/mail`); 0 (the default) lets the OS choose. */
  httpPort?: number;
  /** When set, the catcher requires SMTP AUTH with exactly these credentials (and answers 535 otherwise). */
  auth?: { user: string; pass: string };
}

export interface SmtpCatcher {
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL (with credentials added when `auth` is set). */
  url: string;
  /** `http://127.0.0.1:<port>`: `GET /_sim/mail` lists the messages as JSON, `DELETE /_sim/mail` forgets them. */
  httpUrl: string;
  messages(): CaughtMail[];
  /** The next `count` messages are refused at end of DATA with this SMTP reply code (4xx temporary, 5xx permanent). */
  rejectNext(count: number, responseCode: number, text?: string): void;
  clear(): void;
  close(): Promise<void>;
}

const addressesOf = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((group) => group.value.map((entry) => entry.address ?? ''));

function headersOf(headers: Map<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

async function listen(
  server: { listen(port: number, host: string, done: () => void): unknown; once(event: 'error', cb: (e: Error) => void): unknown },
  port: number,
) {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/**
 * A local SMTP server for the sandbox and tests (smtp-server, parsed with mailparser): plain SMTP on loopback with
 * no STARTTLS, keeping every message it accepts, and refusing on demand to exercise retry and park.
 */
export async function startSmtpCatcher(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const caught: CaughtMail[] = [];
  let refusals: { left: number; responseCode: number; text: string } = { left: 0, responseCode: 0, text: '' };
  const smtp = new SMTPServer({
    logger: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (refusals.left > 0) {
            refusals = { ...refusals, left: refusals.left - 1 };
            callback(Object.assign(new Error(refusals.text), { responseCode: refusals.responseCode }));
            return;
          }
          caught.push({
            messageId: mail.messageId,
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            from: addressesOf(mail.from)[0],
            to: addressesOf(mail.to),
            subject: mail.subject,
            text: mail.text,
            html: typeof mail.html === 'string' ? mail.html : undefined,
            headers: headersOf(mail.headers as Map<string, unknown>),
            receivedAt: new Date().toISOString(),
          });
          callback();
        },
        (error: unknown) => callback(error as Error),
      );
    },
  });
  await listen(smtp, options.port ?? 0);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const view: Server = createServer((req, res) => {
    if (req.url === '/_sim/mail' && (req.method === 'GET' || req.method === 'DELETE')) {
      if (req.method === 'DELETE') caught.length = 0;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages: caught }));
    } else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  await listen(view, options.httpPort ?? 0);
  const httpPort = (view.address() as AddressInfo).port;
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';

  return {
    url: `smtp://${credentials}127.0.0.1:${smtpPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    messages: () => [...caught],
    rejectNext(count, responseCode, text = responseCode >= 500 ? 'Message refused' : 'Try again later') {
      if (!(responseCode >= 400 && responseCode <= 599)) throw new Error(`an SMTP refusal is a 4xx or 5xx code, not ${responseCode}`);
      refusals = { left: count, responseCode, text };
    },
    clear: () => {
      caught.length = 0;
    },
    async close() {
      view.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => view.close(() => resolve())),
      ]);
    },
  };
}
