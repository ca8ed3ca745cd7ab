import { createHubSpotAdapter, type HubSpotAdapter } from '../adapters/hubspot/adapter.ts';
import type { NotificationChannel } from '../adapters/notify/channel.ts';
import { buildNotificationChannels, type NotificationSettings } from '../adapters/notify/channels.ts';
import { createSalesforceAdapter, type SalesforceAdapter } from '../adapters/salesforce/adapter.ts';
import { verifyApiVersionAtStart } from '../adapters/salesforce/api-version-check.ts';
import type { ApiBudgets } from '../budgets/api-budgets.ts';
import type { Env } from '../config/env.ts';
import { notificationSettingsOf } from '../config/notification-env.ts';
import { liveSalesforceLogin } from '../config/salesforce-auth-env.ts';
import type { MappingsBundle } from '../core/mappings/bundle.ts';
import { createDirectoryResolver } from '../jobs/routing/resolve-directory.ts';
import type { ResolveDirectory } from '../jobs/routing/routing-deps.ts';
import type { Logger } from '../log.ts';
import { countedPort } from '../metrics/counted-port.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { SandboxCredentials } from '../sandbox/credentials.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';

export interface ProvidersDeps {
  /** Set in sandbox mode: the simulators start with these, and the adapters log in with them. */
  sandboxCredentials: SandboxCredentials | undefined;
  /** Where the simulated HubSpot sends its webhooks, and the port the simulators' ports follow. */
  publicBaseUrl: string;
  httpPort: number;
  /** The mappings at start: the simulated HubSpot's setup, the rejection codes, the Lead's external id field. */
  mappings: MappingsBundle;
  budgets: ApiBudgets;
  metrics: Metrics;
}

export interface Providers {
  sandbox?: Sandbox;
  /** Both call at `sync` priority; `withPriority` gives the handoff and backfill their own. */
  hubspot: HubSpotAdapter;
  salesforce: SalesforceAdapter;
  /** The owner-notification channels set up (Slack, e-mail, Salesforce push); routing.yaml chooses among them. */
  notificationChannels: NotificationChannel[];
  /** The org's users and queues routing names, cached briefly; shared by the handoff, the SLA tick and the admin API. */
  resolveDirectory: ResolveDirectory;
  stop(): Promise<void>;
}

/** The HubSpot and Salesforce adapters, counted and budgeted, against the real APIs or the sandbox simulators. */
export async function startProviders(env: Env, logger: Logger, deps: ProvidersDeps): Promise<Providers> {
  const { sandboxCredentials: credentials, budgets, metrics, mappings } = deps;
  // Loaded only in sandbox mode: the simulators (and their mail parser) are no weight on a live service.
  const sandbox = credentials
    ? await (await import('../sandbox/sandbox.ts')).startSandbox({
        credentials,
        webhookTargetUrl: `${deps.publicBaseUrl}/webhooks/hubspot`,
        hubspotPort: env.PORT === 0 ? 0 : deps.httpPort + 1,
        salesforcePort: env.PORT === 0 ? 0 : deps.httpPort + 2,
        slackPort: env.PORT === 0 ? 0 : deps.httpPort + 3,
        mailViewPort: env.PORT === 0 ? 0 : deps.httpPort + 4,
        smtpPort: env.PORT === 0 ? 0 : deps.httpPort + 5,
        hubspotSetup: mappings.hubspotSetup,
        rejectionReasons: mappings.rejection.reasons.map((reason) => reason.code),
        // No reasons (the follow-up off): the org's loss-reason picklist takes any value, as without the package.
        ...(mappings.revenue.lost?.reasons.length ? { lossReasons: mappings.revenue.lost.reasons.map((reason) => reason.code) } : {}),
        logger,
      })
    : undefined;
  const stop = async () => {
    await sandbox?.close();
  };
  try {
    const hubspot = countedPort(
      createHubSpotAdapter({
        accessToken: credentials?.hubspotAccessToken ?? env.HUBSPOT_ACCESS_TOKEN ?? '',
        baseUrl: sandbox?.hubspot.url ?? env.HUBSPOT_BASE_URL,
        logger,
        budget: budgets.hubspot,
        priority: 'sync',
      }),
      'hubspot',
      metrics,
    );
    // The sandbox logs in to its simulator with the refresh-token flow; live mode with the flow the env chose.
    const salesforceLogin =
      sandbox && credentials
        ? {
            loginUrl: sandbox.salesforce.url,
            instanceUrl: sandbox.salesforce.url,
            clientId: credentials.salesforceClientId,
            clientSecret: credentials.salesforceClientSecret,
            refreshToken: credentials.salesforceRefreshToken,
          }
        : liveSalesforceLogin(env);
    const salesforceOptions = {
      ...salesforceLogin,
      apiVersion: env.SALESFORCE_API_VERSION,
      leadExternalIdField: mappings.fieldMapping.salesforce.externalIdField,
      logger,
    };
    await verifyApiVersionAtStart(salesforceOptions, logger);
    const salesforceAdapter = createSalesforceAdapter({ ...salesforceOptions, budget: budgets.salesforce, priority: 'sync' });
    const salesforce = countedPort(salesforceAdapter, 'salesforce', metrics, () => {
      const usage = salesforceAdapter.apiUsage();
      if (usage) metrics.apiBudget('salesforce', usage.used, usage.limit);
    });
    const notificationChannels = buildNotificationChannels(
      sandbox && credentials ? sandboxNotifications(sandbox, credentials, env) : notificationSettingsOf(env),
      {
        logger,
        salesforce,
      },
    );
    logger.info('owner notifications can go out through', { module: 'notify', channels: notificationChannels.map((c) => c.name) });
    const resolveDirectory = createDirectoryResolver({ salesforce });
    const stopAll = async () => {
      for (const channel of notificationChannels) channel.close?.();
      await stop();
    };
    return { ...(sandbox ? { sandbox } : {}), hubspot, salesforce, notificationChannels, resolveDirectory, stop: stopAll };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** In sandbox mode every channel is on, against the local Slack workspace and mail catcher. */
function sandboxNotifications(sandbox: Sandbox, credentials: SandboxCredentials, env: Env): NotificationSettings {
  return {
    slackBotToken: credentials.slackBotToken,
    slackApiUrl: sandbox.slack.apiUrl,
    smtpUrl: sandbox.mail.url,
    emailFrom: 'Handoff sandbox <handoff@sandbox.example>',
    salesforcePush: true,
    salesforceNotificationType: env.SALESFORCE_NOTIFICATION_TYPE,
  };
}
