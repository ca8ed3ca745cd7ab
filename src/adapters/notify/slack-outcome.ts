import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import type { DeliveryOutcome } from '../../core/routing/owner-notification.ts';
import { SLACK_AUTH_ERRORS, SLACK_RETRYABLE_ERRORS } from './limits.ts';

/** What a failed Web API call means for this notification: a retry, or undeliverable with Slack's code. */
export type SlackFailure = Exclude<DeliveryOutcome, { status: 'delivered' }>;

const isCoded = (error: unknown): error is WebAPICallError => {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
};

/** The platform error code (`{ ok: false, error }`), when the call got one. */
export function slackErrorCode(error: unknown): string | undefined {
  return isCoded(error) && error.code === ErrorCode.PlatformError ? error.data.error : undefined;
}

function platformFailure(method: string, code: string): SlackFailure {
  if (SLACK_RETRYABLE_ERRORS.has(code)) return { status: 'retry', reason: `Slack ${method}: ${code}` };
  if (SLACK_AUTH_ERRORS.has(code)) {
    return { status: 'undeliverable', reason: `Slack ${method}: ${code} (the bot token is refused or lacks a scope; fix the Slack app)` };
  }
  return { status: 'undeliverable', reason: `Slack ${method}: ${code}` };
}

/** A transport failure's own code (ECONNREFUSED, ETIMEDOUT…), never its message or request, which carry headers. */
function transportCode(error: { original?: unknown }): string {
  const code = (error.original as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'request failed';
}

/**
 * Sorts what the WebClient threw (with its own retries off and rate limits rejected) into an outcome. Messages are
 * built from codes only: the client's errors hold the request, whose headers carry the bot token.
 * Anything that is not the client's coded error is a bug and is rethrown.
 */
export function slackFailureOf(method: string, error: unknown): SlackFailure {
  if (!isCoded(error)) {
    // The client aborts a 429 that has no usable Retry-After with a plain Error; Slack still asked us to wait.
    if (error instanceof Error && error.message.startsWith('Retry header did not contain a valid timeout')) {
      return { status: 'retry', reason: `Slack ${method}: HTTP 429 without Retry-After` };
    }
    throw error;
  }
  switch (error.code) {
    case ErrorCode.RateLimitedError:
      return { status: 'retry', reason: `Slack ${method}: rate limited (HTTP 429)`, retryAfterMs: error.retryAfter * 1000 };
    case ErrorCode.PlatformError:
      return platformFailure(method, error.data.error);
    case ErrorCode.HTTPError:
      return error.statusCode >= 500 || error.statusCode === 408
        ? { status: 'retry', reason: `Slack ${method}: HTTP ${error.statusCode}` }
        : { status: 'undeliverable', reason: `Slack ${method}: HTTP ${error.statusCode} (check SLACK_API_URL)` };
    case ErrorCode.RequestError:
      return { status: 'retry', reason: `Slack ${method}: network error ${transportCode(error)}` };
    default:
      throw error;
  }
}
