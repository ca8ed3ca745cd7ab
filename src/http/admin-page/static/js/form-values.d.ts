// Types for form-values.js, for the jest tests that import it in node (the page itself needs none).
export interface NewReason {
  code: string;
  label: string;
  lifecycle: 'recycle' | 'hold';
  nurtureList: string;
}
export function newCodeProblem(code: string, existingCodes: readonly string[]): string | undefined;
export function newReasonProblem(reason: NewReason, existingCodes: readonly string[]): string | undefined;
export function addReason(text: string, reason: NewReason): string;
export function splitStatuses(text: string): string[];
export function readAfterWriteChange(read: readonly string[], oldWrite: string, newWrite: string): string[];
