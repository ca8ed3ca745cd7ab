import winston from 'winston';
import { maskEmails } from './core/email-mask.ts';

/**
 * Structured JSON logs. Secrets and personal data never reach a transport: keys that name
 * credentials are masked, and anything shaped like an e-mail address is masked wherever it appears.
 */
const SECRET_KEY = /(token|secret|password|authorization|signature|api[-_]?key|private[-_]?key|assertion|cookie|refresh)/i;
// Linear: one run of white space, then one run of token characters; nothing for the engine to retry.
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/gi;
// Slack tokens (bot xoxb-, user xoxp-, app xapp- …) wherever they appear: a literal prefix, then one run.
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;

const URL_PART_END = new Set([' ', '\t', '\n', '\r', '/', '@']);

/**
 * `smtps://user:password@host` → `smtps://user:[redacted]@host`, by a linear scan: each `://` looks ahead only to
 * the next white space, slash or `@`, and a slash ends every look (so no stretch of text is read twice).
 */
export function maskUrlPasswords(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    const start = at + 3;
    let end = start;
    while (end < text.length && !URL_PART_END.has(text.charAt(end))) end++;
    const colon = text.indexOf(':', start);
    if (text.charAt(end) !== '@' || colon === -1 || colon >= end) continue;
    out += `${text.slice(from, colon + 1)}[redacted]`;
    from = end;
  }
  return out + text.slice(from);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  // E-mail addresses by a linear scan (see email-mask.ts): a backtracking pattern took seconds on 64 KiB.
  if (typeof value === 'string')
    return maskEmails(maskUrlPasswords(value)).replace(BEARER, 'Bearer [redacted]').replace(SLACK_TOKEN, '[slack token]');
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack, depth + 1) };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}

const redactFormat = winston.format((info) => {
  const cleaned = redact({ ...info }) as Record<string, unknown>;
  for (const key of Object.keys(cleaned)) (info as Record<string, unknown>)[key] = cleaned[key];
  return info;
});

export type Logger = winston.Logger;

export function createLogger(level = 'info', stream?: NodeJS.WritableStream): Logger {
  const transport = stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console({ stderrLevels: [] });
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), redactFormat(), winston.format.json()),
    defaultMeta: { service: 'handoff' },
    transports: [transport],
  });
}

/** A logger that writes nowhere, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
