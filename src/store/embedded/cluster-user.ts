import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The OS user the embedded PostgreSQL runs as when the service runs as root (PostgreSQL refuses root). */
const CLUSTER_USER = 'handoff-postgres';

export interface ClusterUser {
  uid: number;
  gid: number;
}

/**
 * Undefined when the service is not root: then the database runs as the service's own user. As root, a
 * dedicated system user without a login or home is created once (useradd) and the database runs as it.
 */
export async function clusterUser(): Promise<ClusterUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const found = await idOf(CLUSTER_USER);
  if (found) return found;
  const failure = await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', CLUSTER_USER]).then(
    () => undefined,
    (error: Error) => error,
  );
  // Another process starting at the same moment may have created it first: then it exists all the same.
  const created = await idOf(CLUSTER_USER);
  if (created) return created;
  throw new Error(
    `running as root, the embedded PostgreSQL needs an OS user to run as; creating ${CLUSTER_USER} failed: ${failure?.message ?? 'it cannot be found after useradd'}`,
  );
}

async function idOf(name: string): Promise<ClusterUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * The database user must be able to enter every folder above its cluster. A root-only folder (a 0700 temp
 * folder, say) would otherwise fail deep inside PostgreSQL's start with a bare "permission denied".
 */
export async function checkReachable(dir: string, user: ClusterUser): Promise<void> {
  for (let current = dirname(resolve(dir)); ; current = dirname(current)) {
    const info = await stat(current);
    const canEnter = info.uid === user.uid ? info.mode & 0o100 : info.gid === user.gid ? info.mode & 0o010 : info.mode & 0o001;
    if (!canEnter) {
      throw new Error(
        `the embedded PostgreSQL runs as ${CLUSTER_USER}, which cannot enter ${current}; allow it (chmod o+x ${current}) or choose a DATA_DIR it can reach`,
      );
    }
    if (current === dirname(current)) return;
  }
}
