import jsforce, { type Connection } from 'jsforce';
import type { Logger } from '../../log.ts';
import { withRetry, type RetryPolicy } from '../retry.ts';
import { toProviderError } from './errors.ts';
import { SALESFORCE_LIMITS } from './limits.ts';
import type { ApiUsage } from './salesforce-port.ts';

export interface SalesforceAdapterOptions {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  apiVersion: string;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Lead field holding our external id, read back by findByEmails. */
  leadExternalIdField?: string;
  requestTimeoutMs?: number;
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A jsforce Connection plus the one door every call goes through (token, retry, error mapping). */
export interface SalesforceClient {
  send<T>(operation: string, call: HttpCall): Promise<T>;
  apiUsage(): ApiUsage | undefined;
  readonly apiVersion: string;
}

function checkVersion(apiVersion: string): void {
  const major = Number(/^(\d+)\.\d$/.exec(apiVersion)?.[1]);
  if (!Number.isFinite(major) || major < SALESFORCE_LIMITS.minApiVersion) {
    throw new Error(`Salesforce API version must look like "62.0" and be >= ${SALESFORCE_LIMITS.minApiVersion}.0, got "${apiVersion}"`);
  }
}

/**
 * jsforce refreshes the access token by itself when a call answers 401 (its session-refresh
 * delegate, set up because oauth2 has a clientId and we give a refreshToken) and replays the call.
 * It has no token before the first call, so we fetch one up front instead of spending a 401.
 * Its transport also retries GETs on 5xx with its own backoff; we turn that off (maxRetries 0) so
 * every wait is chosen by withRetry and can be injected in tests.
 */
export function createSalesforceClient(options: SalesforceAdapterOptions): SalesforceClient {
  checkVersion(options.apiVersion);
  const logger = options.logger.child({ module: 'salesforce' });
  const conn: Connection = new jsforce.Connection({
    oauth2: { loginUrl: options.loginUrl, clientId: options.clientId, clientSecret: options.clientSecret },
    instanceUrl: options.instanceUrl,
    refreshToken: options.refreshToken,
    version: options.apiVersion,
  });
  conn.on('refresh', () => logger.info('salesforce access token refreshed after 401'));
  const transportOptions = { retry: { maxRetries: 0 }, timeout: options.requestTimeoutMs ?? SALESFORCE_LIMITS.requestTimeoutMs };
  let firstToken: Promise<void> | undefined;

  const ensureToken = async (): Promise<void> => {
    if (conn.accessToken) return;
    firstToken ??= (async () => {
      const result = await conn.oauth2.refreshToken(options.refreshToken);
      conn.accessToken = result.access_token;
      conn.instanceUrl = result.instance_url || options.instanceUrl;
      logger.info('salesforce access token obtained');
    })().finally(() => { firstToken = undefined; });
    await firstToken;
  };

  const attempt = async <T>(call: HttpCall): Promise<T> => {
    try {
      await ensureToken();
      const headers = { ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}), ...call.headers };
      const request = { method: call.method, url: call.url, headers, ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}) };
      return await conn.request<T>(request, transportOptions);
    } catch (error) {
      throw toProviderError(error);
    }
  };

  return {
    apiVersion: options.apiVersion,
    send: <T>(operation: string, call: HttpCall) => withRetry(() => attempt<T>(call), {
      logger,
      operation,
      ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    }),
    apiUsage: () => {
      const usage = conn.limitInfo?.apiUsage;
      return usage ? { used: usage.used, limit: usage.limit } : undefined;
    },
  };
}
