import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// The simulated HubSpot's webhook tests need somewhere on loopback for it to deliver to: one checks the bytes and
// signature headers of each delivery and makes some fail, another only reads the events.

export interface ReceivedDelivery {
  body: string;
  headers: IncomingHttpHeaders;
}

export interface WebhookReceiver {
  /** Where to point the simulator: http://127.0.0.1:<port>/webhooks/hubspot. */
  targetUrl: string;
  /** Every delivery so far, in arrival order. */
  deliveries: ReceivedDelivery[];
  /** Every event of every delivery so far, parsed, in order. */
  events(): Record<string, unknown>[];
  /** The next `count` deliveries are answered 500 (and still recorded); the rest 204. */
  failNext(count: number): void;
  /** Forgets the deliveries and any failures still to come. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts an HTTP receiver on an ephemeral loopback port that keeps what it is sent. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      deliveries.push({ body, headers: req.headers });
      res.statusCode = failures-- > 0 ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    targetUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/hubspot`,
    deliveries,
    events: () => deliveries.flatMap((delivery) => JSON.parse(delivery.body) as Record<string, unknown>[]),
    failNext: (count) => {
      failures = count;
    },
    reset: () => {
      deliveries.length = 0;
      failures = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
