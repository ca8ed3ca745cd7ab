import { fileURLToPath } from 'node:url';
import type * as protoLoader from '@grpc/proto-loader';

/**
 * Salesforce's published Pub/Sub API proto (the part we use), shared by our client and the simulator that serves it,
 * so both speak from one definition.
 */
export const PUBSUB_PROTO_PATH = fileURLToPath(new URL('./pubsub_api.proto', import.meta.url));

/** How proto-loader reads the proto here and in clients: field names as written, enums as names, bytes as Buffers. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = { keepCase: true, enums: String, longs: String, defaults: true };
