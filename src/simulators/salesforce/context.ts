import type { KeyObject } from 'node:crypto';
import type { CallKind } from './call-kind.ts';
import type { Store } from './store.ts';
import type { Row } from './validate.ts';
import type { WriteTracker } from './write-tracker.ts';

/** A fault the next matching calls answer with instead of doing their work. */
export interface FaultSpec {
  status: number;
  errorCode: string;
  count: number;
  message?: string;
  /** Only calls of these kinds (see CallKind); default: every data call (not the token endpoint). */
  kinds?: CallKind[];
}

export type { CallKind } from './call-kind.ts';

/** One custom notification the org accepted, as `GET /_sim/notifications` lists it. */
export interface SentNotification {
  at: string;
  notificationTypeId: string;
  recipientIds: string[];
  title: string;
  body: string;
  targetId: string | null;
  targetPageRef: string | null;
  senderId: string | null;
}

export interface SimSettings {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  apiVersion: string;
  latencyMs: number;
  queryBatchSize: number;
  apiLimit: number;
  /** While true the token endpoint refuses every grant (invalid_grant), as after a revocation of the app's access. */
  refreshTokenRevoked: boolean;
  /** The External Client App has a run-as user for the client credentials flow (else invalid_grant). */
  clientCredentialsUser: boolean;
  /** The JWT bearer flow: the certificate's public key and the one pre-authorized username; unset, every assertion fails. */
  jwt?: { publicKey: KeyObject; username: string; now: () => number };
  /** Give every record saved by one collections request the same SystemModstamp, as one Salesforce transaction does. */
  stampPerRequest: boolean;
}

/** An open query: its rows, and the batch size fixed when it was opened. */
export interface Cursor {
  rows: Row[];
  size: number;
}

/** Mutable state shared by the simulator's routers. */
export interface SimContext {
  settings: SimSettings;
  store: Store;
  baseUrl: string;
  tokens: Set<string>;
  calls: Record<string, number>;
  faults: FaultSpec[];
  apiUsed: number;
  cursors: Map<string, Cursor>;
  /** Write requests in flight per record, and the overlaps seen. */
  writes: WriteTracker;
  /** Custom notifications the org accepted, oldest first. */
  notifications: SentNotification[];
  /** Told of every data call as it arrives, before the latency (benchmarks time calls with it). */
  onCall?: (call: ApiCallSeen) => void;
}

/** One data call as the simulator saw it arrive. */
export interface ApiCallSeen {
  /** Epoch ms. */
  at: number;
  kind: CallKind;
}

export function emptyCalls(): Record<string, number> {
  return { total: 0 };
}

export function countCall(context: SimContext, kind: CallKind): void {
  context.calls[kind] = (context.calls[kind] ?? 0) + 1;
  context.calls.total = (context.calls.total ?? 0) + 1;
}

/** Takes one unit of the first fault that applies to this kind of call, if any. */
export function takeFault(context: SimContext, kind: CallKind, options: { namedOnly?: boolean } = {}): FaultSpec | undefined {
  const fault = context.faults.find((f) => f.count > 0 && (f.kinds ? f.kinds.includes(kind) : !options.namedOnly && kind !== 'token'));
  if (!fault) return undefined;
  fault.count -= 1;
  context.faults = context.faults.filter((f) => f.count > 0);
  return fault;
}
