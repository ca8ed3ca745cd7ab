import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../log.ts';

export interface Listening {
  server: Server;
  /** The address the port is bound to, as the operating system reports it (0.0.0.0, 127.0.0.1, ::…). */
  address: string;
  port: number;
  /** A URL this machine can reach the service on: loopback when bound to every address, else the bound one. */
  localUrl: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);
const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1';

function reachableFrom(address: string): string {
  if (WILDCARDS.has(address)) return 'every network interface';
  return isLoopback(address) ? 'this machine only' : 'this address only';
}

function localUrlOf({ address, family, port }: AddressInfo): string {
  if (WILDCARDS.has(address)) return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/** Binds the app and says where, so an operator sees at once whether it is reachable from other machines. */
export function listen(app: Express, port: number, host: string, logger: Logger): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const bound = server.address() as AddressInfo;
      logger.info('listening', { address: bound.address, port: bound.port, reachableFrom: reachableFrom(bound.address) });
      resolve({ server, address: bound.address, port: bound.port, localUrl: localUrlOf(bound) });
    });
  });
}

/**
 * Stops taking connections and resolves once the open ones are gone. Node's close() ends only the keep-alive
 * connections idle at that moment; a client that keeps one busy (a load balancer or a start-up script polling
 * /readyz every few milliseconds) would hold it open for ever. So every answer from now on closes its connection.
 */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => response.setHeader('Connection', 'close'));
  return closed;
}
