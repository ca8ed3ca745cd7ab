/** Provider limits the notification channels respect, each naming the vendor document it comes from. */
export const NOTIFY_LIMITS = {
  slack: {
    /** Block Kit reference, "Header block": `text` is plain_text, maximum 150 characters. */
    headerText: 150,
    /** Block Kit reference, "Section block": at most 10 `fields`, each at most 2000 characters. */
    sectionFields: 10,
    fieldText: 2000,
    /** Block Kit reference, "Button element": `text` maximum 75 characters, `url` maximum 3000 characters. */
    buttonText: 75,
    buttonUrl: 3000,
    /** chat.postMessage, "Truncating content": `text` is truncated past 40,000 characters; we stay well below. */
    fallbackText: 4000,
    /** Our own: a bounded wait for one Web API call; the queue retries a timeout. */
    timeoutMs: 10_000,
  },
  email: {
    /** Our own: bounded SMTP waits so a stuck server becomes a retry, not a hung job (nodemailer defaults are minutes). */
    connectionTimeoutMs: 10_000,
    greetingTimeoutMs: 10_000,
    socketTimeoutMs: 30_000,
  },
  salesforce: {
    /** Actions Developer Guide, "Custom Notification Actions": title maximum 250 characters, body maximum 750. */
    title: 250,
    body: 750,
  },
} as const;

/**
 * Slack Web API error codes (each method's "Errors" table, and "Rate limits") sorted by what trying again would do.
 * Anything not listed is treated as permanent: the work is parked with the code, and a person decides.
 */
export const SLACK_RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** The token is wrong, revoked or lacks a scope: no retry helps until someone fixes the app's installation. */
export const SLACK_AUTH_ERRORS: ReadonlySet<string> = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'ekm_access_denied',
  'team_access_not_granted',
  'org_login_required',
]);
