import { PassThrough } from 'node:stream';
import { createSalesforceClient, type SalesforceClient } from '../../../../src/adapters/salesforce/client.ts';
import { createPubSubClient, type PubSubClient } from '../../../../src/adapters/salesforce/pubsub/client.ts';
import type { PubSubMessage, PubSubSubscription } from '../../../../src/adapters/salesforce/pubsub/subscription.ts';
import { createLogger } from '../../../../src/log.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from '../../../../src/simulators/salesforce/server.ts';

const CREDS = { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'sim-refresh' };
export const LEAD_TOPIC = '/data/LeadChangeEvent';

/** The simulated org with its Pub/Sub API, the REST client that logs in to it, and our Pub/Sub client on top. */
export interface Harness {
  sim: SalesforceSimulator;
  rest: SalesforceClient;
  pubsub: PubSubClient;
  /** Every log line written so far, raw (before any reader could mask anything). */
  logs(): string;
  /** Every access token the REST client has held (the tests look for them in the logs). */
  tokensSeen: Set<string>;
  close(): Promise<void>;
}

export async function startHarness(pubSub: { keepAliveMs?: number; retainEvents?: number } = {}): Promise<Harness> {
  const sim = await startSalesforceSimulator({ ...CREDS, pubSub });
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const logger = createLogger('debug', stream);
  const rest = createSalesforceClient({
    loginUrl: sim.url,
    instanceUrl: sim.url,
    auth: { flow: 'refresh_token', ...CREDS },
    apiVersion: '66.0',
    logger,
  });
  const tokensSeen = new Set<string>();
  // Records every token handed to the Pub/Sub client, so the log check knows what to look for.
  const credentials = {
    pubSubCredentials: async () => {
      const given = await rest.pubSubCredentials();
      tokensSeen.add(given.accessToken);
      return given;
    },
    renewAccessToken: () => rest.renewAccessToken(),
  };
  const address = sim.pubSub?.address;
  if (!address) throw new Error('the simulator was started without pubSub');
  const pubsub = createPubSubClient({ endpoint: address, tls: false, credentials, logger });
  return {
    sim,
    rest,
    pubsub,
    logs: () => chunks.join(''),
    tokensSeen,
    close: async () => {
      pubsub.close();
      await sim.close();
    },
  };
}

/** The next message, or a failed test after 5 s (a bound, not a wait to prove that nothing came). */
export async function nextMessage(subscription: PubSubSubscription, what: string): Promise<PubSubMessage> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
  });
  try {
    const result = await Promise.race([subscription.next(), timeout]);
    if (result.done) throw new Error(`the subscription ended while waiting for ${what}`);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

/** The next message that is not a keep-alive. */
export async function nextNonKeepAlive(subscription: PubSubSubscription, what: string): Promise<PubSubMessage> {
  for (let i = 0; i < 50; i += 1) {
    const message = await nextMessage(subscription, what);
    if (message.kind !== 'keepalive') return message;
  }
  throw new Error(`only keep-alives while waiting for ${what}`);
}

/** Waits until the simulator's stream number `index` has taken FetchRequests for at least `requested` events. */
export async function untilRequested(sim: SalesforceSimulator, index: number, requested: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((sim.pubSub?.streams()[index]?.requested ?? 0) < requested) {
    if (Date.now() > deadline) throw new Error(`stream ${index} never asked for ${requested} events`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Saves a Lead through the simulated org's REST API as our integration user; answers its Id. */
export async function createLeadViaRest(rest: SalesforceClient, lastName: string): Promise<string> {
  const answer = await rest.send<{ id: string }>(
    'test.createLead',
    { method: 'POST', url: '/services/data/v66.0/sobjects/Lead', body: { LastName: lastName, Company: 'Acme' } },
    'sync',
  );
  return answer.id;
}
