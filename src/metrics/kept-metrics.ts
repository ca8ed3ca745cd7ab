import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './prefix.ts';

export interface KeptValueMetrics {
  /** Contacts the handoff decided from kept property values instead of a HubSpot read. */
  readsSaved(contacts: number): void;
}

export function createKeptValueMetrics(registry: Registry): KeptValueMetrics {
  const saved = new Counter({
    name: `${METRIC_PREFIX}reads_saved_total`,
    help: 'Contacts decided from kept property values (HANDOFF_KEPT_VALUES_MAX_AGE_SECONDS) instead of a HubSpot read',
    registers: [registry],
  });
  return {
    readsSaved: (contacts) => {
      if (contacts > 0) saved.inc(contacts);
    },
  };
}
