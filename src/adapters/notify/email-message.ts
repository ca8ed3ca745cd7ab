import { createHash } from 'node:crypto';
import type { OwnerNotification } from '../../core/routing/owner-notification.ts';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 msg-id, the same for every attempt of one notification, so a repeat is recognisable. */
  messageId: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** RFC 5322 §3.2.3 dot-atom: atext runs joined by single dots. Anything else in a key is hashed instead. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const MAX_ID_LEFT = 200;

/** `<key@handoff.invalid>` (RFC 6761 reserves .invalid), or `<sha256-…@handoff.invalid>` when the key is no dot-atom. */
export function messageIdOf(key: string): string {
  const left = DOT_ATOM.test(key) && key.length <= MAX_ID_LEFT ? key : `sha256-${createHash('sha256').update(key).digest('hex')}`;
  return `<${left}@handoff.invalid>`;
}

/** Only web links become a link: a value like `javascript:` must never be clickable. */
const isWebUrl = (url: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
};

/** Subject = the title; a plain text and a simple HTML body with every value escaped; a link to the Lead. */
export function emailContentOf(notification: OwnerNotification): EmailContent {
  const text = [
    notification.title,
    '',
    ...notification.facts.map((fact) => `${fact.label}: ${fact.value}`),
    '',
    `Open Lead: ${notification.leadUrl}`,
  ].join('\n');
  const rows = notification.facts
    .map((fact) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`)
    .join('');
  const link = isWebUrl(notification.leadUrl)
    ? `<p><a href="${escapeHtml(notification.leadUrl)}">Open Lead</a></p>`
    : `<p>Open Lead: ${escapeHtml(notification.leadUrl)}</p>`;
  const html = `<!doctype html><html><body><h2>${escapeHtml(notification.title)}</h2><table>${rows}</table>${link}</body></html>`;
  // A subject is one line: a line break in it would start a new header in a naive relay.
  const subject = notification.title.replace(/[\r\n]+/g, ' ');
  return { subject, text, html, messageId: messageIdOf(notification.key) };
}
