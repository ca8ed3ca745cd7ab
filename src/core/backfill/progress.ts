/** Where a run stands, for people: pure arithmetic over what the run record holds. */
export interface ProgressInput {
  read: number;
  /** Contacts the run goes through, when HubSpot (or the link table) said; null when unknown. */
  total: number | null;
  /** When the current worker took the run up, and how many had been read by then. */
  resumedAt: Date | null;
  readAtResume: number;
  /** Now for a running run; its finish time otherwise (a finished run's rate stays what it was). */
  now: Date;
}

export interface Progress {
  read: number;
  total: number | null;
  /** Share done, 0–100 (never above 100: contacts created during a run are read too). */
  percent: number | null;
  /** Contacts per second since the current worker took the run up. */
  ratePerSecond: number | null;
  /** Seconds left at that rate; null when the total or the rate is unknown. */
  etaSeconds: number | null;
}

/** Below this, a rate says more about start-up than about the run. */
const MIN_ELAPSED_MS = 1_000;

export function progressOf(input: ProgressInput): Progress {
  const { read, total } = input;
  const percent = total === null ? null : total === 0 ? 100 : Math.min(100, Math.round((read / total) * 1000) / 10);
  const elapsedMs = input.resumedAt ? input.now.getTime() - input.resumedAt.getTime() : 0;
  const sinceResume = Math.max(0, read - input.readAtResume);
  const ratePerSecond = elapsedMs >= MIN_ELAPSED_MS ? Math.round((sinceResume / (elapsedMs / 1000)) * 10) / 10 : null;
  const left = total === null ? null : Math.max(0, total - read);
  let etaSeconds: number | null = null;
  if (left === 0) etaSeconds = 0;
  else if (left !== null && ratePerSecond) etaSeconds = Math.ceil(left / ratePerSecond);
  return { read, total, percent, ratePerSecond, etaSeconds };
}

/** `75 s`, `12 min 5 s`, `3 h 20 min`: an ETA a person reads at a glance. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
