/** The few error types the service distinguishes. Expected failures are values; these carry context. */

export type Provider = 'hubspot' | 'salesforce';

/** A provider answered with an error, or could not be reached. `retryable` decides whether p-retry tries again. */
export class ProviderError extends Error {
  readonly provider: Provider;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly code: string | undefined;
  constructor(
    provider: Provider,
    message: string,
    options: { status?: number; retryable: boolean; retryAfterMs?: number; code?: string; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
  }
}

export interface ValidationProblem {
  path: string;
  message: string;
  file?: string;
}

/** Input that does not match a schema. Rendered as 400 with every problem's path. */
export class ValidationError extends Error {
  readonly problems: ValidationProblem[];
  constructor(message: string, problems: ValidationProblem[]) {
    super(message);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}
