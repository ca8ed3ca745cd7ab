import { Client } from '@hubspot/api-client';
import type { Priority } from '../../core/budget/priority.ts';
import type { Logger } from '../../log.ts';
import type { RetryPolicy } from '../retry.ts';
import { createHubSpotCall } from './call.ts';
import type { HubSpotCallBudget } from './call-budget.ts';
import { companyMethods } from './company-api.ts';
import { contactMethods } from './contact-api.ts';
import { contactPageMethods } from './contact-pages.ts';
import { nonJsonErrorMiddleware } from './errors.ts';
import type { HubSpotPort } from './hubspot-port.ts';
import { HUBSPOT_LIMITS } from './limits.ts';
import { listMethods } from './list-api.ts';
import { ownerMethods } from './owner-api.ts';
import { propertyMethods } from './property-api.ts';
import { rateHeadersMiddleware } from './rate-headers.ts';

export interface HubSpotAdapterOptions {
  accessToken: string;
  baseUrl?: string;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The budget shared by every replica (rate windows, daily limit). Left out: no limits of ours (setup, tests). */
  budget?: HubSpotCallBudget | undefined;
  /** The priority of this instance's calls; default `sync`. Views for other priorities: `withPriority`. */
  priority?: Priority;
}

/** The port plus views of the same client and budget at another priority (a backfill passes `bulk`). */
export interface HubSpotAdapter extends HubSpotPort {
  readonly priority: Priority;
  withPriority(priority: Priority): HubSpotAdapter;
}

export function createHubSpotAdapter(options: HubSpotAdapterOptions): HubSpotAdapter {
  const logger = options.logger.child({ module: 'adapters/hubspot' });
  const { budget } = options;
  // Post middleware runs last-to-first: the header reader sees every answer before an error is thrown.
  const middleware = [nonJsonErrorMiddleware];
  if (budget)
    middleware.push(
      rateHeadersMiddleware(budget.observe, (error) => logger.warn('could not record HubSpot rate-limit headers', { error })),
    );
  // Retries are ours (p-retry via withRetry); the client's own retry decorator stays off.
  const client = new Client({
    accessToken: options.accessToken,
    basePath: options.baseUrl ?? HUBSPOT_LIMITS.baseUrl,
    numberOfApiCallRetries: 0,
    middleware,
  });

  const build = (priority: Priority): HubSpotAdapter => {
    const call = createHubSpotCall({ logger, retryPolicy: options.retryPolicy, sleep: options.sleep, budget, priority });
    return {
      ...propertyMethods(client, call),
      ...listMethods(client, call, logger),
      ...contactMethods(client, call, logger),
      ...contactPageMethods(client, call),
      ...companyMethods(client, call, logger),
      ...ownerMethods(client, call),
      priority,
      withPriority: build,
    };
  };
  return build(options.priority ?? 'sync');
}
