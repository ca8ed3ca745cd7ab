import { isIP, isIPv4 } from 'node:net';

/**
 * What Express's `trust proxy` setting accepts ("Express behind proxies", expressjs.com/en/guide/behind-proxies):
 * `true` (the left-most X-Forwarded-For entry is the client), `false` (the socket's address is the client), a
 * number (trust that many hops from the front-facing proxy), or addresses and subnets to trust as proxies, with
 * the names loopback (127.0.0.1/8, ::1/128), linklocal and uniquelocal. A custom function is not offered.
 */
export type TrustProxy = boolean | number | string[];

const SUBNET_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const TRUST_PROXY_HELP =
  'must be false, true, a hop count (0, 1, 2…), or a comma list of addresses, CIDR subnets, loopback, linklocal or uniquelocal';

/** One list entry: a subnet name, an address, address/prefix length, or IPv4 address/netmask (as proxy-addr takes them). */
function entryProblem(entry: string): string | undefined {
  if (SUBNET_NAMES.has(entry)) return undefined;
  const [address = '', range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `"${entry}" is not an address, a subnet or one of loopback, linklocal, uniquelocal`;
  if (range === undefined) return undefined;
  if (/^\d{1,3}$/.test(range) && Number(range) <= (family === 4 ? 32 : 128)) return undefined;
  if (family === 4 && isIPv4(range)) return undefined;
  return `"${entry}" has a prefix length that is not 0 to ${family === 4 ? 32 : 128}`;
}

/** The setting from its text, or why the text is not one (the entries are addresses, never secrets, so they are named). */
export function parseTrustProxy(text: string): { value: TrustProxy } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === 'true') return { value: true };
  if (trimmed === 'false') return { value: false };
  if (/^\d+$/.test(trimmed)) return { value: Number(trimmed) };
  const entries = trimmed.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) return { problem: `${TRUST_PROXY_HELP}; an entry is empty` };
  const problems = entries.map(entryProblem).filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) return { problem: `${TRUST_PROXY_HELP}; ${problems.join('; ')}` };
  return { value: entries };
}
