import type { Provider } from '../errors.ts';
import type { Metrics } from './metrics.ts';

/**
 * Wraps an adapter so every operation called on it is counted per provider and operation (an operation
 * may span several HTTP requests when it chunks a batch). `afterCall` lets the Salesforce adapter report
 * the API budget its last response carried.
 */
const LOCAL_READS = new Set(['apiUsage', 'instanceUrl', 'integrationUserId']);

export function countedPort<T extends object>(port: T, provider: Provider, metrics: Pick<Metrics, 'apiCall'>, afterCall?: () => void): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      // Reading the budget, the instance URL or our user id is local bookkeeping, not an API call (and it is synchronous).
      if (LOCAL_READS.has(property)) return (value as () => unknown).bind(target);
      // A view at another priority is the same adapter, counted the same way.
      if (property === 'withPriority')
        return (priority: unknown) => countedPort((value as (p: unknown) => T).call(target, priority), provider, metrics, afterCall);
      return async (...args: unknown[]) => {
        metrics.apiCall(provider, property);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          afterCall?.();
        }
      };
    },
  });
}
