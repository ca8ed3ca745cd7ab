/**
 * The strings the redact scenario feeds to `redact`, each built deterministically to an exact length (UTF-16 code
 * units; all ASCII except the log line's internationalised addresses). Four are shapes a backtracking e-mail
 * pattern retries from every start position; none of them holds an address, so `redact` must return them
 * unchanged. The fifth is a long but ordinary log line with a few real addresses, which must all be masked.
 */
export const REDACT_INPUTS = ['letters', 'no-dot', 'dotted', 'at-repeated', 'log-line'] as const;
export type RedactInput = (typeof REDACT_INPUTS)[number];

/** Row labels: fixed text, never a measured value. */
export const REDACT_INPUT_LABELS: Record<RedactInput, string> = {
  letters: "letters and digits, no '@'",
  'no-dot': "a…a@b…b, no dot after the '@'",
  dotted: "dotted labels on both sides of one '@', none can be a TLD",
  'at-repeated': "'a@' repeated",
  'log-line': 'JSON log line with 4 real addresses (2 internationalised)',
};

/** 65,536 → '64 KiB', 1,048,576 → '1 MiB'. */
export const formatSize = (chars: number) => (chars % (1024 * 1024) === 0 ? `${chars / (1024 * 1024)} MiB` : `${chars / 1024} KiB`);

export interface BuiltInput {
  text: string;
  /** Addresses that must not survive redaction; undefined: nothing to mask, the output must equal the input. */
  addresses?: readonly string[];
}

/** Addresses in the log line: two ASCII, two internationalised (RFC 6531). None of their parts occurs in the filler. */
const LOG_LINE_ADDRESSES = ['maria.lopez@example.com', 'j.smith+crm@sales.example.co.uk', 'josé@exämple.de', '用户@例子.广告'] as const;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `chars` code units of the given shape. */
export function buildRedactInput(input: RedactInput, chars: number): BuiltInput {
  switch (input) {
    case 'letters':
      return { text: cycle(ALPHABET, chars) };
    case 'no-dot': {
      const left = Math.floor((chars - 1) / 2);
      return { text: `${'a'.repeat(left)}@${'b'.repeat(chars - 1 - left)}` };
    }
    case 'dotted': {
      // Labels `0a.1b.2c.…`: each starts with a digit, so neither the old pattern's `\.[A-Za-z]{2,}` nor the new
      // scan's top-level-domain rule (a label starting with a letter) can end an address anywhere.
      const labels = (length: number) => cycle(Array.from({ length: 260 }, (_, i) => `${i % 10}${ALPHABET[i % 26]}.`).join(''), length);
      const left = Math.floor((chars - 1) / 2);
      return { text: `${labels(left)}@${labels(chars - 1 - left)}` };
    }
    case 'at-repeated':
      return { text: cycle('a@', chars) };
    case 'log-line':
      return logLine(chars);
  }
}

/**
 * One structured log line of a large batch: `{"level":"info","msg":"handoff batch","leads":[{…},{…},…]}`, lead
 * entries with ids, scores, sources and notes that hold '@' mentions and package versions (which are not
 * addresses), and an `email` field with a real address in four entries spread over the line.
 */
function logLine(chars: number): BuiltInput {
  const head = '{"level":"info","msg":"handoff batch","leads":[';
  const tail = ']}';
  const entry = (i: number) =>
    `{"hubspotId":"${100_000 + i}","leadId":"00Q5g0000${String(i).padStart(6, '0')}","score":${(i * 37) % 100},` +
    `"source":"${i % 3 === 0 ? 'demo-request' : 'webinar'}","note":"ping @owner${i % 7}, client pkg@1.${i % 10}.0 on node@24.x"},`;
  const addressEntry = (i: number, address: string) => `{"hubspotId":"${100_000 + i}","email":"${address}","source":"demo-request"},`;
  const fixed = head.length + tail.length + LOG_LINE_ADDRESSES.reduce((sum, address, i) => sum + addressEntry(i, address).length, 0);
  const fillerBudget = chars - fixed;
  if (fillerBudget < 0) throw new Error(`a log line of ${chars} characters cannot hold its addresses`);
  // Ordinary entries up to the budget, the last one cut to fit; the address entries go at four fixed fractions.
  const filler: string[] = [];
  let used = 0;
  for (let i = 0; used < fillerBudget; i += 1) {
    const next = entry(i);
    const take = Math.min(next.length, fillerBudget - used);
    filler.push(next.slice(0, take));
    used += take;
  }
  const parts: string[] = [head];
  const at = LOG_LINE_ADDRESSES.map((_, i) => Math.floor((filler.length * (2 * i + 1)) / (2 * LOG_LINE_ADDRESSES.length)));
  filler.forEach((piece, index) => {
    at.forEach((position, i) => {
      if (position === index) parts.push(addressEntry(i, LOG_LINE_ADDRESSES[i]!));
    });
    parts.push(piece);
  });
  parts.push(tail);
  return { text: parts.join(''), addresses: LOG_LINE_ADDRESSES };
}

/** `pattern` repeated and cut to exactly `length`. */
function cycle(pattern: string, length: number): string {
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

/**
 * What is wrong with `output` as the redaction of `input`, or undefined when nothing is. An address leaks when
 * it, its local part with the '@', or the '@' with its domain is still in the output (a partial mask leaks too).
 */
export function redactionProblem(input: BuiltInput, output: unknown): string | undefined {
  if (typeof output !== 'string') return `redact returned ${typeof output}, not a string`;
  if (!input.addresses) return output === input.text ? undefined : 'changed a string that holds no address';
  const leaked = input.addresses.filter((address) => {
    const at = address.indexOf('@');
    return output.includes(address) || output.includes(address.slice(0, at + 1)) || output.includes(address.slice(at));
  });
  return leaked.length === 0 ? undefined : `LEFT UNMASKED: ${leaked.join(', ')}`;
}
