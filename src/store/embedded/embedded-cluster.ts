import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { freeLoopbackPort } from '../../free-port.ts';
import type { Logger } from '../../log.ts';
import { processState } from '../process-state.ts';
import { type PostgresBinaries, postgresBinaries } from './binaries.ts';
import { clusterPassword, clusterPaths, handoffConf, hasCluster, INCLUDE_LINE, refuseEarlierStore } from './cluster-files.ts';
import { type ClusterUser, checkReachable, clusterUser } from './cluster-user.ts';
import { clearStale, findLeftover } from './leftover-server.ts';
import { postmasterPid } from './postmaster-pid.ts';

/** The cluster's superuser; Handoff's data lives in its own databases. */
const SUPERUSER = 'handoff';
const START_TIMEOUT_SECONDS = 60;
/** pg_ctl waits for a start or stop to finish, at most that long, quietly. */
const WAIT = ['-w', '-t', String(START_TIMEOUT_SECONDS), '-s'];

export interface EmbeddedCluster {
  /** A connection URL for one database of the cluster (which must exist). */
  urlFor(database: string): string;
  /** Resolves when the postmaster stops without being asked to (killed, crashed). */
  readonly lost: Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server in `<dataDir>/postgres`, started with pg_ctl so it runs in its own session: a
 * service killed with SIGKILL leaves it running, and the next start finds it (PostgreSQL's postmaster.pid)
 * and stops it cleanly before starting with this run's settings. PostgreSQL's own lock refuses a second
 * postmaster on one directory. The caller holds the data directory's lock, so no other service uses it.
 */
export async function startEmbeddedCluster(dataDirGiven: string, logger: Logger): Promise<EmbeddedCluster> {
  const log = logger.child({ module: 'embedded-postgres' });
  // Absolute: the postmaster's command line and its backends' working folder are compared with it.
  const dataDir = resolve(dataDirGiven);
  const paths = clusterPaths(dataDir);
  await mkdir(dataDir, { recursive: true });
  await refuseEarlierStore(dataDir);
  const [binaries, user] = await Promise.all([postgresBinaries(), clusterUser()]);
  if (user) await checkReachable(paths.cluster, user);
  const ctl = controller(binaries, user);

  const isNew = !(await hasCluster(paths.cluster));
  const password = await clusterPassword(paths.password, isNew);
  if (isNew) {
    const started = Date.now();
    await initialise(ctl, paths.cluster, password, user);
    log.info('embedded PostgreSQL initialised', { dir: paths.cluster, ms: Date.now() - started });
  } else {
    await settleLeftover(ctl, paths.cluster, log);
  }

  const port = await freeLoopbackPort();
  await writeOwned(join(paths.cluster, 'handoff.conf'), handoffConf(port), user);
  await rm(paths.startLog, { force: true });
  await writeOwned(paths.startLog, '', user);
  try {
    await ctl.pgCtl(['start', '-D', paths.cluster, '-l', paths.startLog, ...WAIT]);
  } catch (error) {
    const said = await readFile(paths.startLog, 'utf8').catch(() => '');
    throw new Error(`the embedded PostgreSQL did not start: ${(error as Error).message}\n${said.slice(-2_000)}`);
  }
  const pid = await postmasterPid(paths.cluster);
  if (pid === undefined) throw new Error(`the embedded PostgreSQL started but ${paths.cluster}/postmaster.pid names no postmaster`);
  log.info('embedded PostgreSQL started', { dir: paths.cluster, port, pid });

  const watch = watchPostmaster(pid);
  return {
    urlFor: (database) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    lost: watch.lost,
    async stop() {
      watch.cancel();
      await ctl.stop(paths.cluster);
      log.info('embedded PostgreSQL stopped', { dir: paths.cluster });
    },
  };
}

/** Stops the server a killed run left in `dataDir`, if any, without starting one (tests and tools). */
export async function stopLeftoverServer(dataDir: string, logger: Logger): Promise<void> {
  const cluster = clusterPaths(resolve(dataDir)).cluster;
  if (!(await hasCluster(cluster))) return;
  const [binaries, user] = await Promise.all([postgresBinaries(), clusterUser()]);
  await settleLeftover(controller(binaries, user), cluster, logger.child({ module: 'embedded-postgres' }));
}

/** A server a killed run left is stopped (never two on one folder); a dead one's pid file is cleared. */
async function settleLeftover(ctl: Controller, cluster: string, log: Logger): Promise<void> {
  const leftover = await findLeftover(cluster);
  let stopFailure: unknown;
  if (leftover.kind === 'running') {
    log.warn('a database server an earlier run left (killed?) is stopped before this start', { dir: cluster, pid: leftover.pid });
    // A stop that fails because the postmaster died meanwhile is no failure: what is left is judged below.
    await ctl.stop(cluster).catch((error: unknown) => (stopFailure = error));
  }
  const after = leftover.kind === 'none' ? leftover : await findLeftover(cluster);
  if (after.kind === 'running') throw stopFailure ?? new Error(`the database server ${after.pid} in ${cluster} did not stop`);
  if (after.kind === 'stale') {
    log.warn('the database server of an earlier run was killed; PostgreSQL recovers its committed work at this start', { dir: cluster });
    await clearStale(cluster, START_TIMEOUT_SECONDS * 1000);
  }
}

interface Controller {
  pgCtl(args: string[]): Promise<void>;
  initdb(args: string[]): Promise<void>;
  /** Fast shutdown (PostgreSQL ends the sessions), waiting for it. */
  stop(cluster: string): Promise<void>;
}

function controller(binaries: PostgresBinaries, user: ClusterUser | undefined): Controller {
  // The programs run as the database user; LC_ALL=C keeps their messages (which we show) in one language.
  const options = { ...(user ?? {}), env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } };
  const exec = (file: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = execFile(file, args, options, (error, stdout, stderr) => {
        if (error) reject(new Error(`${file.split('/').pop()} ${args[0]}: ${stderr.trim() || stdout.trim() || error.message}`));
        else resolve();
      });
      child.stdin?.end();
    });
  return {
    pgCtl: (args) => exec(binaries.pg_ctl, args),
    initdb: (args) => exec(binaries.initdb, args),
    stop: (cluster) => exec(binaries.pg_ctl, ['stop', '-D', cluster, '-m', 'fast', ...WAIT]),
  };
}

async function initialise(ctl: Controller, cluster: string, password: string, user: ClusterUser | undefined): Promise<void> {
  await mkdir(cluster, { recursive: true, mode: 0o700 });
  if (user) await chown(cluster, user.uid, user.gid);
  await chmod(cluster, 0o700);
  // initdb reads the password from a file only the database user can read (never a command line `ps` shows),
  // removed at once. Not /dev/stdin: as another user, re-opening the service's pipe is refused.
  const passwordFile = join(dirname(cluster), `.initdb-password-${process.pid}`);
  await writeOwned(passwordFile, `${password}\n`, user);
  try {
    await ctl.initdb([
      '-D',
      cluster,
      '--username',
      SUPERUSER,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
    ]);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await appendFile(join(cluster, 'postgresql.conf'), INCLUDE_LINE);
}

/** Files in the cluster folder belong to the database user, as PostgreSQL expects. */
async function writeOwned(path: string, text: string, user: ClusterUser | undefined): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  if (user) await chown(path, user.uid, user.gid);
}

/** Checks every second whether the postmaster still runs; `lost` resolves once it has gone, unless cancelled first. */
function watchPostmaster(pid: number): { lost: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const lost = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      void processState(pid).then((state) => {
        if (state.kind === 'gone' && timer !== undefined) {
          clearInterval(timer);
          resolve();
        }
      });
    }, 1_000);
    timer.unref();
  });
  return {
    lost,
    cancel() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
