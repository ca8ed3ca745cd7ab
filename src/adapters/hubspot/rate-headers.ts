import type { HubSpotRateHeaders } from './call-budget.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

const NAMES = HUBSPOT_LIMITS.rateLimitHeaders;

function headerNumber(headers: Record<string, string>, name: string): number | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const number = Number(value);
    return Number.isFinite(number) && number >= 0 ? number : undefined;
  }
  return undefined;
}

/** The X-HubSpot-RateLimit-* values of one answer; absent or malformed headers are left out. */
function readRateHeaders(headers: Record<string, string>): HubSpotRateHeaders {
  const read: HubSpotRateHeaders = {};
  const pairs: [keyof HubSpotRateHeaders, string][] = [
    ['max', NAMES.max],
    ['intervalMs', NAMES.intervalMs],
    ['remaining', NAMES.remaining],
    ['daily', NAMES.daily],
    ['dailyRemaining', NAMES.dailyRemaining],
  ];
  for (const [key, name] of pairs) {
    const value = headerNumber(headers, name);
    if (value !== undefined) read[key] = value;
  }
  return read;
}

/**
 * Client middleware: every answer (errors included) passes its rate-limit headers to `observe` before the SDK
 * parses it. A failure to record them is reported, never thrown into the call.
 */
export function rateHeadersMiddleware(observe: (headers: HubSpotRateHeaders) => Promise<void>, onError: (error: unknown) => void) {
  return {
    pre: (ctx: unknown): unknown => ctx,
    post: async (ctx: unknown): Promise<unknown> => {
      const headers = (ctx as { headers?: Record<string, string> }).headers ?? {};
      try {
        await observe(readRateHeaders(headers));
      } catch (error) {
        onError(error);
      }
      return ctx;
    },
  };
}
