import { createHmac } from 'node:crypto';

/** Where and how to deliver, as the HubSpot app's webhook subscription would. */
export interface WebhookTarget {
  serviceUrl: string;
  /** The URL HubSpot calls (the service's PUBLIC_BASE_URL); the signature covers it. */
  publicBaseUrl: string;
  clientSecret: string;
}

let nextEventId = 1;

export function creationEvent(contactId: string, occurredAt = Date.now()): Record<string, unknown> {
  nextEventId += 1;
  return {
    eventId: nextEventId,
    subscriptionId: 11,
    portalId: 77,
    appId: 4242,
    occurredAt,
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId: Number(contactId),
    changeFlag: 'CREATED',
    changeSource: 'CRM_UI',
  };
}

export function propertyChangeEvent(contactId: string, propertyName: string, propertyValue: string): Record<string, unknown> {
  nextEventId += 1;
  return {
    eventId: nextEventId,
    subscriptionId: 12,
    portalId: 77,
    appId: 4242,
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: Number(contactId),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
  };
}

/** HubSpot's v3 signature: HMAC-SHA256 of method + URI + body + timestamp, base64; written here independently of the service. */
export function signedHeaders(target: WebhookTarget, body: string, timestamp = Date.now()): Record<string, string> {
  const uri = `${target.publicBaseUrl}/webhooks/hubspot`;
  const signature = createHmac('sha256', target.clientSecret).update(`POST${uri}${body}${timestamp}`).digest('base64');
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

/** One signed delivery; throws unless the service answered 200 (every event the bench sends must be accepted). */
export async function deliver(target: WebhookTarget, events: Record<string, unknown>[]): Promise<void> {
  const body = JSON.stringify(events);
  const response = await fetch(`${target.serviceUrl}/webhooks/hubspot`, { method: 'POST', headers: signedHeaders(target, body), body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${text.slice(0, 300)}`);
}
