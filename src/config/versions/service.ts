import type { HubSpotPort } from '../../adapters/hubspot/hubspot-port.ts';
import type { SalesforcePort } from '../../adapters/salesforce/salesforce-port.ts';
import { ValidationError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import {
  activeConfigVersion,
  type ConfigVersionRow,
  type ConfigVersionSummaryRow,
  getConfigVersion,
  insertConfigVersion,
  listConfigVersions,
  publishConfigVersion,
  type TransactionalDb,
} from '../../store/config-versions.ts';
import { runBacktest } from './backtest.ts';
import type { ConfigVersion, ConfigVersionSummary, ConfigVersionsPort, ValidationReport } from './config-versions-port.ts';
import { dryRun } from './dry-run.ts';
import { checkFileSet, checkSchema, versionsByFile } from './files.ts';
import { liveProblems } from './live-validation.ts';
import { previewMql } from './mql-preview.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface ConfigVersionsDeps {
  db: TransactionalDb;
  hubspot: Pick<HubSpotPort, 'listProperties' | 'readContacts' | 'readCompanies'>;
  salesforce: Pick<SalesforcePort, 'describe' | 'query' | 'customNotificationTypeId'>;
  logger: Logger;
  now: () => Date;
}

/** No version has this id. A ValidationError (400) by default; the admin API may answer 404 for it. */
export class ConfigVersionNotFoundError extends ValidationError {
  readonly id: string;
  constructor(id: string, path = 'id') {
    super(`no configuration version ${id}`, [{ path, message: `no configuration version ${id}` }]);
    this.name = 'ConfigVersionNotFoundError';
    this.id = id;
  }
}

/** Drafts, validation, dry run, backtest, publish, rollback and export of the mappings files, stored in the database. */
export function createConfigVersions(deps: ConfigVersionsDeps): ConfigVersionsPort {
  const { db, now } = deps;
  const log = deps.logger.child({ module: 'config-versions' });

  const load = async (id: string, path = 'id'): Promise<ConfigVersionRow> => {
    const row = await getConfigVersion(db, id);
    if (!row) throw new ConfigVersionNotFoundError(id, path);
    return row;
  };
  const loadActive = async (): Promise<ConfigVersionRow> => {
    const row = await activeConfigVersion(db);
    if (!row) throw new Error('no active configuration version (the service seeds one at start)');
    return row;
  };
  const bundleOf = (row: ConfigVersionRow) => {
    const schema = checkSchema(row.files);
    if (!schema.ok)
      throw new ValidationError(`version ${row.id} does not pass schema validation (${schema.problems.length} problems)`, schema.problems);
    return schema.bundle;
  };

  const createDraft: ConfigVersionsPort['createDraft'] = async (input) => {
    checkFileSet(input.files);
    const base = input.basedOn !== undefined ? await load(input.basedOn, 'basedOn') : await activeConfigVersion(db);
    const schema = checkSchema(input.files);
    const row = await insertConfigVersion(db, {
      files: input.files,
      author: input.author,
      comment: input.comment,
      basedOn: base?.id ?? null,
      versions: schema.ok ? versionsByFile(schema.bundle) : null,
      diff: unifiedDiff(base?.files ?? {}, input.files),
      createdAt: now(),
    });
    log.info('configuration draft created', { versionId: row.id, basedOn: row.basedOn, valid: schema.ok });
    return toVersion(row);
  };

  const publish: ConfigVersionsPort['publish'] = async (id, input) => {
    const row = await load(id);
    const schema = checkSchema(row.files);
    if (!schema.ok) {
      throw new ValidationError(`version ${id} cannot be published: ${schema.problems.length} problem(s) in its files`, schema.problems);
    }
    const outcome = await publishConfigVersion(db, id, { publishedBy: input.author, at: now() });
    if (!outcome.ok && outcome.reason === 'not_found') throw new ConfigVersionNotFoundError(id);
    if (!outcome.ok) {
      throw new ValidationError(`version ${id} was archived; roll back to it to make it active again`, [
        { path: 'id', message: 'archived versions are restored with rollback' },
      ]);
    }
    log.info('configuration version published', { versionId: id, archived: outcome.archivedId, versions: outcome.version.versions });
    return toVersion(outcome.version);
  };

  return {
    async list() {
      return (await listConfigVersions(db)).map(toSummary);
    },
    async get(id) {
      const row = await getConfigVersion(db, id);
      return row ? toVersion(row) : undefined;
    },
    async active() {
      return toVersion(await loadActive());
    },
    createDraft,
    async validate(id, options): Promise<ValidationReport> {
      const row = await load(id);
      const schema = checkSchema(row.files);
      if (!schema.ok) return { ok: false, problems: schema.problems };
      const problems = options.live ? await liveProblems(schema.bundle, row.files, deps) : [];
      return { ok: problems.length === 0, problems };
    },
    async dryRun(id, input) {
      const draft = bundleOf(await load(id));
      const active = bundleOf(await loadActive());
      return dryRun(input, { active, draft }, { hubspot: deps.hubspot, now: now() });
    },
    async backtest(id, period) {
      const draftRow = await load(id);
      const activeRow = await loadActive();
      const definitions = { active: bundleOf(activeRow).mql, draft: bundleOf(draftRow).mql };
      const report = await runBacktest(db, definitions, period);
      log.info('backtest done', { versionId: id, activeVersionId: activeRow.id, ...report.contacts, mql: report.mql });
      return { versionId: id, activeVersionId: activeRow.id, from: period.from.toISOString(), to: period.to.toISOString(), ...report };
    },
    previewMql: (input) => previewMql(input, { hubspot: deps.hubspot }),
    publish,
    async rollback(toId, input) {
      const target = await load(toId);
      const draft = await createDraft({
        files: target.files,
        author: input.author,
        comment: input.comment || `rollback to version ${toId}`,
      });
      log.info('configuration rollback', { to: toId, versionId: draft.id });
      return publish(draft.id, { author: input.author });
    },
    async exportFiles(id) {
      return { ...(await load(id)).files };
    },
  };
}

function toSummary(row: ConfigVersionSummaryRow): ConfigVersionSummary {
  return {
    id: row.id,
    status: row.status,
    author: row.author,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    publishedBy: row.publishedBy,
    basedOn: row.basedOn,
    versions: row.versions,
  };
}

function toVersion(row: ConfigVersionRow): ConfigVersion {
  return { ...toSummary(row), files: row.files, diff: row.diff };
}
