import type { Logger } from '../../log.ts';
import { createSalesforceClient, type SalesforceAdapterOptions } from './client.ts';

/** The configured version against the org's list (REST API Developer Guide, "Versions": `GET /services/data/`). */
export type ApiVersionVerdict = { kind: 'offered' } | { kind: 'absent'; message: string };

export function judgeApiVersion(configured: string, offered: string[]): ApiVersionVerdict {
  if (offered.includes(configured)) return { kind: 'offered' };
  const newest = [...offered].sort((a, b) => Number(b) - Number(a));
  const list = newest.length > 0 ? newest.join(', ') : 'none';
  return {
    kind: 'absent',
    message:
      `SALESFORCE_API_VERSION ${configured} is not offered by this Salesforce org; it offers (newest first): ${list}. ` +
      `Set SALESFORCE_API_VERSION to one of them${newest[0] ? ` (the newest is ${newest[0]})` : ''}.`,
  };
}

/**
 * Asks the org once, at start, which API versions it offers. A version it lacks would fail every call with 404,
 * so that stops the start with the list; an org that cannot be asked (down, credentials refused) is only a
 * warning: the budget's outage handling takes over once work runs.
 */
export async function verifyApiVersionAtStart(options: SalesforceAdapterOptions, logger: Logger): Promise<void> {
  const client = createSalesforceClient({ ...options, budget: undefined });
  let offered: string[];
  try {
    offered = await client.offeredVersions();
  } catch (error) {
    logger.warn('could not ask Salesforce which API versions it offers; going on with the configured one', {
      apiVersion: options.apiVersion,
      error,
    });
    return;
  }
  const verdict = judgeApiVersion(options.apiVersion, offered);
  if (verdict.kind === 'absent') throw new Error(verdict.message);
  logger.info('salesforce API version offered by the org', { apiVersion: options.apiVersion, flow: client.authFlow });
}
