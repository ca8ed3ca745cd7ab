import { createHubSpotAdapter } from '../../adapters/hubspot/adapter.ts';
import type { RetryPolicy } from '../../adapters/retry.ts';
import { createSalesforceAdapter } from '../../adapters/salesforce/adapter.ts';
import { createPubSubClient, isLoopbackEndpoint } from '../../adapters/salesforce/pubsub/client.ts';
import type { Logger } from '../../log.ts';
import { ConfigError, envSchema } from '../env.ts';
import { liveSalesforceLogin, salesforceAuthFromEnv } from '../salesforce-auth-env.ts';
import type { LiveSystems } from './live-validation.ts';

const REQUIRED = ['HUBSPOT_ACCESS_TOKEN'] as const;

/**
 * The read-only adapters live validation needs, from the service's env schema. Only the credentials it
 * uses are required (parseEnv's live-mode rule would also ask for the webhook secret and public URL); the
 * Salesforce login is whichever flow the variables choose (refresh token, client credentials or JWT bearer).
 */
export function liveSystemsFromEnv(
  source: NodeJS.ProcessEnv,
  options: { logger: Logger; leadExternalIdField: string; retryPolicy?: RetryPolicy },
): LiveSystems {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const env = parsed.data;
  const missing = [
    ...REQUIRED.filter((key) => env[key] === undefined).map((key) => `${key}: required to validate against the live systems`),
    ...salesforceAuthFromEnv(env).problems,
  ];
  if (missing.length > 0) throw new ConfigError(missing);
  const retry = options.retryPolicy ? { retryPolicy: options.retryPolicy } : {};
  const salesforce = createSalesforceAdapter({
    ...liveSalesforceLogin(env),
    apiVersion: env.SALESFORCE_API_VERSION,
    leadExternalIdField: options.leadExternalIdField,
    logger: options.logger,
    ...retry,
  });
  // Asked only when the service would subscribe: validate then says whether the org offers the topics.
  const pubSub =
    env.SALESFORCE_CDC === 'on'
      ? createPubSubClient({
          endpoint: env.SALESFORCE_PUBSUB_ENDPOINT,
          tls: !isLoopbackEndpoint(env.SALESFORCE_PUBSUB_ENDPOINT),
          credentials: salesforce,
          logger: options.logger,
        })
      : undefined;
  return {
    hubspot: createHubSpotAdapter({
      accessToken: env.HUBSPOT_ACCESS_TOKEN ?? '',
      baseUrl: env.HUBSPOT_BASE_URL,
      logger: options.logger,
      ...retry,
    }),
    salesforce,
    notificationType: env.SALESFORCE_NOTIFICATION_TYPE,
    ...(pubSub ? { changeEvents: pubSub, close: () => pubSub.close() } : {}),
  };
}
