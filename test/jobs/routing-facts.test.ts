import { describe, expect, it } from '@jest/globals';
import { routingSchema } from '../../src/core/routing/routing-schema.ts';
import { ProviderError } from '../../src/errors.ts';
import { readRoutingFacts } from '../../src/jobs/routing/routing-facts.ts';
import type { Logger } from '../../src/log.ts';

const routing = routingSchema.parse({
  version: '1',
  rules: [{ id: 'owners', label: 'Owners', strategy: 'existing-owner', ownerFrom: ['hubspotOwner'] }],
  fallback: 'salesforce-rules',
});
const subject = {
  contact: { id: '501', properties: { email: 'jane@customer.example', hubspot_owner_id: '70001' } },
  qualification: { segment: { id: 'smb', label: 'SMB' } },
};
const salesforce = { query: async <T>() => [] as T[] };
const capturing = (into: string[]) => ({ warn: ((message: string) => into.push(message)) as unknown as Logger['warn'] });

describe('routing facts: the HubSpot owner (Owners API v3, scope crm.objects.owners.read)', () => {
  it("maps the contact's owner id to the owner's e-mail", async () => {
    const hubspot = { ownerEmails: async () => new Map([['70001', 'riley.rep@sales.example']]) };
    const { facts, extra } = await readRoutingFacts([subject], routing, { salesforce, hubspot });
    expect(facts.get('501')?.hubspotOwnerEmail).toBe('riley.rep@sales.example');
    expect(extra.emails).toEqual(['riley.rep@sales.example']);
  });

  it('a permanent refusal (the scope missing: 403) routes on without the owner, and says why', async () => {
    const warnings: string[] = [];
    const hubspot = {
      ownerEmails: async (): Promise<Map<string, string>> => {
        throw new ProviderError('hubspot', 'HubSpot owners.getById failed with 403 MISSING_SCOPES', {
          status: 403,
          retryable: false,
          code: 'MISSING_SCOPES',
        });
      },
    };
    const { facts } = await readRoutingFacts([subject], routing, {
      salesforce,
      hubspot,
      logger: capturing(warnings),
    });
    expect(facts.get('501')?.hubspotOwnerEmail).toBeUndefined();
    expect(warnings).toEqual(['HubSpot owners could not be read; routing goes on without the HubSpot owner']);
  });

  it('a transient failure is thrown, for the batch to be retried', async () => {
    const hubspot = {
      ownerEmails: async (): Promise<Map<string, string>> => {
        throw new ProviderError('hubspot', 'HubSpot owners.getById failed with 503', { status: 503, retryable: true });
      },
    };
    await expect(readRoutingFacts([subject], routing, { salesforce, hubspot })).rejects.toThrow('503');
  });
});
