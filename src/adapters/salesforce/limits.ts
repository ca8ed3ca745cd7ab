/**
 * Salesforce REST API rules Handoff depends on, in one place. Each entry names the vendor rule.
 */
export const SALESFORCE_LIMITS = {
  /**
   * Call Options header (REST API Developer Guide, "Call Options Header"): `client=<name>` names the caller; Change
   * Data Capture repeats it in a change's `changeOrigin` ("ChangeEventHeader Fields"), so our own writes are known.
   */
  callOptions: { header: 'Sforce-Call-Options', client: 'Handoff' },
  /** sObject Collections (create/update/upsert) take at most 200 records per request. */
  collectionBatchSize: 200,
  /** SOQL query batches: 2,000 by default; Sforce-Query-Options batchSize accepts 200..2,000 (a hint, not a promise). */
  queryBatch: { default: 2000, min: 200, max: 2000 },
  /** The Sforce-Query-Options request header carries `batchSize=N`. */
  queryOptionsHeader: 'Sforce-Query-Options',
  /**
   * Every REST response reports the org's rolling 24h API usage as `api-usage=used/limit` (Limit Info
   * Header). Only calls to the Versions URI (`/services/data/`) are documented as not counting.
   */
  limitInfoHeader: 'Sforce-Limit-Info',
  /**
   * `GET /services/data/vXX.X/limits` (v29.0+, needs View Setup and Configuration) answers every org limit as
   * `{ Max, Remaining }`; `DailyApiRequests` is the API budget. Salesforce documents no exemption for it, so
   * we treat it as a counted call and use it sparingly: one probe across replicas while the budget is spent.
   */
  limitsResource: { path: 'limits', dailyApiRequests: 'DailyApiRequests' },
  /**
   * Collections upsert by external id needs API v46.0+; we always pin the version from config
   * because jsforce's built-in default is older than the features we use.
   */
  minApiVersion: 46,
  /**
   * SOQL travels in the query string of a GET and Salesforce caps the URI at about 16,000
   * characters; 100 URL-encoded addresses (≤ 80 chars each, the Email field length) stay under it.
   */
  emailsPerQuery: 100,
  /**
   * Composite (POST /composite): up to 25 subrequests, at most 5 of them query or sObject Collections
   * operations, and the whole request counts as ONE call against the org's API limit (REST API Developer
   * Guide, "Send Multiple Requests Using Composite"; Composite Batch, by contrast, counts every subrequest).
   */
  composite: { maxSubrequests: 25, maxQuerySubrequests: 5 },
  /**
   * Assignment Rule header (REST API Developer Guide, "Assignment Rule Header"). Absent, the org's active
   * assignment rule runs on every Lead create AND update (default TRUE), which would re-route a Lead a rep already
   * owns; FALSE runs none; an AssignmentRule id (key prefix 01Q) runs that rule, for created Leads only.
   */
  assignmentRuleHeader: {
    name: 'Sforce-Auto-Assign',
    activeRule: 'TRUE',
    noRule: 'FALSE',
    ruleIdPattern: /^01Q[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/,
  },
  /**
   * Ids and API names per SOQL IN list: 200 quoted 18-character ids (or 80-character DeveloperNames) stay far under
   * the ~16,000-character URI and the 100,000-character statement (SOQL and SOSL Reference, "SOQL and SOSL Limits").
   */
  idsPerQuery: 200,
  /** One `Website LIKE '%domain%'` clause per domain (≤ 253 characters each): 40 keep one query's URI under 16,000. */
  domainsPerQuery: 40,
  /**
   * Actions Developer Guide, "Custom Notification Actions" (API 46.0+): `POST actions/standard/customNotificationAction`
   * with `{ inputs: [...] }`; at most 500 recipients, a title of 250 and a body of 750 characters. Each input is
   * answered `{ actionName, errors, isSuccess, outputValues }`.
   */
  customNotification: {
    path: 'actions/standard/customNotificationAction',
    maxRecipients: 500,
    maxTitle: 250,
    maxBody: 750,
    /**
     * Our own bound, not Salesforce's: the guide takes `inputs` as a list and names no maximum, so a pass's
     * notifications go together in requests of at most this many inputs (each well under 2 KB).
     */
    inputsPerCall: 50,
  },
  /** Transport timeout per HTTP call; jsforce's own default is 30 minutes. */
  requestTimeoutMs: 60_000,
  errorCodes: {
    /** Transient on Salesforce's side (REST error codes doc: 5xx, row locks, maintenance): retry with backoff. */
    retry: [
      'SERVER_UNAVAILABLE',
      'UNABLE_TO_LOCK_ROW',
      'UNKNOWN_EXCEPTION',
      'REQUEST_RUNNING_TOO_LONG',
      'QUERY_TIMEOUT',
      'ERROR_HTTP_500',
      'ERROR_HTTP_502',
      'ERROR_HTTP_503',
      'ERROR_HTTP_504',
    ],
    /** The org's daily API budget is spent (403 REQUEST_LIMIT_EXCEEDED): park until it recovers, do not hammer. */
    budget: ['REQUEST_LIMIT_EXCEEDED'],
    /** Record data Salesforce rejects; retrying the same data cannot succeed, so the item is parked for a person. */
    park: [
      'REQUIRED_FIELD_MISSING',
      'INVALID_FIELD',
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'DUPLICATES_DETECTED',
      'DUPLICATE_VALUE',
      'DUPLICATE_EXTERNAL_ID',
      'STRING_TOO_LONG',
      'INVALID_EMAIL_ADDRESS',
      'JSON_PARSER_ERROR',
      'MALFORMED_QUERY',
      'INVALID_TYPE',
      'EXCEEDED_ID_LIMIT',
      'CANNOT_UPDATE_CONVERTED_LEAD',
      'ENTITY_IS_DELETED',
      'INVALID_CROSS_REFERENCE_KEY',
      // An owner the org refuses (inactive user, a queue that cannot own Leads): a person must fix the routing.
      'INACTIVE_OWNER_OR_USER',
      'FIELD_INTEGRITY_EXCEPTION',
      'MALFORMED_ID',
    ],
  },
  /** Transport failures worth another attempt (connection refused/reset, DNS, socket). */
  networkErrorCodes: [
    'ECONNRESET',
    'ECONNREFUSED',
    'ENOTFOUND',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
  ],
} as const;

export type SalesforceErrorClass = 'retry' | 'budget' | 'park' | 'permanent';

/** Which bucket a Salesforce errorCode (or per-record statusCode) falls in. */
export function classifyErrorCode(code: string): SalesforceErrorClass {
  const { errorCodes } = SALESFORCE_LIMITS;
  if ((errorCodes.retry as readonly string[]).includes(code) || /^ERROR_HTTP_5\d\d$/.test(code)) return 'retry';
  if ((errorCodes.budget as readonly string[]).includes(code)) return 'budget';
  if ((errorCodes.park as readonly string[]).includes(code)) return 'park';
  return 'permanent';
}
