/** Whether a contact sales gave back may be judged afresh now, and why. */
export interface RecycleVerdict {
  due: boolean;
  reason: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const EPOCH_MS = /^\d{10,}$/;

/**
 * The instant a recycle-after value stands for. HubSpot date properties come as `YYYY-MM-DD` (midnight UTC, the
 * start of that day: the date we write ourselves), but an edited or imported value may be a date-time with an
 * offset, or epoch milliseconds. Compared as instants, not as text: `2026-05-01T09:00:00+02:00` sorts after
 * `2026-05-01` as text although it is on that day. A date-time without an offset is read as UTC. Undefined: unreadable.
 */
export function recycleAfterInstant(value: string): Date | undefined {
  const text = value.trim();
  if (EPOCH_MS.test(text)) return new Date(Number(text));
  const iso = DATE_ONLY.test(text) ? `${text}T00:00:00Z` : LOCAL_DATE_TIME.test(text) ? `${text}Z` : text;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * A contact sales gave back may be judged afresh once its recycle-after date has passed: a rejection whose
 * reason recycles sets that date (one that holds sets none), and a Lead in the Recycled status with no date
 * may be re-qualified at once. `stage` is the Lead's last known stage (lead memory).
 */
export function recycleDue(stage: string | null | undefined, recycleAfter: string | null | undefined, now: Date): RecycleVerdict {
  if (stage !== 'recycled' && stage !== 'rejected')
    return { due: false, reason: `the Lead is ${stage ?? 'not known'} here, not recycled or rejected` };
  if (!recycleAfter) {
    return stage === 'recycled'
      ? { due: true, reason: 'recycled with no recycle-after date' }
      : { due: false, reason: 'rejected with no recycle-after date: the rejection holds' };
  }
  const after = recycleAfterInstant(recycleAfter);
  if (!after) return { due: false, reason: `recycle-after "${recycleAfter}" is not a date` };
  return after.getTime() <= now.getTime()
    ? { due: true, reason: `${stage}; recycle-after ${recycleAfter} has passed` }
    : { due: false, reason: `${stage}; recycle-after ${recycleAfter} not reached` };
}
