import { describe, expect, it } from '@jest/globals';
import type { ConfigVersionsPort } from '../../../src/config/versions/config-versions-port.ts';
import { createSignal } from '../../../src/service/signal.ts';
import {
  configVersionsWhenStarted,
  contactIdForEmail,
  replayParkedWhenStarted,
  type StartedLater,
} from '../../../src/service/started-later.ts';

describe('parts the admin routes use before they have started', () => {
  it('say which part is still starting, then call through once it is there', async () => {
    const later: StartedLater = { handoffWorkerRunning: false };
    const configVersions = configVersionsWhenStarted(later);
    expect(() => configVersions.list()).toThrow('configuration service is still starting');
    await expect(contactIdForEmail(later, 'a@example.com')).rejects.toThrow('HubSpot is still starting');
    await expect(replayParkedWhenStarted(later)({} as never, 'ops')).rejects.toThrow('parked work replay is still starting');

    later.configVersions = { list: async () => [], exportFiles: async (id: string) => ({ id }) } as unknown as ConfigVersionsPort;
    await expect(configVersions.list()).resolves.toEqual([]);
    await expect(configVersions.exportFiles('v2')).resolves.toEqual({ id: 'v2' });
  });

  it('a signal reaches the listeners attached so far, and none before', () => {
    const signal = createSignal<number>();
    const heard: number[] = [];
    signal.emit(1);
    signal.listen((value) => heard.push(value));
    signal.emit(2);
    expect(heard).toEqual([2]);
  });
});
