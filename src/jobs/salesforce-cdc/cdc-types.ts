import type { PubSubClient } from '../../adapters/salesforce/pubsub/client.ts';
import type { ReconnectPolicy } from '../../core/sales/change-events/decide-stream-failure.ts';
import type { ChangeEventMetrics } from '../../metrics/change-event-metrics.ts';
import type { LeadPollDeps } from '../salesforce-poll/poll-types.ts';

export interface ChangeSubscriberSettings {
  /** How long a lease lasts without renewal: a crashed holder's is taken over at most this (plus a standby try) later. */
  leaseMs: number;
  renewEveryMs: number;
  /** How often a standby replica tries to take the lease. */
  standbyRetryMs: number;
  /** No event and no keep-alive for this long is a dead stream (Salesforce keeps an idle stream alive within 270 s). */
  silenceMs: number;
  /** Events asked for at a time (Pub/Sub API allows at most 100 per FetchRequest). */
  batchSize: number;
  reconnect: ReconnectPolicy;
}

export const DEFAULT_SUBSCRIBER_SETTINGS: Omit<ChangeSubscriberSettings, 'silenceMs' | 'reconnect'> = {
  leaseMs: 10_000,
  renewEveryMs: 3_000,
  standbyRetryMs: 2_000,
  batchSize: 100,
};

export interface ChangeSubscriberDeps extends LeadPollDeps {
  pubSub: Pick<PubSubClient, 'subscribe'>;
  /** This replica's name in the lease. */
  holder: string;
  /** The client name our REST calls carry in Sforce-Call-Options. */
  clientName: string;
  /** One poll round, under the changes lock: the catch-up from the poll's watermark. */
  pollRound: () => Promise<unknown>;
  settings: ChangeSubscriberSettings;
  changeMetrics?: ChangeEventMetrics;
  random?: () => number;
}
