import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SalesforceAdapter } from '../adapters/salesforce/adapter.ts';
import { SALESFORCE_LIMITS } from '../adapters/salesforce/limits.ts';
import { createPubSubClient, isLoopbackEndpoint } from '../adapters/salesforce/pubsub/client.ts';
import type { Env } from '../config/env.ts';
import { DEFAULT_RECONNECT_POLICY } from '../core/sales/change-events/decide-stream-failure.ts';
import { DEFAULT_SUBSCRIBER_SETTINGS } from '../jobs/salesforce-cdc/cdc-types.ts';
import { type ChangeSubscriber, startChangeSubscriber } from '../jobs/salesforce-cdc/change-subscriber.ts';
import type { PollWorkerDeps } from '../jobs/salesforce-poll-worker.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';

export interface ChangeEventsDeps {
  salesforce: SalesforceAdapter;
  poll: PollWorkerDeps;
  pollRound: () => Promise<unknown>;
  metrics: Metrics;
  sandbox: Sandbox | undefined;
}

/** SALESFORCE_CDC, or its default: on where the org is the sandbox's simulated one (it publishes), off in live mode. */
export function changeEventsOn(env: Env, sandbox: boolean): boolean {
  return (env.SALESFORCE_CDC ?? (sandbox ? 'on' : 'off')) === 'on';
}

/**
 * The change-event subscriber, when it is on: through the Pub/Sub API with the REST adapter's own login, plaintext
 * only to the sandbox's loopback simulator. Every replica runs one; the lease lets one of them subscribe.
 */
export function startChangeEvents(env: Env, deps: ChangeEventsDeps): ChangeSubscriber | undefined {
  const logger = deps.poll.logger.child({ module: 'salesforce-cdc' });
  if (!changeEventsOn(env, deps.sandbox !== undefined)) {
    logger.info('salesforce changes: polling only (SALESFORCE_CDC is off)', { pollIntervalSeconds: env.SALESFORCE_POLL_INTERVAL_SECONDS });
    return undefined;
  }
  const simulated = deps.sandbox?.salesforce.pubSub;
  if (deps.sandbox && !simulated) throw new Error('the sandbox Salesforce simulator was started without its Pub/Sub API');
  const endpoint = simulated ? simulated.address : env.SALESFORCE_PUBSUB_ENDPOINT;
  // Salesforce's endpoint is TLS; a loopback one can only be a simulator (the sandbox's, or a bench's), in plaintext.
  const pubSub = createPubSubClient({
    endpoint,
    tls: !isLoopbackEndpoint(endpoint),
    credentials: deps.salesforce,
    logger,
  });
  const subscriber = startChangeSubscriber({
    ...deps.poll,
    pubSub,
    holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    clientName: SALESFORCE_LIMITS.callOptions.client,
    pollRound: deps.pollRound,
    settings: {
      ...DEFAULT_SUBSCRIBER_SETTINGS,
      silenceMs: env.SALESFORCE_CDC_SILENCE_SECONDS * 1000,
      reconnect: DEFAULT_RECONNECT_POLICY,
    },
    changeMetrics: deps.metrics,
  });
  logger.info('salesforce changes: change events, with the poll as drift check', {
    endpoint: simulated ? 'sandbox simulator' : endpoint,
    driftCheckSeconds: env.SALESFORCE_CDC_DRIFT_CHECK_SECONDS,
  });
  return {
    stop: async () => {
      await subscriber.stop();
      pubSub.close();
    },
  };
}
