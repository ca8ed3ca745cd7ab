import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import nock from 'nock';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../src/simulators/hubspot/server.ts';
import type { WebhookOptions } from '../../src/simulators/hubspot/types.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

/**
 * One HubSpot simulator on loopback for the whole file, reset before each test; nock lets only loopback through.
 * The rate limit is set out of the way: these suites test shapes, not the budget.
 */
export function useHubSpotSimulator(accessToken: string, onStart: (sim: HubSpotSimulator) => void): void {
  let sim: HubSpotSimulator | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    sim = await startHubSpotSimulator({ accessToken, rateLimit: { windowMs: 10_000, max: 10_000 } });
    onStart(sim);
  });
  afterAll(async () => {
    await sim?.close();
    nock.enableNetConnect();
    nock.restore();
  });
  beforeEach(() => sim?.reset());
}

/**
 * As useHubSpotSimulator, for the webhook tests: the simulator delivers its webhooks to a local receiver (both reset
 * before each test) and keeps its default rate limit.
 */
export function useHubSpotSimulatorWithWebhooks(
  accessToken: string,
  webhook: Omit<WebhookOptions, 'targetUrl'>,
  onStart: (sim: HubSpotSimulator, receiver: WebhookReceiver) => void,
): void {
  let sim: HubSpotSimulator | undefined;
  let receiver: WebhookReceiver | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    receiver = await startWebhookReceiver();
    sim = await startHubSpotSimulator({ accessToken, webhook: { ...webhook, targetUrl: receiver.targetUrl } });
    onStart(sim, receiver);
  });
  afterAll(async () => {
    await sim?.close();
    await receiver?.close();
    nock.enableNetConnect();
    nock.restore();
  });
  beforeEach(() => {
    sim?.reset();
    receiver?.reset();
  });
}
