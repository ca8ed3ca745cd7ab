import type { Logger } from '../../log.ts';
import type { SalesforcePort } from './salesforce-port.ts';

/** Fields change when an admin deploys or turns a feature on: an hour keeps describe calls rare but news timely. */
export const DESCRIBE_MAX_AGE_MS = 60 * 60_000;

/** The field names an object's describe lists, fetched once and refreshed when stale. */
export interface DescribedFields {
  /** Described at most `maxAgeMs` ago; when a refresh fails, the last answer is kept (and the failure logged). */
  names(): Promise<string[]>;
  /** The next names() describes again: a configuration version was published, or an admin says the org changed. */
  invalidate(): void;
}

export interface DescribedFieldsOptions {
  now?: () => number;
  maxAgeMs?: number;
  logger?: Logger;
}

export function describedFields(
  salesforce: Pick<SalesforcePort, 'describe'>,
  object: string,
  options: DescribedFieldsOptions = {},
): DescribedFields {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DESCRIBE_MAX_AGE_MS;
  let cached: { names: string[]; at: number } | undefined;
  let stale = true;
  let inFlight: Promise<string[]> | undefined;

  const describe = async (): Promise<string[]> => {
    try {
      const description = await salesforce.describe(object);
      cached = { names: description.fields.map((field) => field.name), at: now() };
      stale = false;
      return cached.names;
    } catch (error) {
      if (!cached) throw error;
      options.logger?.warn('could not describe the Salesforce object again; using the fields described before', {
        module: 'salesforce-describe',
        object,
        describedAt: new Date(cached.at).toISOString(),
        error,
      });
      return cached.names;
    }
  };

  return {
    names() {
      if (cached && !stale && now() - cached.at < maxAgeMs) return Promise.resolve(cached.names);
      inFlight ??= describe().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      stale = true;
    },
  };
}
