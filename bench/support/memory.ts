import { readFile } from 'node:fs/promises';
import { groupPids } from './process-group.ts';

/**
 * Memory of the service plus its database processes, summed over the processes, in MiB.
 * `rssMiB` sums VmRSS (/proc/<pid>/status): PostgreSQL's shared buffers count once in every process that
 * touched them. `pssMiB` sums Pss (/proc/<pid>/smaps_rollup): each shared page split between the processes
 * that map it, so the sum is what the group takes.
 */
export interface MemoryFigure {
  rssMiB: number;
  pssMiB: number;
  /** Processes summed: 1 when the database is in-process (PGlite) or not the service's (external server). */
  processes: number;
  /** The service process's own share of `pssMiB` (in a peak: at the sample of the PSS peak), to tell where the memory is. */
  servicePssMiB: number;
}

/** The larger of each sum. */
export function largest(a: MemoryFigure, b: MemoryFigure): MemoryFigure {
  return {
    rssMiB: Math.max(a.rssMiB, b.rssMiB),
    pssMiB: Math.max(a.pssMiB, b.pssMiB),
    processes: Math.max(a.processes, b.processes),
    servicePssMiB: a.pssMiB >= b.pssMiB ? a.servicePssMiB : b.servicePssMiB,
  };
}

export interface MemorySampler {
  /**
   * The largest sums seen so far. RSS and PSS peaks may come from different samples, and each process's two files
   * are read a moment apart, so while memory grows fast a PSS peak can exceed the RSS peak.
   */
  peak(): MemoryFigure;
  /** One reading now, outside the periodic ones. */
  now(): Promise<MemoryFigure>;
  stop(): void;
}

const SAMPLE_EVERY_MS = 250;
/** Bounded whatever happens: more than the bench's 15-minute watchdog allows. */
const MAX_SAMPLES = 4_000;

/** Samples the service and its database processes (see groupPids) every 250 ms until stopped. */
export function sampleMemory(servicePid: number, dataDir: string | undefined): MemorySampler {
  const peak: MemoryFigure = { rssMiB: 0, pssMiB: 0, processes: 0, servicePssMiB: 0 };
  let samples = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const now = () => measureGroup(servicePid, dataDir);
  const tick = async () => {
    if (stopped || samples >= MAX_SAMPLES) return;
    samples += 1;
    const figure = await now().catch(() => undefined);
    if (figure) {
      if (figure.rssMiB > peak.rssMiB) peak.rssMiB = figure.rssMiB;
      if (figure.pssMiB > peak.pssMiB) {
        peak.pssMiB = figure.pssMiB;
        peak.servicePssMiB = figure.servicePssMiB;
      }
      peak.processes = Math.max(peak.processes, figure.processes);
    }
    // Chained, not an interval: a slow reading never overlaps the next.
    if (!stopped) timer = setTimeout(() => void tick(), SAMPLE_EVERY_MS).unref();
  };
  void tick();
  return {
    peak: () => ({ ...peak }),
    now,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function measureGroup(servicePid: number, dataDir: string | undefined): Promise<MemoryFigure> {
  const group = await groupPids(servicePid, dataDir);
  const pids = [group.service, ...(group.postmaster === undefined ? [] : [group.postmaster]), ...group.children];
  let rssKiB = 0;
  let pssKiB = 0;
  let processes = 0;
  let servicePssKiB = 0;
  for (const pid of pids) {
    // One right after the other, so both describe about the same moment. A backend may end between listing and
    // reading: it no longer takes memory.
    const rss = await field(`/proc/${pid}/status`, 'VmRSS');
    const pss = await field(`/proc/${pid}/smaps_rollup`, 'Pss');
    if (rss === undefined || pss === undefined) continue;
    rssKiB += rss;
    pssKiB += pss;
    processes += 1;
    if (pid === servicePid) servicePssKiB = pss;
  }
  return { rssMiB: rssKiB / 1024, pssMiB: pssKiB / 1024, processes, servicePssMiB: servicePssKiB / 1024 };
}

async function field(path: string, name: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const kib = text === undefined ? undefined : new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1];
  return kib === undefined ? undefined : Number(kib);
}
