import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from '@jest/globals';
import { silentLogger } from '../../src/log.ts';
import { stopLeftoverServer } from '../../src/store/embedded/embedded-cluster.ts';
import { freshDataDir } from '../support/databases.ts';
import { type RunningService, startServiceProcess } from './support/service-process.ts';

const TOKEN = 'sandbox-history-e2e-admin-token-0123456789';
let service: RunningService | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await service?.stop();
  if (dataDir) {
    await stopLeftoverServer(dataDir, silentLogger());
    await rm(dataDir, { recursive: true, force: true });
  }
});

const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${service!.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<Record<string, any>>;
};

it('seeds a quarter on a sandbox start with SANDBOX_HISTORY on: KPIs and a backtest of the active version show it', async () => {
  dataDir = await freshDataDir();
  service = await startServiceProcess({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN, SANDBOX_HISTORY: 'on' }, { port: 0 });
  const lines = service.output.map((line) => JSON.parse(line) as Record<string, unknown>);
  const seeded = lines.find((line) => line.message === 'sandbox history seeded')!;
  expect(seeded).toMatchObject({ contacts: 3_000, turnOff: expect.stringContaining('SANDBOX_HISTORY=off') });

  const to = new Date(String(seeded.to));
  const from = new Date(String(seeded.from));
  const kpis = await api(`/api/kpis?from=${from.toISOString()}&to=${to.toISOString()}`);
  expect(kpis.total.funnel.mql).toBe(seeded.mql);
  expect(kpis.total.funnel.mql).toBeGreaterThan(500);
  expect(kpis.total.revenue.won).toBeGreaterThan(20);
  expect(kpis.total.rates.winRate).toBeGreaterThan(0.15);
  expect(kpis.total.rates.winRate).toBeLessThan(0.6);
  // Today is the run's own: nothing seeded in it.
  const today = await api(`/api/kpis?from=${to.toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`);
  expect(today.total.funnel.mql).toBe(0);

  const active = await api('/api/config/active');
  const backtest = await api(`/api/config/versions/${active.id}/backtest`, {
    method: 'POST',
    body: JSON.stringify({ from: from.toISOString(), to: to.toISOString() }),
  });
  expect(backtest.contacts).toEqual({ evaluated: 3_000, replayed: 3_000, notReplayable: 0 });
  expect(backtest.mql.active).toBe(seeded.mql);
  expect(backtest.rules.length).toBeGreaterThan(10);
  expect(backtest.rules.some((rule: { sqlLift: number | null }) => rule.sqlLift !== null)).toBe(true);
  expect(backtest.scoreBands.filter((band: { mql: number }) => band.mql > 0).length).toBeGreaterThan(3);
}, 120_000);
