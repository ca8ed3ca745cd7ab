import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from '@jest/globals';
import {
  classifyCredentialFailure,
  classifyPubSubError,
  type PubSubFailureKind,
} from '../../../../src/adapters/salesforce/pubsub/failure.ts';
import { ProviderError } from '../../../../src/errors.ts';

function grpcError(code: number, errorCode?: string, details = 'something happened rpcId: 42') {
  const metadata = new Metadata();
  if (errorCode) metadata.set('error-code', errorCode);
  metadata.set('rpc-id', 'rpc-42');
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

const CORRUPTED = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';
const VALIDATION_FAILED = 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed';

describe('classifyPubSubError (Pub/Sub API Developer Guide, "Handle Errors" and "Retry Long-Lived RPC Calls")', () => {
  it.each<[string, unknown, PubSubFailureKind]>([
    ['replayid.corrupted (past the 72-hour window)', grpcError(status.INVALID_ARGUMENT, CORRUPTED), 'replay-rejected'],
    ['replayid.validation.failed', grpcError(status.INVALID_ARGUMENT, VALIDATION_FAILED), 'replay-rejected'],
    [
      'another INVALID_ARGUMENT',
      grpcError(status.INVALID_ARGUMENT, 'sfdc.platform.eventbus.grpc.subscription.fetch.requested.events.invalid'),
      'other',
    ],
    ['UNAUTHENTICATED', grpcError(status.UNAUTHENTICATED, 'sfdc.platform.eventbus.grpc.service.auth.error'), 'unauthenticated'],
    ['NOT_FOUND (no such topic)', grpcError(status.NOT_FOUND), 'topic-unavailable'],
    ['PERMISSION_DENIED (topic not readable)', grpcError(status.PERMISSION_DENIED), 'topic-unavailable'],
    ['a code naming the topic', grpcError(status.INVALID_ARGUMENT, 'sfdc.platform.eventbus.grpc.topic.not.found'), 'topic-unavailable'],
    ['UNAVAILABLE', grpcError(status.UNAVAILABLE, 'sfdc.platform.eventbus.grpc.service.unavailable'), 'unavailable'],
    ['DEADLINE_EXCEEDED', grpcError(status.DEADLINE_EXCEEDED), 'unavailable'],
    ['INTERNAL', grpcError(status.INTERNAL), 'unavailable'],
    ['RESOURCE_EXHAUSTED (concurrent client limit)', grpcError(status.RESOURCE_EXHAUSTED), 'unavailable'],
    ['CANCELLED (stream reset by the peer)', grpcError(status.CANCELLED), 'unavailable'],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'unavailable'],
    ['a stream the server ended with OK', { code: status.OK, details: 'OK', metadata: new Metadata() }, 'stream-ended'],
    ['UNIMPLEMENTED', grpcError(status.UNIMPLEMENTED), 'other'],
    ['not an error at all', 'boom', 'other'],
  ])('%s', (_name, error, kind) => {
    expect(classifyPubSubError(error).kind).toBe(kind);
  });

  it('keeps the gRPC code, both trailers and the message', () => {
    expect(classifyPubSubError(grpcError(status.INVALID_ARGUMENT, CORRUPTED, 'The Replay ID validation failed.'))).toEqual({
      kind: 'replay-rejected',
      grpcCode: status.INVALID_ARGUMENT,
      errorCode: CORRUPTED,
      rpcId: 'rpc-42',
      message: 'The Replay ID validation failed.',
    });
  });

  it('blanks the secrets it is given out of the message', () => {
    const token = '00DHs0000000Sim!secret-token-value';
    const failure = classifyPubSubError(grpcError(status.UNAUTHENTICATED, undefined, `bad token ${token} rpcId: 1`), [token]);
    expect(failure.message).toBe('bad token [redacted] rpcId: 1');
  });
});

describe('classifyCredentialFailure', () => {
  it.each<[string, unknown, PubSubFailureKind]>([
    [
      'a refused grant (needs a person)',
      new ProviderError('salesforce', 'invalid_grant', { retryable: false, code: 'invalid_grant' }),
      'unauthenticated',
    ],
    ['a token endpoint out of reach', new ProviderError('salesforce', 'socket hang up', { retryable: true }), 'unavailable'],
    ['a bug', new TypeError('x is undefined'), 'other'],
  ])('%s', (_name, error, kind) => {
    expect(classifyCredentialFailure(error).kind).toBe(kind);
  });
});
