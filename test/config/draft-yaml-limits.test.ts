import { describe, expect, it } from '@jest/globals';
import { insertConfigVersion } from '../../src/store/config-versions.ts';
import { useConfigAdminServer } from '../support/config-admin-server.ts';
import { shippedFiles } from '../unit/core/helpers.ts';

/**
 * A draft whose YAML aliases expand exponentially (a "billion laughs") made yaml's toJS throw ("Excessive alias
 * count indicates a resource exhaustion attack", its maxAliasCount guard) straight through the admin API: a 500.
 * A draft is refused with 400 naming the file and the line of the first alias (an unfinished draft is saved with its
 * problems, but this is an attack, not work in progress); a version stored before that check is a problem of its file
 * like any other YAML error: publishing answers 422 and a dry run 400, both naming it.
 */
const TOKEN = 'draft-yaml-token';
const BOMB_MESSAGE = 'YAML could not be read: Excessive alias count indicates a resource exhaustion attack';
const seed = shippedFiles();

function aliasBomb(): string {
  const levels = ['lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 6; level += 1)
    levels.push(
      `lol${level}: &lol${level} [${Array(10)
        .fill(`*lol${level - 1}`)
        .join(', ')}]`,
    );
  return `${levels.join('\n')}\n${seed['sla-rules.yaml']}`;
}

describe('a draft holding a YAML alias bomb', () => {
  const admin = useConfigAdminServer(TOKEN);

  const api = async (path: string, body: unknown) => {
    const response = await fetch(`${admin.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  it('is refused with 400 naming the file and the line of the first alias, and nothing is saved', async () => {
    const before = await admin.db.query('SELECT count(*)::int AS n FROM config_versions');
    const draft = await api('/api/config/versions', { files: { ...seed, 'sla-rules.yaml': aliasBomb() }, comment: 'laughs' });
    expect(draft.status).toBe(400);
    expect(draft.json.error.details).toEqual([{ path: 'files.sla-rules.yaml', file: 'sla-rules.yaml', line: 2, message: BOMB_MESSAGE }]);
    const after = await admin.db.query('SELECT count(*)::int AS n FROM config_versions');
    expect(after.rows).toEqual(before.rows);
  });

  it('held by a version stored earlier, is named with its file and line when validated, dry-run (400) or published (422)', async () => {
    const stored = await insertConfigVersion(admin.db, {
      files: { ...seed, 'sla-rules.yaml': aliasBomb() },
      author: 'admin',
      comment: 'from before the check',
      basedOn: null,
      versions: null,
      diff: '',
    });
    const problem = { file: 'sla-rules.yaml', path: '', line: 2, message: BOMB_MESSAGE, source: 'schema' };

    const report = await api(`/api/config/versions/${stored.id}/validate`, { live: false });
    expect(report).toEqual({ status: 200, json: { ok: false, problems: [problem] } });

    const dryRun = await api(`/api/config/versions/${stored.id}/dry-run`, { sample: { jobtitle: 'CTO' } });
    expect(dryRun.status).toBe(400);
    expect(dryRun.json.error.details).toEqual([problem]);
    const publish = await api(`/api/config/versions/${stored.id}/publish`, {});
    expect(publish.status).toBe(422);
    expect(publish.json.error).toMatchObject({ code: 'invalid_version', details: { problems: [problem] } });
  });
});
