import { describe, expect, it } from '@jest/globals';
import { Router } from 'express';
import { parseEnv } from '../../src/config/env.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { REQUEST_BUDGETS } from '../../src/http/security.ts';
import { silentLogger } from '../../src/log.ts';
import { listenOnLoopback } from '../support/http.ts';

/**
 * Express "behind proxies" (expressjs.com/en/guide/behind-proxies): with `trust proxy` trusting the peer, req.ip
 * is the nearest untrusted X-Forwarded-For entry; with false it is the socket's address. These tests connect
 * from loopback as a proxy on this machine (or a load balancer) would.
 */
function whoAmI(): Router {
  const router = Router();
  router.get('/whoami', (req, res) => {
    res.json({ ip: req.ip });
  });
  return router;
}

async function serve(trustProxyVariable: string | undefined) {
  const env = parseEnv(trustProxyVariable === undefined ? {} : { TRUST_PROXY: trustProxyVariable });
  return listenOnLoopback(createHttpApp({ logger: silentLogger(), trustProxy: env.TRUST_PROXY, routers: [whoAmI()] }));
}

async function ipsSeen(trustProxyVariable: string | undefined, forwardedFor: string[]): Promise<string[]> {
  const server = await serve(trustProxyVariable);
  try {
    const ips: string[] = [];
    for (const client of forwardedFor) {
      const response = await fetch(`${server.url}/whoami`, { headers: { 'x-forwarded-for': client } });
      ips.push(((await response.json()) as { ip: string }).ip);
    }
    return ips;
  } finally {
    await server.close();
  }
}

describe('TRUST_PROXY feeds Express trust proxy', () => {
  it('loopback (the default): two clients behind a proxy on this machine are two clients', async () => {
    expect(await ipsSeen(undefined, ['203.0.113.1', '203.0.113.2'])).toEqual(['203.0.113.1', '203.0.113.2']);
    expect(await ipsSeen('loopback', ['203.0.113.1', '203.0.113.2'])).toEqual(['203.0.113.1', '203.0.113.2']);
  });

  it('false: every request is the peer itself, one client', async () => {
    const ips = await ipsSeen('false', ['203.0.113.1', '203.0.113.2']);
    expect(new Set(ips).size).toBe(1);
    expect(ips[0]).toMatch(/127\.0\.0\.1$/);
  });

  it('a hop count trusts that many proxies from this side', async () => {
    expect(await ipsSeen('1', ['198.51.100.9, 203.0.113.1'])).toEqual(['203.0.113.1']);
    expect(await ipsSeen('2', ['198.51.100.9, 203.0.113.1'])).toEqual(['198.51.100.9']);
  });

  it('a subnet that does not hold the peer trusts nothing it says', async () => {
    const ips = await ipsSeen('10.0.0.0/8', ['203.0.113.1', '203.0.113.2']);
    expect(new Set(ips).size).toBe(1);
  });

  it('gives each client behind the proxy its own rate-limit bucket', async () => {
    const { limit } = REQUEST_BUDGETS.adminSignIn;
    const statusesFor = async (trustProxyVariable: string) => {
      const server = await serve(trustProxyVariable);
      try {
        const signIn = (client: string) =>
          fetch(`${server.url}/admin/session`, { method: 'POST', headers: { 'x-forwarded-for': client } }).then((r) => r.status);
        for (let i = 0; i < limit; i += 1) await signIn('203.0.113.1');
        return { sameClient: await signIn('203.0.113.1'), otherClient: await signIn('203.0.113.2') };
      } finally {
        await server.close();
      }
    };
    expect(await statusesFor('loopback')).toEqual({ sameClient: 429, otherClient: 404 });
    expect(await statusesFor('false')).toEqual({ sameClient: 429, otherClient: 429 });
  });
});
