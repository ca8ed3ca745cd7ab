import { ProviderError } from '../../errors.ts';
import { parseRetryAfter } from '../retry.ts';
import { HUBSPOT_LIMITS } from './limits.ts';

/** HubSpot's error body: `{ status: 'error', message, correlationId, category, errors?, policyName? }`. */
interface HubSpotErrorBody {
  message?: string;
  category?: string;
  correlationId?: string;
  policyName?: string;
  errorType?: string;
}

/** What the v14 client's ApiException carries: the HTTP code, the parsed body, the response headers. */
export interface ApiExceptionLike {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function isApiException(error: unknown): error is ApiExceptionLike {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Partial<ApiExceptionLike>;
  return typeof candidate.code === 'number' && 'body' in candidate && typeof candidate.headers === 'object';
}

function readBody(body: unknown): HubSpotErrorBody {
  if (typeof body === 'string') {
    try {
      return readBody(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 200) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as HubSpotErrorBody) : {};
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Maps an HTTP error answer from HubSpot to a ProviderError with the retry facts filled in. */
function fromHttpError(operation: string, exception: ApiExceptionLike, now: number = Date.now()): ProviderError {
  const status = exception.code;
  const body = readBody(exception.body);
  const retryAfterMs = parseRetryAfter(header(exception.headers, 'retry-after'), now);
  const detail = `${body.category ?? body.errorType ?? 'ERROR'}: ${body.message ?? 'no message'}`;
  const message = `HubSpot ${operation} failed with ${status} ${detail}`;
  const base = { status, cause: exception };
  if (status === 429) {
    if (body.policyName === HUBSPOT_LIMITS.rateLimitPolicies.daily) {
      // The daily quota only resets at midnight: retrying in seconds is pointless, so ask for a long wait.
      const wait = Math.max(retryAfterMs ?? 0, HUBSPOT_LIMITS.dailyLimitRetryAfterMs);
      return new ProviderError('hubspot', message, { ...base, retryable: true, retryAfterMs: wait, code: 'RATE_LIMIT_DAILY' });
    }
    return new ProviderError('hubspot', message, { ...base, retryable: true, retryAfterMs, code: body.policyName ?? 'RATE_LIMIT' });
  }
  if (status >= 500 || status === 408) {
    return new ProviderError('hubspot', message, { ...base, retryable: true, retryAfterMs, code: body.category });
  }
  return new ProviderError('hubspot', message, { ...base, retryable: false, code: body.category });
}

function networkCode(error: Error): string | undefined {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'TIMEOUT';
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && NETWORK_CODES.has(own)) return own;
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  // Node's fetch reports every transport failure as TypeError('fetch failed').
  if (error instanceof TypeError && error.message === 'fetch failed') return 'NETWORK';
  return undefined;
}

/** Anything thrown while calling HubSpot becomes a ProviderError; unknown failures are permanent. */
export function toProviderError(operation: string, error: unknown, now: number = Date.now()): ProviderError {
  if (error instanceof ProviderError) return error;
  if (isApiException(error)) return fromHttpError(operation, error, now);
  if (error instanceof Error) {
    const code = networkCode(error);
    if (code) {
      return new ProviderError('hubspot', `HubSpot ${operation} could not be reached: ${code}`, { retryable: true, code, cause: error });
    }
    return new ProviderError('hubspot', `HubSpot ${operation} failed unexpectedly: ${error.message}`, { retryable: false, cause: error });
  }
  return new ProviderError('hubspot', `HubSpot ${operation} failed: ${String(error)}`, { retryable: false, cause: error });
}

interface ResponseContextLike {
  httpStatusCode: number;
  headers: Record<string, string>;
  body: { text(): Promise<string> };
}

/**
 * The generated client cannot parse an error answer without a JSON content type (a gateway's 502 page,
 * an empty 503) and then throws a bare Error that has lost the status. This middleware rethrows such
 * answers in the ApiException shape, so toProviderError still sees the status and headers.
 */
export const nonJsonErrorMiddleware = {
  pre: (ctx: unknown): unknown => ctx,
  post: async (ctx: unknown): Promise<unknown> => {
    const response = ctx as ResponseContextLike;
    const type = header(response.headers, 'content-type') ?? '';
    if (response.httpStatusCode < 400 || /json/i.test(type)) return ctx;
    const text = await response.body.text();
    const exception: ApiExceptionLike = { code: response.httpStatusCode, body: text, headers: response.headers };
    throw Object.assign(new Error(`HTTP ${response.httpStatusCode}`), exception);
  },
};
