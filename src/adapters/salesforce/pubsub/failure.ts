import { status } from '@grpc/grpc-js';
import { PUBSUB_LIMITS } from './limits.ts';

/**
 * Why a Pub/Sub call or Subscribe stream ended, as the subscriber acts on it:
 * - `replay-rejected`: the stored replay id is refused (past the 72-hour window, or invalid): catch up another way,
 *   then subscribe from LATEST;
 * - `unauthenticated`: the token was refused even after one renewal;
 * - `unavailable`: a transient service or network failure: reconnect with backoff;
 * - `stream-ended`: the server closed the stream with OK: reconnect after the last replay id;
 * - `topic-unavailable`: the topic does not exist or we may not read it (CDC not enabled for the object, an edition
 *   without CDC, or a user without the permission): stay on the poll;
 * - `other`: anything else, with its code and message for the log.
 */
export type PubSubFailureKind = 'replay-rejected' | 'unauthenticated' | 'unavailable' | 'stream-ended' | 'topic-unavailable' | 'other';

export interface PubSubFailure {
  kind: PubSubFailureKind;
  /** The gRPC status code (0 = OK for a stream the server ended); undefined for a failure that had none. */
  grpcCode: number | undefined;
  /** Salesforce's code from the `error-code` trailer ("Handle Errors"), when it sent one. */
  errorCode: string | undefined;
  /** The RPC id Salesforce Support asks for, from the `rpc-id` trailer. */
  rpcId: string | undefined;
  /** What happened, with every secret passed to the classifier blanked out. */
  message: string;
}

/** A failed unary call (GetTopic, GetSchema) or a failed set-up, carrying its classified failure. */
export class PubSubError extends Error {
  readonly failure: PubSubFailure;
  constructor(failure: PubSubFailure) {
    super(`Salesforce Pub/Sub ${failure.kind}: ${failure.message}`);
    this.name = 'PubSubError';
    this.failure = failure;
  }
}

/** Statuses that say "try again later" ("Handle Errors": UNAVAILABLE is a network or service fault to retry). */
const TRANSIENT = new Set<number>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.INTERNAL,
  status.RESOURCE_EXHAUSTED,
  // A stream reset by the peer or a proxy (HTTP/2 RST_STREAM CANCEL) reaches grpc-js as CANCELLED.
  status.CANCELLED,
]);
const CONNECTION_RESET = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

interface GrpcLikeError {
  code?: unknown;
  details?: unknown;
  message?: unknown;
  metadata?: { get?: (key: string) => unknown[] };
}

function trailer(error: GrpcLikeError, key: string): string | undefined {
  const value = typeof error.metadata?.get === 'function' ? error.metadata.get(key)[0] : undefined;
  return value === undefined ? undefined : String(value);
}

function kindOf(code: number | undefined, errorCode: string | undefined, systemCode: string | undefined): PubSubFailureKind {
  if (code === status.OK) return 'stream-ended';
  if (errorCode && (PUBSUB_LIMITS.replayRejectedCodes as readonly string[]).includes(errorCode)) return 'replay-rejected';
  if (code === status.UNAUTHENTICATED) return 'unauthenticated';
  // No documented error code names a missing topic; the status does, and so does a code that names the topic.
  if (code === status.NOT_FOUND || code === status.PERMISSION_DENIED || errorCode?.includes('.topic.')) return 'topic-unavailable';
  if ((code !== undefined && TRANSIENT.has(code)) || (systemCode && CONNECTION_RESET.has(systemCode))) return 'unavailable';
  return 'other';
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('[redacted]') : out), text);
}

/**
 * Reads a gRPC error (status code, `error-code` and `rpc-id` trailers) or a socket error into one PubSubFailure.
 * Pure: `secrets` (the access token) are blanked out of the message so it can be logged and stored.
 */
export function classifyPubSubError(error: unknown, secrets: readonly string[] = []): PubSubFailure {
  const grpcError = (typeof error === 'object' && error !== null ? error : {}) as GrpcLikeError;
  const code = typeof grpcError.code === 'number' ? grpcError.code : undefined;
  const systemCode = typeof grpcError.code === 'string' ? grpcError.code : undefined;
  const errorCode = trailer(grpcError, PUBSUB_LIMITS.errorCodeTrailer);
  const text = [grpcError.details, grpcError.message, error].find((candidate) => typeof candidate === 'string' && candidate !== '');
  return {
    kind: kindOf(code, errorCode, systemCode),
    grpcCode: code,
    errorCode,
    rpcId: trailer(grpcError, PUBSUB_LIMITS.rpcIdTrailer),
    message: scrub(String(text ?? (code === status.OK ? 'the server ended the stream' : 'unknown failure')), secrets),
  };
}

/**
 * A failure to get credentials at all (the token endpoint refused or could not be reached), as a PubSubFailure: a
 * refused grant needs a person (`unauthenticated`), a network failure passes (`unavailable`).
 */
export function classifyCredentialFailure(error: unknown): PubSubFailure {
  const retryable = (error as { retryable?: unknown } | null)?.retryable;
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: retryable === true ? 'unavailable' : retryable === false ? 'unauthenticated' : 'other',
    grpcCode: undefined,
    errorCode: (error as { code?: unknown } | null)?.code === undefined ? undefined : String((error as { code: unknown }).code),
    rpcId: undefined,
    message: `could not get Salesforce credentials: ${message}`,
  };
}
