import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAPPING_FILES, validateMappingFiles } from '../../../src/config/mappings.ts';
import type {
  ConfigProblem,
  ConfigVersion,
  ConfigVersionsPort,
  DryRunSide,
  MqlPreviewInput,
  ValidationReport,
} from '../../../src/config/versions/config-versions-port.ts';
import { previewMql } from '../../../src/config/versions/mql-preview.ts';
import { summariseBacktest } from '../../../src/core/calibration/backtest.ts';
import { replayPlan } from '../../../src/core/calibration/replay.ts';
import { ValidationError } from '../../../src/errors.ts';

const MAPPINGS_DIR = fileURLToPath(new URL('../../../mappings/', import.meta.url));

/** The reviewed seed files from mappings/, as the real service starts from them. */
export async function seedFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of Object.values(MAPPING_FILES)) files[name] = await readFile(join(MAPPINGS_DIR, name), 'utf8');
  return files;
}

/**
 * A stateful in-memory ConfigVersionsPort for HTTP and browser tests. Validation is the real schema
 * check (validateMappingFiles); the dry run is a stand-in that only shows which version answered.
 */
export class FakeConfigVersions implements ConfigVersionsPort {
  readonly versions: ConfigVersion[] = [];
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** HubSpot contacts the MQL preview can read by id: id → properties. */
  readonly hubspotContacts = new Map<string, Record<string, string>>();
  private clock = Date.parse('2025-03-01T09:00:00Z');

  static async seeded(): Promise<FakeConfigVersions> {
    const fake = new FakeConfigVersions();
    const seed = fake.add({ files: await seedFiles(), author: 'seed', comment: 'mappings directory', basedOn: null });
    seed.status = 'active';
    seed.publishedAt = seed.createdAt;
    return fake;
  }

  /** The fake clock, a minute on from its last reading. */
  private tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  private add(input: { files: Record<string, string>; author: string; comment: string; basedOn: string | null }): ConfigVersion {
    const previous = input.basedOn ? this.versions.find((v) => v.id === input.basedOn) : undefined;
    const version: ConfigVersion = {
      id: `v${this.versions.length + 1}`,
      status: 'draft',
      author: input.author,
      comment: input.comment,
      createdAt: this.tick(),
      publishedAt: null,
      publishedBy: null,
      basedOn: input.basedOn,
      versions: null,
      files: { ...input.files },
      diff: previous ? naiveDiff(previous.files, input.files) : '',
    };
    const parsed = validateMappingFiles(version.files);
    if (parsed.ok) version.versions = { mql: parsed.value.mql.version };
    this.versions.push(version);
    return version;
  }

  async list() {
    this.calls.push({ method: 'list', args: [] });
    return [...this.versions].reverse().map(({ files: _f, diff: _d, ...summary }) => summary);
  }

  async get(id: string) {
    return this.versions.find((v) => v.id === id);
  }

  async active() {
    const active = this.versions.find((v) => v.status === 'active');
    if (!active) throw new Error('no active version');
    return active;
  }

  async createDraft(input: { files: Record<string, string>; author: string; comment: string; basedOn?: string }) {
    this.calls.push({ method: 'createDraft', args: [input] });
    return this.add({ ...input, basedOn: input.basedOn ?? (await this.active()).id });
  }

  async validate(id: string, options: { live: boolean }): Promise<ValidationReport> {
    this.calls.push({ method: 'validate', args: [id, options] });
    return this.check(id);
  }

  private check(id: string): ValidationReport {
    const parsed = validateMappingFiles(this.mustGet(id).files);
    const problems: ConfigProblem[] = parsed.ok ? [] : parsed.problems.map((p) => ({ ...p, source: 'schema' as const }));
    return { ok: problems.length === 0, problems };
  }

  async dryRun(id: string, input: { contactId?: string; sample?: Record<string, string> }) {
    this.calls.push({ method: 'dryRun', args: [id, input] });
    const properties = input.sample ?? { email: `contact-${input.contactId}@example.test` };
    return { contactId: input.contactId ?? null, active: side(await this.active(), properties), draft: side(this.mustGet(id), properties) };
  }

  /** No evaluations are held here: the real comparison of the two definitions over nothing. */
  async backtest(id: string, period: { from: Date; to: Date }) {
    this.calls.push({ method: 'backtest', args: [id, period] });
    const definition = (version: ConfigVersion) => {
      const parsed = validateMappingFiles(version.files);
      if (!parsed.ok) throw new ValidationError(`version ${version.id} is invalid`, parsed.problems);
      return parsed.value.mql;
    };
    const active = await this.active();
    const report = summariseBacktest([], replayPlan({ active: definition(active), draft: definition(this.mustGet(id)) }), 0);
    return { versionId: id, activeVersionId: active.id, from: period.from.toISOString(), to: period.to.toISOString(), ...report };
  }

  /** The real preview (core's qualifyMql) over the contacts held in `hubspotContacts`. */
  async previewMql(input: MqlPreviewInput) {
    this.calls.push({ method: 'previewMql', args: [input] });
    const contacts = this.hubspotContacts;
    const hubspot = {
      async readContacts(ids: string[], properties: string[]) {
        const found = ids.filter((id) => contacts.has(id));
        const pick = (all: Record<string, string>) => Object.fromEntries(properties.flatMap((p) => (p in all ? [[p, all[p]!]] : [])));
        return {
          contacts: found.map((id) => ({ id, properties: pick(contacts.get(id) ?? {}) })),
          missing: ids.filter((id) => !contacts.has(id)),
        };
      },
      async readCompanies() {
        return { companies: [], missing: [] };
      },
    };
    return previewMql(input, { hubspot });
  }

  async publish(id: string, input: { author: string }) {
    this.calls.push({ method: 'publish', args: [id, input] });
    const report = this.check(id);
    if (!report.ok) throw new ValidationError(`version ${id} is invalid`, report.problems);
    for (const v of this.versions) if (v.status === 'active') v.status = 'archived';
    const version = this.mustGet(id);
    version.status = 'active';
    version.publishedAt = this.tick();
    version.publishedBy = input.author;
    return version;
  }

  async rollback(toId: string, input: { author: string; comment: string }) {
    this.calls.push({ method: 'rollback', args: [toId, input] });
    const draft = this.add({
      files: this.mustGet(toId).files,
      author: input.author,
      comment: input.comment,
      basedOn: (await this.active()).id,
    });
    return this.publish(draft.id, { author: input.author });
  }

  async exportFiles(id: string) {
    return { ...this.mustGet(id).files };
  }

  private mustGet(id: string): ConfigVersion {
    const version = this.versions.find((v) => v.id === id);
    if (!version) throw new Error(`unknown version ${id}`);
    return version;
  }
}

function side(version: ConfigVersion, properties: Record<string, string>): DryRunSide {
  const score = Object.keys(properties).length * 10 + (version.files['mql-definition.yaml']!.length % 7);
  return {
    version: version.id,
    qualified: score >= 20,
    score,
    breakdown: `fields present: ${Object.keys(properties).length}\ntotal ${score} (${version.id})`,
    reasons: [`scored by ${version.id}`],
    salesforcePayload: score >= 20 ? { Handoff_HubSpot_Id__c: properties.hs_object_id ?? 'sample', MQL_Score__c: score } : null,
  };
}

/** Enough of a unified diff for people and tests: removed and added lines per changed file. */
function naiveDiff(before: Record<string, string>, after: Record<string, string>): string {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = (before[name] ?? '').split('\n');
    const b = (after[name] ?? '').split('\n');
    if (a.join('\n') === b.join('\n')) continue;
    out.push(`--- a/${name}`, `+++ b/${name}`);
    for (const line of a) if (!b.includes(line)) out.push(`-${line}`);
    for (const line of b) if (!a.includes(line)) out.push(`+${line}`);
  }
  return out.join('\n');
}
