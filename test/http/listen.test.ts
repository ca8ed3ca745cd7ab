import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createHttpApp } from '../../src/http/app.ts';
import { listen } from '../../src/http/listen.ts';
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
