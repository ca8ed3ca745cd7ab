/** Salesforce Pub/Sub API rules the client depends on, in one place. Each entry names the vendor document. */
export const PUBSUB_LIMITS = {
  /**
   * "Pub/Sub API Endpoints" (Pub/Sub API Developer Guide): the global endpoint `api.pubsub.salesforce.com`, port 443
   * or 7443, over TLS (a Europe endpoint, api.deu.pubsub.salesforce.com, exists for data-in-transit rules); the org
   * is chosen by the metadata headers, not the host.
   */
  endpoint: 'api.pubsub.salesforce.com:7443',
  /**
   * "Subscribe RPC Method" and "Pull Subscription and Flow Control": num_requested is at most 100; asking for more
   * counts as 100. We ask again only once the events asked for have arrived (pending_num_requested 0).
   */
  maxNumRequested: 100,
  /** "Subscribe RPC Method", keepalive behaviour: an idle stream still answers with an empty batch within 270 s. */
  keepAliveWithinMs: 270_000,
  /** "Authentication": every RPC carries these metadata headers. */
  headers: { accessToken: 'accesstoken', instanceUrl: 'instanceurl', tenantId: 'tenantid' },
  /** "Handle Errors": Salesforce's own error code travels in this trailer, the RPC id in `rpc-id`. */
  errorCodeTrailer: 'error-code',
  rpcIdTrailer: 'rpc-id',
  /**
   * "Retry Long-Lived RPC Calls After an Error Occurs" and the "Handle Errors" error table: a replay id that is
   * invalid, for example older than the 72-hour retention window, is refused with INVALID_ARGUMENT and one of these.
   */
  replayRejectedCodes: [
    'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed',
  ],
} as const;
