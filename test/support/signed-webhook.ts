import { createHmac } from 'node:crypto';

// Several tests deliver genuine HubSpot webhooks; the v3 signature is written out here, independently of the
// service's own code, so a mistake there cannot hide behind the same mistake in the tests.

export interface SignedWebhook {
  /** The service's PUBLIC_BASE_URL: the signature covers that public URI, not the loopback one the test calls. */
  publicBaseUrl: string;
  /** The app's client secret. */
  secret: string;
  body: string;
  /** Milliseconds since the epoch, as text; now unless given. */
  timestamp?: string;
}

/** The X-HubSpot-Signature-v3 of a POST to /webhooks/hubspot: base64 HMAC-SHA256 of method, URI, body and timestamp. */
export function webhookSignature({ publicBaseUrl, secret, body, timestamp }: SignedWebhook & { timestamp: string }): string {
  return createHmac('sha256', secret).update(`POST${publicBaseUrl}/webhooks/hubspot${body}${timestamp}`).digest('base64');
}

/**
 * POSTs `body` to `${url}/webhooks/hubspot` with the headers HubSpot sends (JSON, v3 signature and its timestamp),
 * plus any `headers` given; returns the status and the parsed JSON answer.
 */
export async function postSignedWebhook<Json = any>(
  delivery: SignedWebhook & { url: string; headers?: Record<string, string> },
): Promise<{ status: number; json: Json }> {
  const timestamp = delivery.timestamp ?? String(Date.now());
  const signature = webhookSignature({ ...delivery, timestamp });
  const response = await fetch(`${delivery.url}/webhooks/hubspot`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
      ...delivery.headers,
    },
    body: delivery.body,
  });
  return { status: response.status, json: (await response.json()) as Json };
}
