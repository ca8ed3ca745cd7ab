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
/** Not checked against the docs: the simulator's code for a topic it does not serve. */
export const TOPIC_NOT_FOUND = 'sfdc.platform.eventbus.grpc.topic.not.found';
