import { createHubSpotAdapter } from '../adapters/hubspot/adapter.ts';
import { ensureHubSpotSetup } from '../adapters/hubspot/setup.ts';
import type { HubSpotSetupSpec } from '../core/setup-spec.ts';
import type { Logger } from '../log.ts';
import { SANDBOX_HUBSPOT_OWNERS } from '../simulators/hubspot/sandbox-owners.ts';
import { type HubSpotSimulator, startHubSpotSimulator } from '../simulators/hubspot/server.ts';
import { SANDBOX_DIRECTORY } from '../simulators/salesforce/sandbox-directory.ts';
import { REP_USER_ID, SALES_REP_IDS, type SalesforceSimulator, startSalesforceSimulator } from '../simulators/salesforce/server.ts';
import { type SlackSimulator, startSlackSimulator } from '../simulators/slack/server.ts';
import { type SmtpCatcher, startSmtpCatcher } from '../simulators/smtp/catcher.ts';
import type { SandboxCredentials } from './credentials.ts';

export { type SandboxCredentials, sandboxCredentials } from './credentials.ts';

export interface Sandbox {
  hubspot: HubSpotSimulator;
  salesforce: SalesforceSimulator;
  /** Where owner notifications arrive: a Slack-compatible workspace and a mail catcher, both on loopback. */
  slack: SlackSimulator;
  mail: SmtpCatcher;
  close(): Promise<void>;
}

/**
 * The sandbox org's active lead assignment rule: the shipped routing.yaml falls back to the org's rule, and this one
 * deals new Leads among the sandbox's reps in turn, so a first run shows Leads reaching people (and their notices).
 */
export const SANDBOX_ASSIGNMENT_RULE = {
  id: '01Q000000000001AAA',
  name: 'Sandbox inbound round robin',
  active: true,
  assignTo: [REP_USER_ID, ...SALES_REP_IDS],
};

/** The sandbox reps' Slack accounts, found by the same e-mails as their Salesforce users. */
function slackUsersOf(): Array<{ id: string; email: string; name: string }> {
  return SANDBOX_DIRECTORY.users
    .filter((user) => user.isActive !== false)
    .map((user, i) => ({ id: `U0SANDBOX${i}`, email: user.email, name: `${user.firstName} ${user.lastName}` }));
}

/**
 * Starts the built-in HubSpot and Salesforce simulators on loopback. The HubSpot one sends signed
 * webhooks to the service, as a real HubSpot app subscription would.
 */
export async function startSandbox(options: {
  credentials: SandboxCredentials;
  webhookTargetUrl: string;
  hubspotPort: number;
  salesforcePort: number;
  /** The Slack workspace's port, the mail catcher's JSON view and its SMTP port (0: any free one). */
  slackPort: number;
  mailViewPort: number;
  smtpPort: number;
  /** Custom properties and lists the mappings need, created in the simulated portal as `setup` would. */
  hubspotSetup: HubSpotSetupSpec;
  /** The taxonomy codes: the simulated org's Rejection_Reason__c picklist, as the metadata package deploys it. */
  rejectionReasons: string[];
  /** revenue.yaml's loss-reason codes: the simulated org's Opportunity.Handoff_Loss_Reason__c picklist. */
  lossReasons?: string[];
  logger: Logger;
}): Promise<Sandbox> {
  const { credentials } = options;
  const hubspot = await startHubSpotSimulator({
    port: options.hubspotPort,
    host: '127.0.0.1',
    accessToken: credentials.hubspotAccessToken,
    owners: SANDBOX_HUBSPOT_OWNERS,
    webhook: {
      targetUrl: options.webhookTargetUrl,
      clientSecret: credentials.hubspotClientSecret,
      appId: credentials.hubspotAppId,
      portalId: 1,
    },
  });
  const setup = await ensureHubSpotSetup(
    createHubSpotAdapter({ accessToken: credentials.hubspotAccessToken, baseUrl: hubspot.url, logger: options.logger }),
    options.hubspotSetup,
  );
  const salesforce = await startSalesforceSimulator({
    port: options.salesforcePort,
    host: '127.0.0.1',
    clientId: credentials.salesforceClientId,
    clientSecret: credentials.salesforceClientSecret,
    refreshToken: credentials.salesforceRefreshToken,
    rejectionReasons: options.rejectionReasons,
    ...(options.lossReasons ? { lossReasons: options.lossReasons } : {}),
    // A standard org, as a new user's: no Sales Engagement, so no FirstCallDateTime/FirstEmailDateTime on Lead.
    salesEngagement: false,
    ...SANDBOX_DIRECTORY,
    assignmentRules: [SANDBOX_ASSIGNMENT_RULE],
    // Change Data Capture for Lead and Opportunity over the Pub/Sub API (gRPC on loopback), as a real org can publish.
    // Salesforce's keep-alive comes within 270 s; the sandbox's comes sooner, so a first start is live within seconds
    // (the subscriber calls a stream started at the tip live once its first message proves its position).
    pubSub: { keepAliveMs: 5_000 },
  });
  const slack = await startSlackSimulator({
    host: '127.0.0.1',
    port: options.slackPort,
    token: credentials.slackBotToken,
    users: slackUsersOf(),
  });
  const mail = await startSmtpCatcher({ host: '127.0.0.1', port: options.smtpPort, httpPort: options.mailViewPort });
  options.logger.info('sandbox simulators started', {
    module: 'sandbox',
    hubspotSimulator: hubspot.url,
    salesforceSimulator: salesforce.url,
    slackMessages: `${slack.url}/_sim/messages`,
    mailCaught: `${mail.httpUrl}/_sim/mail`,
    customPropertiesCreated: setup.properties.created,
    listsCreated: setup.lists.created.map((list) => list.name),
    tryIt: `curl -X POST ${hubspot.url}/_sim/contacts -H 'content-type: application/json' -d '{"properties":{...}}'`,
  });
  return {
    hubspot,
    salesforce,
    slack,
    mail,
    async close() {
      await hubspot.close();
      await salesforce.close();
      await slack.close();
      await mail.close();
    },
  };
}
