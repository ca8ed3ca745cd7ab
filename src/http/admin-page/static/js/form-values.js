// Pure helpers behind the rejection-reason and status-map forms: what a new reason needs before it can be added,
// and how the Salesforce status inputs turn into the lists the status map stores. Plain ESM: the page and jest
// (in node) both import it.
import { appendItem } from './yaml-edit.js';

/** As core/sales/rejection-schema.ts: codes are Salesforce picklist API values and HubSpot option values. */
const CODE = /^[a-z][a-z0-9_]*$/;

/** Why this code cannot be a new reason's code (undefined when it can). Codes differ case-insensitively. */
export function newCodeProblem(code, existingCodes) {
  if (!CODE.test(code)) return 'the code must be snake_case: lower-case letters, digits and _, starting with a letter';
  if (existingCodes.some((c) => c.toLowerCase() === code.toLowerCase())) return `a reason with the code ${code} already exists`;
  return undefined;
}

/** Why a new reason cannot be added yet, or undefined; then `addReason` writes it. */
export function newReasonProblem(reason, existingCodes) {
  const code = newCodeProblem(reason.code, existingCodes);
  if (code) return code;
  if (reason.label.trim() === '') return 'give the reason a label';
  if (reason.nurtureList.trim() === '') return 'name the HubSpot list the contact goes to';
  return undefined;
}

/** Appends a reason in the file's own shape: code, label, then the feedback as a one-line map. */
export function addReason(text, { code, label, lifecycle, nurtureList }) {
  return appendItem(text, ['reasons'], { code, label: label.trim(), feedback: { lifecycle, nurtureList: nurtureList.trim() } });
}

/** "Accepted, Working - Contacted" → ['Accepted', 'Working - Contacted']: trimmed, empty and repeated ones dropped. */
export function splitStatuses(text) {
  const seen = new Set();
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
}

/**
 * The read-back list after the written status changes: the old written status is replaced in place (or the new one
 * is put first), since the status map requires `read` to include `write`.
 */
export function readAfterWriteChange(read, oldWrite, newWrite) {
  const has = (status) => read.some((s) => s.toLowerCase() === status.toLowerCase());
  if (has(newWrite)) return read;
  const at = read.findIndex((s) => s.toLowerCase() === oldWrite.toLowerCase());
  return at === -1 ? [newWrite, ...read] : read.map((s, i) => (i === at ? newWrite : s));
}
