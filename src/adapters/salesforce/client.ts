import jsforce, { type Connection } from 'jsforce';
import type { Priority } from '../../core/budget/priority.ts';
import { ProviderError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { type RetryPolicy, withRetry } from '../retry.ts';
import { type SalesforceAuth, tokenRequester } from './auth.ts';
import type { SalesforceCallBudget } from './call-budget.ts';
import { toProviderError } from './errors.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import type { ApiUsage } from './salesforce-port.ts';

export interface SalesforceAdapterOptions {
  loginUrl: string;
  /** Where API calls go until the first token answer names the instance (client credentials and JWT: the login URL). */
  instanceUrl?: string;
  /** The grant to log in with; left out, the refresh-token flow from clientId, clientSecret and refreshToken. */
  auth?: SalesforceAuth;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  apiVersion: string;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Lead field holding our external id, read back by findByEmails. */
  leadExternalIdField?: string;
  requestTimeoutMs?: number;
  /** The budget shared by every replica (allocation, org limit, outages). Left out: no limits of ours. */
  budget?: SalesforceCallBudget | undefined;
  /** The priority of this instance's calls; default `sync`. Views for other priorities: `withPriority`. */
  priority?: Priority;
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Reads a 2xx answer for a refusal carried in its body (an invocable action's `isSuccess: false`); what it
   * returns is thrown as the call's failure, so it is retried, budgeted and classified like a failed HTTP call.
   */
  refusal?: (body: unknown) => ProviderError | undefined;
}

/** A jsforce Connection plus the one door every call goes through (budget, token, retry, error mapping). */
export interface SalesforceClient {
  send<T>(operation: string, call: HttpCall, priority: Priority): Promise<T>;
  apiUsage(): ApiUsage | undefined;
  /** The versions the org offers (REST API "Versions" resource, `GET /services/data/`; not counted against the limit). */
  offeredVersions(): Promise<string[]>;
  readonly apiVersion: string;
  readonly authFlow: SalesforceAuth['flow'];
  /** The org's instance, as the last login answered it (links to records point here). */
  instanceUrl(): string;
  /** The User Id every call of ours runs as, from the last token answer's identity URL; undefined before a login. */
  integrationUserId(): string | undefined;
  /** What the Pub/Sub API's metadata headers carry, from the same login as REST (logging in first if no token yet). */
  pubSubCredentials(): Promise<PubSubCredentials>;
  /** Asks the token endpoint for a new access token now (after a Pub/Sub UNAUTHENTICATED); a refused grant throws. */
  renewAccessToken(): Promise<void>;
}

/**
 * The Pub/Sub API's metadata headers ("Authentication", Pub/Sub API Developer Guide): `accesstoken` the OAuth access
 * token, `instanceurl` the org's instance URL, `tenantid` the org id.
 */
export interface PubSubCredentials {
  accessToken: string;
  instanceUrl: string;
  tenantId: string;
}

/**
 * A token answer's `id` is the identity URL, `https://login.salesforce.com/id/<org id>/<user id>` (Salesforce Mobile
 * SDK guide, "Using Identity URLs"): its last segment is the User the token acts as.
 */
export function userIdFromIdentityUrl(identityUrl: unknown): string | undefined {
  if (typeof identityUrl !== 'string') return undefined;
  const last = identityUrl.replace(/\/+$/, '').split('/').at(-1) ?? '';
  return /^005[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/.test(last) ? last : undefined;
}

/** The identity URL's second-to-last segment is the org (tenant) the token belongs to; org ids start with 00D. */
export function orgIdFromIdentityUrl(identityUrl: unknown): string | undefined {
  if (typeof identityUrl !== 'string') return undefined;
  const org = identityUrl.replace(/\/+$/, '').split('/').at(-2) ?? '';
  return /^00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/.test(org) ? org : undefined;
}

function authOf(options: SalesforceAdapterOptions): SalesforceAuth {
  if (options.auth) return options.auth;
  return {
    flow: 'refresh_token',
    clientId: options.clientId ?? '',
    clientSecret: options.clientSecret ?? '',
    refreshToken: options.refreshToken ?? '',
  };
}

function checkVersion(apiVersion: string): void {
  const major = Number(/^(\d+)\.\d$/.exec(apiVersion)?.[1]);
  if (!Number.isFinite(major) || major < SALESFORCE_LIMITS.minApiVersion) {
    throw new Error(`Salesforce API version must look like "66.0" and be >= ${SALESFORCE_LIMITS.minApiVersion}.0, got "${apiVersion}"`);
  }
}

/** The /limits answer: `DailyApiRequests: { Max, Remaining }` (REST API "List Organization Limits"). */
function usageFromLimits(body: unknown): ApiUsage {
  const daily = (body as Record<string, { Max?: unknown; Remaining?: unknown } | undefined>)?.[
    SALESFORCE_LIMITS.limitsResource.dailyApiRequests
  ];
  const max = Number(daily?.Max);
  const remaining = Number(daily?.Remaining);
  if (!Number.isFinite(max) || !Number.isFinite(remaining)) throw new Error('the /limits answer has no DailyApiRequests');
  return { used: Math.max(0, max - remaining), limit: max };
}

/**
 * jsforce refreshes the access token by itself when a call answers 401 and replays the call, once. Our
 * refresh function asks again with the configured grant (refresh token, client credentials or a newly signed
 * JWT: the two server-to-server flows have no refresh token) and keeps the token endpoint's own error, so a
 * refused grant (invalid_grant: needs a person) is told apart from a network failure (retried). There is no
 * token before the first call, so we fetch one up front instead of spending a 401. jsforce's own transport
 * retries stay off (maxRetries 0) so every wait is chosen by withRetry.
 */
export function createSalesforceClient(options: SalesforceAdapterOptions): SalesforceClient {
  checkVersion(options.apiVersion);
  const logger = options.logger.child({ module: 'salesforce' });
  const { budget } = options;
  let refreshFailure: unknown;
  let userId: string | undefined;
  let orgId: string | undefined;
  const auth = authOf(options);
  const requestToken = tokenRequester(auth, options.loginUrl);
  const conn: Connection = new jsforce.Connection({
    instanceUrl: options.instanceUrl || options.loginUrl,
    version: options.apiVersion,
    refreshFn: (c, callback) => {
      requestToken().then(
        (result) => {
          refreshFailure = undefined;
          userId = userIdFromIdentityUrl(result.id) ?? userId;
          orgId = orgIdFromIdentityUrl(result.id) ?? orgId;
          c.instanceUrl = result.instance_url || c.instanceUrl;
          callback(undefined, result.access_token, result);
        },
        (error: Error) => {
          refreshFailure = error;
          callback(error);
        },
      );
    },
  });
  conn.on('refresh', () => logger.info('salesforce access token renewed after 401', { flow: auth.flow }));
  const transportOptions = { retry: { maxRetries: 0 }, timeout: options.requestTimeoutMs ?? SALESFORCE_LIMITS.requestTimeoutMs };
  let firstToken: Promise<void> | undefined;

  const obtainToken = async (): Promise<void> => {
    const result = await requestToken();
    userId = userIdFromIdentityUrl(result.id) ?? userId;
    orgId = orgIdFromIdentityUrl(result.id) ?? orgId;
    conn.accessToken = result.access_token;
    conn.instanceUrl = result.instance_url || conn.instanceUrl;
  };
  const ensureToken = async (): Promise<void> => {
    if (conn.accessToken) return;
    firstToken ??= obtainToken()
      .then(() => void logger.info('salesforce access token obtained', { flow: auth.flow }))
      .finally(() => {
        firstToken = undefined;
      });
    await firstToken;
  };
  const usage = (): ApiUsage | undefined => {
    const apiUsage = conn.limitInfo?.apiUsage;
    return apiUsage ? { used: apiUsage.used, limit: apiUsage.limit } : undefined;
  };
  /** A refresh that failed inside jsforce surfaces as "Unable to refresh session"; its real cause decides. */
  const classify = (error: unknown): unknown => {
    const cause = error instanceof Error && error.message.startsWith('Unable to refresh session') ? (refreshFailure ?? error) : error;
    return toProviderError(cause);
  };
  const request = async <T>(call: HttpCall): Promise<T> => {
    await ensureToken();
    const headers = {
      [SALESFORCE_LIMITS.callOptions.header]: `client=${SALESFORCE_LIMITS.callOptions.client}`,
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...call.headers,
    };
    const sent = { method: call.method, url: call.url, headers, ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}) };
    return conn.request<T>(sent, transportOptions);
  };

  /** Budget bookkeeping after an answer must never turn a done call into a failed (and retried) one. */
  const quietly = async (work: Promise<void> | undefined): Promise<void> => {
    try {
      await work;
    } catch (error) {
      logger.warn('could not record the Salesforce budget', { error });
    }
  };
  const attempt = async <T>(call: HttpCall, priority: Priority): Promise<T> => {
    if (budget) await budget.beforeCall(priority);
    try {
      const body = await request<T>(call);
      const refused = call.refusal?.(body);
      if (refused) throw refused;
      await quietly(budget?.afterAnswer(usage()));
      return body;
    } catch (error) {
      const failure = classify(error);
      await quietly(budget?.afterAnswer(usage()));
      if (failure instanceof ProviderError) await quietly(budget?.onFailure(failure));
      throw failure;
    }
  };

  budget?.connect({
    probeLimits: async () => {
      try {
        return usageFromLimits(
          await request({ method: 'GET', url: `/services/data/v${options.apiVersion}/${SALESFORCE_LIMITS.limitsResource.path}` }),
        );
      } catch (error) {
        throw classify(error);
      }
    },
    refreshToken: async () => {
      try {
        await obtainToken();
      } catch (error) {
        throw toProviderError(error);
      }
    },
  });

  let renewal: Promise<void> | undefined;
  /** One renewal at a time: callers failing together share it instead of each spending a token request. */
  const renewAccessToken = async (): Promise<void> => {
    renewal ??= obtainToken()
      .then(() => void logger.info('salesforce access token renewed for the Pub/Sub API', { flow: auth.flow }))
      .catch((error: unknown) => {
        throw toProviderError(error);
      })
      .finally(() => {
        renewal = undefined;
      });
    await renewal;
  };
  const pubSubCredentials = async (): Promise<PubSubCredentials> => {
    await ensureToken();
    if (!conn.accessToken || !orgId)
      throw new Error('the Salesforce token answer named no org id (identity URL), so Pub/Sub has no tenantid');
    return { accessToken: conn.accessToken, instanceUrl: conn.instanceUrl, tenantId: orgId };
  };

  return {
    apiVersion: options.apiVersion,
    pubSubCredentials,
    renewAccessToken,
    authFlow: auth.flow,
    instanceUrl: () => conn.instanceUrl,
    integrationUserId: () => userId,
    offeredVersions: async () => {
      try {
        const list = await request<unknown>({ method: 'GET', url: '/services/data/' });
        return Array.isArray(list) ? list.map((entry) => String((entry as { version?: unknown }).version)) : [];
      } catch (error) {
        throw classify(error);
      }
    },
    send: <T>(operation: string, call: HttpCall, priority: Priority) =>
      withRetry(() => attempt<T>(call, priority), {
        logger,
        operation,
        ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      }),
    apiUsage: usage,
  };
}
