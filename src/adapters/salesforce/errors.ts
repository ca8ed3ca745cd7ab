import { ProviderError } from '../../errors.ts';
import { actionFailureInText } from './action-answer.ts';
import { classifyErrorCode, SALESFORCE_LIMITS } from './limits.ts';

/** HTTP statuses Salesforce pairs with the codes we see in whole-request errors. */
const STATUS_BY_CODE: Record<string, number> = {
  REQUEST_LIMIT_EXCEEDED: 403,
  SERVER_UNAVAILABLE: 503,
  UNKNOWN_EXCEPTION: 500,
  INVALID_SESSION_ID: 401,
  NOT_FOUND: 404,
};

/** OAuth token endpoint errors (RFC 6749 names as Salesforce uses them): all need a person, none retry. */
const OAUTH_ERRORS = new Set(['invalid_grant', 'invalid_client', 'invalid_client_id', 'unsupported_grant_type', 'invalid_request']);

interface JsforceApiError {
  errorCode?: unknown;
  message?: unknown;
  data?: unknown;
  name?: unknown;
  cause?: unknown;
}

function statusOf(code: string): number | undefined {
  const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
  return http?.[1] ? Number(http[1]) : STATUS_BY_CODE[code];
}

/** A Salesforce error code and message as our provider error; `status` when the HTTP status is known. */
export function fromApiError(code: string, message: string, cause: unknown, status?: number): ProviderError {
  const kind = classifyErrorCode(code);
  const known = status ?? statusOf(code);
  return new ProviderError('salesforce', `${code}: ${message}`, {
    code,
    retryable: kind === 'retry',
    cause,
    ...(known !== undefined ? { status: known } : {}),
  });
}

/** jsforce folds several errors into MULTIPLE_API_ERRORS with the array in `data`; the first one decides. */
function firstCode(error: JsforceApiError): { code: string; message: string } {
  if (error.errorCode === 'MULTIPLE_API_ERRORS' && Array.isArray(error.data)) {
    const first = error.data[0] as { errorCode?: unknown; message?: unknown } | undefined;
    if (typeof first?.errorCode === 'string') return { code: first.errorCode, message: String(first.message ?? '') };
  }
  return { code: String(error.errorCode), message: typeof error.message === 'string' ? error.message.slice(0, 500) : '' };
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SALESFORCE_LIMITS.networkErrorCodes as readonly string[]).includes(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns whatever jsforce threw into a ProviderError: Salesforce error codes keep their code and
 * message (never the token), transport failures and timeouts are retryable, token refusals are not.
 * Anything unrecognised is a bug and is rethrown as is.
 */
export function toProviderError(error: unknown): unknown {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as JsforceApiError;
  // An invocable action refused with a non-2xx status: its answer body names the real code and message.
  const refused = typeof e.errorCode === 'string' ? actionFailureInText(e.message) : undefined;
  if (refused) return fromApiError(refused.code, refused.message, error, statusOf(String(e.errorCode)));
  if (typeof e.errorCode === 'string') return fromApiError(firstCode(e).code, firstCode(e).message, error);
  if (typeof e.name === 'string' && OAUTH_ERRORS.has(e.name)) {
    return new ProviderError('salesforce', `token refresh refused: ${e.name}`, {
      status: 400,
      code: e.name,
      retryable: false,
      cause: error,
    });
  }
  if (typeof e.name === 'string' && /^ERROR_HTTP_\d{3}$/.test(e.name)) return fromApiError(e.name, 'token endpoint failed', error);
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new ProviderError('salesforce', 'request timed out', { code: 'TIMEOUT', retryable: true, cause: error });
  }
  const network = networkCode(error);
  if (network || (error instanceof TypeError && /fetch failed/i.test(error.message))) {
    return new ProviderError('salesforce', `network error: ${network ?? 'fetch failed'}`, {
      code: network ?? 'NETWORK',
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof Error && error.message.startsWith('Unable to refresh session')) {
    return new ProviderError('salesforce', 'session expired and could not be refreshed', {
      status: 401,
      code: 'INVALID_SESSION_ID',
      retryable: false,
      cause: error,
    });
  }
  return error;
}
