import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { KIND_REPLAYS } from '../../../src/jobs/parked/kind-replays.ts';

/** The admin page's parked-work filter offers every kind of parked work the service can replay, and no other. */
describe('admin page: the parked-kind filter', () => {
  it('lists exactly the replayable kinds', async () => {
    const html = await readFile(new URL('../../../src/http/admin-page/static/index.html', import.meta.url), 'utf8');
    const select = /<select id="parked-kind">([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
    const values = [...select.matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]).filter((v) => v !== '');
    expect(values.sort()).toEqual([...KIND_REPLAYS.keys()].sort());
  });
});
