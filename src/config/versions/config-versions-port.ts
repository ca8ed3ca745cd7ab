import type { BreakdownCategory } from '../../core/definitions/qualify-mql.ts';
import type { BacktestResult } from './backtest-schema.ts';

/**
 * Contract between versioned configuration (drafts, validation, dry run, publish, rollback, export) and its
 * users: the admin API, the admin page, the CLI and the worker's active-bundle holder.
 */
export type ConfigVersionStatus = 'draft' | 'active' | 'archived';

export interface ConfigVersionSummary {
  id: string;
  status: ConfigVersionStatus;
  author: string;
  comment: string;
  createdAt: string;
  publishedAt: string | null;
  /** Who published it (a rollback is published by who rolled back); null while a draft. */
  publishedBy: string | null;
  /** The version this one was edited from (null for the seed from the mappings directory). */
  basedOn: string | null;
  /** Each file's `${version}@${hash7}` when the files parse; null for a draft that does not. */
  versions: Record<string, string> | null;
}

export interface ConfigVersion extends ConfigVersionSummary {
  /** File name (e.g. mql-definition.yaml) → YAML text, exactly as the admin wrote it. */
  files: Record<string, string>;
  /** Unified diff against `basedOn` (or the previous active version), for people. */
  diff: string;
}

export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
  line?: number;
  /** schema: the files themselves; hubspot / salesforce: checked against the live (or simulated) systems. */
  source: 'schema' | 'hubspot' | 'salesforce';
}

export interface ValidationReport {
  ok: boolean;
  problems: ConfigProblem[];
}

export interface DryRunSide {
  version: string;
  qualified: boolean;
  score: number;
  /** The text the rep would see in MQL_Breakdown__c. */
  breakdown: string;
  reasons: string[];
  /** The exact Salesforce Lead payload the handoff would write, or null when it would not hand off. */
  salesforcePayload: Record<string, unknown> | null;
}

export interface DryRunResult {
  contactId: string | null;
  active: DryRunSide;
  draft: DryRunSide;
}

export interface MqlPreviewInput {
  /** Draft files; only mql-definition.yaml is read. */
  files: Record<string, string>;
  /** Pasted contacts; `id` only labels the result. */
  contacts: Array<{ id?: string; properties: Record<string, string> }>;
  /** HubSpot contacts to read (the properties the definition names) and score. */
  hubspotIds: string[];
}

export interface MqlPreviewLine {
  rule: string;
  label: string;
  category: BreakdownCategory;
  points: number;
  detail?: string;
}

export interface MqlPreviewContact {
  id: string;
  qualified: boolean;
  score: number;
  segment: string;
  threshold: number;
  fastTrack: string | null;
  excluded: string | null;
  breakdown: MqlPreviewLine[];
  reasons: string[];
}

export interface MqlPreview {
  results: MqlPreviewContact[];
  problems: ConfigProblem[];
}

export interface ConfigVersionsPort {
  list(): Promise<ConfigVersionSummary[]>;
  get(id: string): Promise<ConfigVersion | undefined>;
  active(): Promise<ConfigVersion>;
  /** Drafts may be invalid (validation says why); only valid ones can be published. */
  createDraft(input: { files: Record<string, string>; author: string; comment: string; basedOn?: string }): Promise<ConfigVersion>;
  validate(id: string, options: { live: boolean }): Promise<ValidationReport>;
  /** Nothing is written anywhere: a HubSpot contact id (read live) or a pasted sample record. */
  dryRun(id: string, input: { contactId?: string; sample?: Record<string, string> }): Promise<DryRunResult>;
  /**
   * Replays this version's MQL definition and the active one over every contact evaluated in [from, to) and compares
   * them on what became of those contacts; writes nothing. Throws ValidationError when the version does not parse.
   */
  backtest(id: string, period: { from: Date; to: Date }): Promise<BacktestResult>;
  /** Scores contacts under a draft's MQL definition (parsed from `files`, problems returned); writes nothing. */
  previewMql(input: MqlPreviewInput): Promise<MqlPreview>;
  /** Makes the version active (the previous active one is archived); throws ValidationError when invalid. */
  publish(id: string, input: { author: string }): Promise<ConfigVersion>;
  /** Publishes a new version whose files are those of `toId`. */
  rollback(toId: string, input: { author: string; comment: string }): Promise<ConfigVersion>;
  /** The files of a version, ready to be written to a mappings directory and reviewed in git. */
  exportFiles(id: string): Promise<Record<string, string>>;
}
