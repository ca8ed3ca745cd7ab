/**
 * Masks anything shaped like an e-mail address, internationalised ones included (RFC 6531: UTF-8 in the local
 * part and the domain, e.g. `josé@exämple.de`, `用户@例子.广告`), in time linear in the text.
 *
 * A backtracking regular expression (`[A-Za-z0-9._%+-]+@…`) retried its `+` from every start position, so 64 KiB
 * of letters without an `@` took seconds. This scan starts only at an `@`, reads left over local-part characters
 * and right over domain characters, and neither read crosses another `@` (which belongs to neither), so each
 * character is read at most twice whatever the text.
 *
 * Shape accepted: a non-empty local part, then a domain whose last label follows a dot and starts with a letter
 * and has at least two characters (`.de`, `.广告`, `.xn--p1ai`). Text with an `@` but no such domain (`@mention`,
 * `pkg@1.2.3`, `user@host`, `node@24.x`) is left as it is.
 */
// The ASCII punctuation of the old pattern only: `=`, `'` or `/` would swallow `email=` or a path into the mask.
const LOCAL = /^[\p{L}\p{M}\p{N}._%+-]$/u;
const DOMAIN = /^[\p{L}\p{M}\p{N}.-]$/u;
const LETTER = /^[\p{L}]$/u;

const EMAIL_MASK = '[email]';

export function maskEmails(text: string): string {
  let at = text.indexOf('@');
  if (at < 0) return text;
  let out = '';
  /** Everything before this index is already in `out`. */
  let copied = 0;
  while (at >= 0) {
    const start = localStart(text, at, copied);
    const end = start < at ? domainEnd(text, at + 1) : -1;
    if (end > 0) {
      out += text.slice(copied, start) + EMAIL_MASK;
      copied = end;
    }
    at = text.indexOf('@', Math.max(at + 1, copied));
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where the local part ending before `at` starts (=== at when it is empty); never before `floor`. */
function localStart(text: string, at: number, floor: number): number {
  let index = at;
  while (index > floor) {
    const before = charBefore(text, index);
    if (!LOCAL.test(before)) break;
    index -= before.length;
  }
  return index;
}

/** Where the domain starting at `from` ends, or -1 when what follows the `@` is not a domain. */
function domainEnd(text: string, from: number): number {
  let index = from;
  let end = -1;
  let labelStart = from;
  let labelLength = 0;
  while (index < text.length) {
    const char = charAt(text, index);
    if (!DOMAIN.test(char)) break;
    index += char.length;
    if (char === '.') {
      labelStart = index;
      labelLength = 0;
      continue;
    }
    labelLength += 1;
    // The address may end here if the current label can be a top-level domain after at least one dot.
    if (labelStart > from + 1 && labelLength >= 2 && LETTER.test(charAt(text, labelStart))) end = index;
  }
  return end;
}

/** The code point (one or two UTF-16 units) at or before an index, so a letter outside the BMP counts as one. */
function charAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index)!);
}

function charBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
  }
  return text[index - 1]!;
}
