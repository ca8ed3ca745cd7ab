import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { postmasterPid } from '../../src/store/embedded/postmaster-pid.ts';
import { statFields } from '../../src/store/process-state.ts';

/**
 * The service and its database processes. The embedded PostgreSQL runs in its own session (pg_ctl), so its
 * processes are not the service's children: they are the postmaster (line 1 of `<dataDir>/postgres/postmaster.pid`)
 * and the postmaster's children. Without `dataDir` (an external server) or before the postmaster is up, the
 * service alone.
 */
export async function groupPids(
  servicePid: number,
  dataDir: string | undefined,
): Promise<{ service: number; postmaster?: number; children: number[] }> {
  const postmaster = dataDir ? await postmasterPid(join(dataDir, 'postgres')) : undefined;
  if (postmaster === undefined) return { service: servicePid, children: [] };
  return { service: servicePid, postmaster, children: await childrenOf(postmaster) };
}

/** Direct children (checkpointer, walwriter, io workers, one backend per connection, …). */
async function childrenOf(pid: number): Promise<number[]> {
  const listed = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => undefined);
  if (listed !== undefined) return listed.split(' ').filter(Boolean).map(Number);
  // Kernels without CONFIG_PROC_CHILDREN: the parent pid is field 4 of /proc/<pid>/stat.
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await statFieldsOf(Number(entry));
    if (fields && Number(fields[1]) === pid) children.push(Number(entry));
  }
  return children;
}

/** The fields of /proc/<pid>/stat after the command name: index 0 is field 3 (state). */
async function statFieldsOf(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined ? undefined : statFields(stat);
}

/**
 * CPU seconds (user + system, clock ticks of 1/100 s) used so far by the service and its database processes. The
 * postmaster's reaped children (backends that ended) count through its cutime/cstime, the live ones directly.
 */
export async function groupCpuSeconds(servicePid: number, dataDir: string | undefined): Promise<number> {
  const group = await groupPids(servicePid, dataDir);
  const ticks = async (pid: number, withReapedChildren: boolean) => {
    const fields = await statFieldsOf(pid);
    if (!fields) return 0;
    // utime, stime (fields 14, 15) and cutime, cstime (16, 17).
    const own = Number(fields[11]) + Number(fields[12]);
    return withReapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
  };
  let total = await ticks(group.service, false);
  if (group.postmaster !== undefined) total += await ticks(group.postmaster, true);
  for (const child of group.children) total += await ticks(child, false);
  return total / 100;
}
