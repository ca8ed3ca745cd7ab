import type { MappingsBundle } from '../mappings/bundle.ts';
import { type BantResult, describeRule } from './bant.ts';
import type { FlagKind, LeadChangeOutcome } from './lead-change-types.ts';
import type { RejectionReason } from './rejection-schema.ts';

/** Handoff_Sync_Status__c and Task.Subject are Salesforce Text(255) fields: longer text is refused, so we cut it. */
const SALESFORCE_TEXT_MAX_CHARS = 255;

type FlagOutcome = Extract<LeadChangeOutcome, { kind: 'flag' }>;

const FOOTER = 'Handoff sends nothing to HubSpot until this is fixed; it picks the change up on its next poll.';

/** Shortens to Salesforce's Text(255) limit, marking the cut. */
export function fitText(text: string, max = SALESFORCE_TEXT_MAX_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function flag(kind: FlagKind, message: string, syncStatus: string, subject: string, details: string[]): FlagOutcome {
  return {
    kind: 'flag',
    flag: kind,
    message,
    syncStatus: fitText(`Blocked: ${syncStatus}`),
    task: { subject: fitText(`Handoff: ${subject}`), description: [...details, FOOTER].join('\n\n') },
  };
}

function reasonLines(bundle: MappingsBundle): string {
  return bundle.rejection.reasons.map((r) => `- ${r.code}: ${r.label}${r.requiresNote ? ' (needs a note)' : ''}`).join('\n');
}

const codes = (bundle: MappingsBundle): string => bundle.rejection.reasons.map((r) => r.code).join(', ');

export function missingReasonFlag(bundle: MappingsBundle, status: string): FlagOutcome {
  const field = bundle.fieldMapping.salesforce.fields.rejectionReason;
  return flag(
    'missing_rejection_reason',
    `Rejected without a reason: choose one in ${field}. Valid codes: ${codes(bundle)}.`,
    `choose a rejection reason — ${codes(bundle)}`,
    'choose a rejection reason',
    [`This Lead is set to "${status}" but ${field} is empty.`, `Choose one of these reasons:\n${reasonLines(bundle)}`],
  );
}

export function invalidReasonFlag(bundle: MappingsBundle, status: string, given: string): FlagOutcome {
  const field = bundle.fieldMapping.salesforce.fields.rejectionReason;
  const shown = fitText(given.trim(), 60);
  return flag(
    'invalid_rejection_reason',
    `"${shown}" is not a valid rejection reason. Valid codes: ${codes(bundle)}.`,
    `"${shown}" is not a valid rejection reason — ${codes(bundle)}`,
    'fix the rejection reason',
    [
      `This Lead is set to "${status}" with ${field} = "${shown}", which is not a rejection reason.`,
      `Choose one of these reasons:\n${reasonLines(bundle)}`,
    ],
  );
}

export function missingNoteFlag(bundle: MappingsBundle, status: string, reason: RejectionReason): FlagOutcome {
  const field = bundle.fieldMapping.salesforce.fields.rejectionNote;
  return flag(
    'missing_rejection_note',
    `Reason ${reason.code} (${reason.label}) needs a note in ${field}.`,
    `reason ${reason.code} needs a note in ${field}`,
    'add a rejection note',
    [`This Lead is set to "${status}" with reason ${reason.code} (${reason.label}), which needs a note.`, `Write the note in ${field}.`],
  );
}

export function bantFlag(bundle: MappingsBundle, status: string, bant: BantResult): FlagOutcome {
  const met = bant.metLabels.length > 0 ? bant.metLabels.join(', ') : 'none';
  const rule = describeRule(bundle.sql);
  const fields = bant.criteria.map((c) => `- ${c.label}: ${c.field} (${c.met ? 'met' : `not met: ${c.detail}`})`).join('\n');
  return flag(
    'bant_not_met',
    `Not an SQL yet: BANT needs ${rule}. Met: ${met}. Missing: ${bant.missing.join('; ')}.`,
    `BANT not met — missing ${bant.missingShort.join('; ')}`,
    'complete BANT before qualifying',
    [
      `This Lead is set to "${status}", but an SQL needs ${rule}.`,
      `Met: ${met}.\nMissing: ${bant.missing.join('; ')}.`,
      `Fields:\n${fields}`,
    ],
  );
}
