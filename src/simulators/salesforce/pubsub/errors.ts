import * as grpc from '@grpc/grpc-js';

/**
 * A failure as Pub/Sub API reports it ("Handle Errors", Pub/Sub API Developer Guide): a gRPC status, and the
 * Salesforce error code in the `error-code` trailer; the message ends with the RPC id after "rpcId: ".
 */
export function pubSubError(code: grpc.status, errorCode: string, message: string, rpcId: string): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  metadata.set('error-code', errorCode);
  metadata.set('rpc-id', rpcId);
  return Object.assign(new Error(message), { code, details: `${message} rpcId: ${rpcId}`, metadata });
}

/** "sfdc.platform.eventbus.grpc.service.auth.error: Provide valid authentication via metadata headers." */
export const AUTH_ERROR = 'sfdc.platform.eventbus.grpc.service.auth.error';
/** A replay id that is invalid, for example older than the retention window ("Retry Long-Lived RPC Calls"); INVALID_ARGUMENT. */
export const REPLAY_ID_CORRUPTED = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';
/**
 * A topic the org does not have, or a change event channel whose object is not selected for Change Data Capture.
 * The gRPC status is NOT_FOUND, with the message of `topicNotFound` (as Salesforce's Pub/Sub API maintainer quotes a
 * real org's answer to GetTopic for a CDC channel not activated in Setup: pozil/pub-sub-api-java-client issue 2).
 * NOT DOCUMENTED: the `error-code` trailer value. "Handle Errors" lists no topic code in what we could read, so this
 * one is the simulator's own; clients should key on the NOT_FOUND status, not on this string.
 */
export const TOPIC_NOT_FOUND = 'sfdc.platform.eventbus.grpc.topic.not.found';

export function topicNotFound(tenantId: string, topic: string): string {
  return `The topic information for org CORE/prod/${tenantId} and topic ${topic} not found. Ensure the topic name is correct and that the topic exists.`;
}

/** NOT DOCUMENTED (status nor code): a GetSchema for a schema id the org never issued; NOT_FOUND by analogy with topics. */
export const SCHEMA_NOT_FOUND = 'sfdc.platform.eventbus.grpc.schema.not.found';
