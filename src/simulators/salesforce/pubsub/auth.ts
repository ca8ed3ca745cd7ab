import type * as grpc from '@grpc/grpc-js';

/** What a call must carry: the org's id and instance URL, and an access token the org issued. */
export interface PubSubAuth {
  tokens: Set<string>;
  instanceUrl: () => string;
  tenantId: string;
}

const header = (metadata: grpc.Metadata, name: string): string | undefined => {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value : undefined;
};

/**
 * "Authentication" (Pub/Sub API Developer Guide): every RPC carries the metadata headers `accesstoken` (the OAuth
 * access token), `instanceurl` (the org's instance URL) and `tenantid` (the org id).
 */
export function authorized(auth: PubSubAuth, metadata: grpc.Metadata): boolean {
  const token = header(metadata, 'accesstoken');
  return (
    token !== undefined &&
    auth.tokens.has(token) &&
    header(metadata, 'instanceurl') === auth.instanceUrl() &&
    header(metadata, 'tenantid') === auth.tenantId
  );
}
