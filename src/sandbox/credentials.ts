import { randomBytes } from 'node:crypto';

/** Credentials made up for one sandbox run; the simulators accept exactly these. */
export interface SandboxCredentials {
  hubspotAccessToken: string;
  hubspotClientSecret: string;
  hubspotAppId: number;
  salesforceClientId: string;
  salesforceClientSecret: string;
  salesforceRefreshToken: string;
  slackBotToken: string;
}

export function sandboxCredentials(): SandboxCredentials {
  const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
  return {
    hubspotAccessToken: token('sandbox-pat'),
    hubspotClientSecret: token('sandbox-secret'),
    hubspotAppId: 1000,
    salesforceClientId: token('sandbox-client'),
    salesforceClientSecret: token('sandbox-client-secret'),
    salesforceRefreshToken: token('sandbox-refresh'),
    slackBotToken: token('xoxb-sandbox'),
  };
}
