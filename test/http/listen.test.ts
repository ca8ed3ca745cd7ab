import { Agent, get } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { Router } from 'express';
import { createHttpApp } from '../../src/http/app.ts';
import { closeServer, listen } from '../../src/http/listen.ts';
import { createLogger, silentLogger } from '../../src/log.ts';

async function listenAndLog(host: string) {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const listening = await listen(createHttpApp({ logger: silentLogger(), routers: [] }), 0, host, createLogger('info', stream));
  try {
    const status = (await fetch(`${listening.localUrl}/nowhere`)).status;
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.message === 'listening');
    return { status, logged, listening };
  } finally {
    await new Promise<void>((resolve) => listening.server.close(() => resolve()));
  }
}

describe('listen', () => {
  it('logs the bound address: loopback is reachable from this machine only', async () => {
    const { status, logged, listening } = await listenAndLog('127.0.0.1');
    expect(logged).toMatchObject({ address: '127.0.0.1', port: listening.port, reachableFrom: 'this machine only' });
    expect(listening.localUrl).toBe(`http://127.0.0.1:${listening.port}`);
    expect(status).toBe(404);
  });

  it('logs 0.0.0.0 as every network interface, and still gives a local URL that answers', async () => {
    const { status, logged, listening } = await listenAndLog('0.0.0.0');
    expect(logged).toMatchObject({ address: '0.0.0.0', port: listening.port, reachableFrom: 'every network interface' });
    expect(listening.localUrl).toBe(`http://127.0.0.1:${listening.port}`);
    expect(status).toBe(404);
  });

  it('rejects when the address cannot be bound', async () => {
    await expect(listen(createHttpApp({ logger: silentLogger(), routers: [] }), 0, '203.0.113.1', silentLogger())).rejects.toThrow(
      /EADDRNOTAVAIL/,
    );
  });
});

describe('closeServer', () => {
  /**
   * A client polling over one keep-alive connection (a load balancer's /readyz, the start-up wait of a script) kept
   * Node's close() from ever calling back: it ends only the connections idle at that moment. A service whose start
   * failed then hung instead of exiting. Each round closes while the poller is busy; close() alone stayed open in
   * most rounds.
   */
  it('ends while a client keeps polling over a keep-alive connection', async () => {
    for (let round = 0; round < 20; round += 1) {
      // Each answer takes a little while, so the poller's connection is mostly busy, never idle for long.
      const slowReadiness = Router().get('/readyz', (_req, res) => void setTimeout(() => res.status(503).end(), 2));
      const app = createHttpApp({ logger: silentLogger(), routers: [slowReadiness] });
      const { server, port } = await listen(app, 0, '127.0.0.1', silentLogger());
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const polling = { on: true };
      const poller = (async () => {
        while (polling.on) {
          await new Promise<void>((resolve) => {
            const request = get({ host: '127.0.0.1', port, agent, path: '/readyz' }, (response) => response.resume().on('end', resolve));
            request.on('error', () => resolve());
          });
          // A pause, as a poller makes: the agent puts the connection back in its pool and reuses it.
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      // Once the poller has made a few requests, so a request is in flight when close is called.
      await new Promise<void>((resolve) => server.once('request', () => server.once('request', () => resolve())));
      const outcome = await Promise.race([
        closeServer(server).then(() => 'closed'),
        // A hang guard, not a speed target: closing takes milliseconds.
        new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000).unref()),
      ]);
      polling.on = false;
      server.closeAllConnections();
      agent.destroy();
      await poller;
      expect(outcome).toBe('closed');
    }
  });
});
