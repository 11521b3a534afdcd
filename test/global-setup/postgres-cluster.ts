/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: Debian's binaries, a temp directory, a
 * free loopback port. `fsync` stays on (the server's default): durability is what gets tested.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths to the server binaries. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

/** A running cluster. */
export interface PostgresCluster {
  /** A superuser URL for the `postgres` database on 127.0.0.1. */
  readonly url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Finds the newest installed Debian PostgreSQL (`/usr/lib/postgresql/<major>/bin`), if any. */
export function findPostgresBinaries(root = '/usr/lib/postgresql'): PostgresBinaries | undefined {
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    const initdb = join(bin, 'initdb');
    const pgCtl = join(bin, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` user. */
async function asServerUser(): Promise<{
  wrap: (cmd: string, args: string[]) => [string, string[]];
  uid?: number;
  gid?: number;
}> {
  if (userInfo().uid !== 0) return { wrap: (cmd, args) => [cmd, args] };
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { wrap: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]], uid, gid };
}

/** Creates and starts a cluster; rejects with the server's own words when it cannot start. */
export async function startPostgresCluster(binaries: PostgresBinaries): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  const data = join(dir, 'data');
  const { wrap, uid, gid } = await asServerUser();
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  const exec = (cmd: string, args: string[]) => {
    const [file, argv] = wrap(cmd, args);
    return run(file, argv, { cwd: dir, timeout: 60_000 });
  };
  const port = await freePort();
  try {
    // --no-sync only skips syncing initdb's template files; the running server keeps fsync=on.
    await exec(binaries.initdb, [
      '-D',
      data,
      '-U',
      'vigil',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200`;
    await exec(binaries.pgCtl, [
      '-D',
      data,
      '-o',
      serverOptions,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throw-away PostgreSQL: ${String(error)}`, { cause: error });
  }
  return {
    url: `postgres://vigil@127.0.0.1:${port}/postgres`,
    async stop() {
      await exec(binaries.pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
