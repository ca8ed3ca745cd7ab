import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { redact } from '../../src/log.ts';

/**
 * The log redactor masks e-mail addresses wherever they appear, internationalised ones too (RFC 6531 allows UTF-8
 * in the local part and the domain), and leaves ordinary text alone. It runs on every log line, so it must be linear:
 * the old backtracking pattern took 6.3 s on 64 KiB of letters on this machine (issue 15).
 */
const within = <T>(ms: number, run: () => T): T => runInNewContext('run()', { run }, { timeout: ms }) as T;

describe('redact: e-mail addresses', () => {
  it.each([
    ['an ASCII address in a sentence', 'write to ada@analytical.example today', 'write to [email] today'],
    ['tags, dots and a country domain', 'user.name+tag@sub.domain.co.uk', '[email]'],
    ['an accented local part and domain', 'josé@exämple.de', '[email]'],
    ['Chinese local part, domain and TLD', '联系 用户@例子.广告 谢谢', '联系 [email] 谢谢'],
    ['Cyrillic', 'Ответ от иван@пример.рф', 'Ответ от [email]'],
    ['Devanagari with combining marks', 'संपर्क@डाटामेल.भारत', '[email]'],
    ['letters outside the BMP', '𝒶𝒹𝒶@𝒹𝑜𝓂𝒶𝒾𝓃.𝒸𝑜𝓂', '[email]'],
    ['a punycode TLD', 'x@xn--e1afmkfd.xn--p1ai', '[email]'],
    ['after a key and inside brackets', 'email=ada@x.com <bob@y.org>', 'email=[email] <[email]>'],
    ['two in a list, and a trailing full stop', 'a@b.co, c@d.org.', '[email], [email].'],
    ['in a JSON-ish string', '{"to":"grace@compilers.example"}', '{"to":"[email]"}'],
  ])('masks %s', (_label, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ['a mention', 'ping @ada about it'],
    ['a package version', 'installed pkg@1.2.3 and @scope/name@2.0.0'],
    ['a host without a domain', 'ssh user@host'],
    ['a one-letter last label', 'node@24.x and a@b.c'],
    ['an at sign between words', 'meet @ 5pm, 3 @ 2.50 each'],
    ['accented ordinary words', 'Müller & Söhne, naïve café, 用户 例子'],
    ['an empty local part', '@example.com'],
  ])('leaves %s alone', (_label, text) => {
    expect(redact(text)).toBe(text);
  });

  it('masks nested values, secrets by key, and bearer tokens', () => {
    expect(
      redact({ contact: { email: 'josé@exämple.de', note: ['cc 用户@例子.广告'] }, apiKey: 'k', header: 'Bearer abc.DEF-123' }),
    ).toEqual({
      contact: { email: '[email]', note: ['cc [email]'] },
      apiKey: '[redacted]',
      header: 'Bearer [redacted]',
    });
  });
});

describe('redact: linear time', () => {
  const MiB = 1024 * 1024;
  // Each took seconds at 64 KiB with the backtracking pattern (6.3 s, 6.0 s, 5.6 s); here 1 MiB each, bounded
  // generously: a regression to a quadratic scan would take hours at this size, not a second more.
  it.each([
    ['letters without an @', 'a'.repeat(MiB)],
    ['a local part and a domain without a dot', `${'a'.repeat(MiB / 2)}@${'b'.repeat(MiB / 2)}`],
    ['dotted labels without a TLD', `a@${'1.'.repeat(MiB / 2)}`],
    ['@ after @', 'a@'.repeat(MiB / 2)],
    ['an address after a megabyte of local-part characters', `${'a.'.repeat(MiB / 2)}@b.co`],
    ['white space after Bearer', `Bearer${' '.repeat(MiB)}!`],
    ['URL schemes without a password', 'a://b:c'.repeat(MiB / 7)],
    ['a URL user part a megabyte long', `smtp://${'u'.repeat(MiB)}:p`],
    ['a Slack token a megabyte long', `xoxb-${'1'.repeat(MiB)}`],
  ])('answers at once for 1 MiB of %s', (_label, text) => {
    const masked = within(2_000, () => redact(text)) as string;
    expect(masked.length).toBeLessThanOrEqual(text.length);
  });
});

describe('redact: Slack tokens in any text', () => {
  it.each([
    ['invalid_auth for xoxb-123-456-abcDEF', 'invalid_auth for [slack token]'],
    ['user token xoxp-1-2-3 and app token xapp-1-A0-99', 'user token [slack token] and app token [slack token]'],
    ['no token: xoxo and xox', 'no token: xoxo and xox'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});

describe('redact: passwords in URLs (SMTP_URL and the like)', () => {
  it.each([
    ['smtps://apikey:SG.abc-def@localhost:465', 'smtps://apikey:[redacted]@localhost:465'],
    ['smtp://u:p%40ss@mail:25 failed', 'smtp://u:[redacted]@mail:25 failed'],
    ['two: postgres://a:b@db/x and smtp://c:d@mx', 'two: postgres://a:[redacted]@db/x and smtp://c:[redacted]@mx'],
    ['no password: https://example.com/a:b@c', 'no password: https://example.com/a:b@c'],
    ['a user without a password: smtp://user@mx', 'a user without a password: smtp://user@mx'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});
