import { describe, expect, it } from '@jest/globals';
import { screenDelivery } from '../../../src/http/webhooks/screen-delivery.ts';
import type { HubSpotSimulator } from '../../../src/simulators/hubspot/server.ts';
import { useHubSpotSimulatorWithWebhooks } from '../../support/hubspot-simulator.ts';
import type { WebhookReceiver } from '../../support/webhook-receiver.ts';

const TOKEN = 'sim-token';
let receiver: WebhookReceiver;
let sim: HubSpotSimulator;

useHubSpotSimulatorWithWebhooks(
  TOKEN,
  { clientSecret: 'secret', appId: 4242, portalId: 777, subscribedProperties: [], batchDelayMs: 10 },
  (started, delivered) => {
    sim = started;
    receiver = delivered;
  },
);

const deletions = () => receiver.events().filter((event) => String(event.subscriptionType).includes('eletion'));

// HubSpot webhooks docs: deletion events carry the envelope only; a GDPR delete sends contact.privacyDeletion and,
// as the changelog "Webhooks now support privacy-compliant contact deletions" says, contact.deletion as well.
describe('the simulated HubSpot on contact deletions', () => {
  it('sends contact.deletion for an archive (DELETE /crm/v3/objects/contacts/{id}) and forgets the contact', async () => {
    const id = sim.createContact({ email: 'gone@example.com' });
    const response = await fetch(`${sim.url}/crm/v3/objects/contacts/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(204);
    await sim.webhooks.idle();
    expect(deletions()).toEqual([
      expect.objectContaining({ subscriptionType: 'contact.deletion', objectId: Number(id), portalId: 777, changeSource: 'INTEGRATION' }),
    ]);
    expect(deletions()[0]).not.toHaveProperty('propertyName');
    expect(sim.contacts.get(id)).toBeUndefined();
  });

  it('sends contact.deletion and contact.privacyDeletion for a GDPR delete, by id or e-mail, that the service accepts', async () => {
    const byId = sim.createContact({ email: 'gdpr-id@example.com' });
    const byEmail = sim.createContact({ email: 'gdpr-mail@example.com' });
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    for (const body of [{ objectId: byId }, { objectId: 'GDPR-mail@example.com', idProperty: 'email' }]) {
      const response = await fetch(`${sim.url}/crm/v3/objects/contacts/gdpr-delete`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(204);
    }
    await sim.webhooks.idle();
    expect(deletions().map((event) => [event.subscriptionType, String(event.objectId)])).toEqual([
      ['contact.deletion', byId],
      ['contact.privacyDeletion', byId],
      ['contact.deletion', byEmail],
      ['contact.privacyDeletion', byEmail],
    ]);
    const screened = screenDelivery(deletions(), { mayHoldNul: false });
    expect({ accepted: screened.events.length, rejected: screened.rejected }).toEqual({ accepted: 4, rejected: [] });
  });

  it('deletes as a person in the UI through /_sim (privacy=true for the GDPR delete) and answers 404 for an unknown contact', async () => {
    const id = sim.createContact({ email: 'ui@example.com' });
    expect((await fetch(`${sim.url}/_sim/contacts/${id}?privacy=true`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${sim.url}/_sim/contacts/${id}`, { method: 'DELETE' })).status).toBe(404);
    await sim.webhooks.idle();
    expect(deletions().map((event) => [event.subscriptionType, event.changeSource])).toEqual([
      ['contact.deletion', 'CRM_UI'],
      ['contact.privacyDeletion', 'CRM_UI'],
    ]);
  });
});
