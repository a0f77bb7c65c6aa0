import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL cluster started for one bench run and removed after it, the way .ci/run does it:
 * initdb with trust auth into a temporary directory, the server on a free loopback port with its
 * socket in that directory and fsync off. PostgreSQL refuses to run as root, so as root the server
 * runs as the `postgres` system user (created if missing).
 *
 * The cluster is stopped and its directory removed by `stop()`, and also when the process exits
 * any other way (an uncaught error, process.exit, Ctrl-C, SIGTERM).
 */
export interface ThrowawayPostgres {
  /** Connection URL of the `postgres` database as superuser `hector`. */
  adminUrl: string;
  /**
   * Stops the server the hard way (`-m immediate`: every connection cut, as a crash would) and
   * starts it again on the same port: the chaos run's database restart.
   */
  restart(): void;
  stop(): void;
}

export type ThrowawayPostgresStart =
  { started: true; server: ThrowawayPostgres } | { started: false; reason: string };

const PG_ROOT = '/usr/lib/postgresql';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The bin directory of the newest PostgreSQL under /usr/lib/postgresql, if any. */
export function findPostgresBin(): string | undefined {
  if (!fs.existsSync(PG_ROOT)) return undefined;
  const versions = fs
    .readdirSync(PG_ROOT)
    .filter((v) => fs.existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return versions.length > 0 ? path.join(PG_ROOT, versions[versions.length - 1], 'bin') : undefined;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { ok: result.status === 0, output: output.trim() };
}

/** As root, the uid/gid of the `postgres` system user, creating the user if it does not exist. */
function postgresUser(): { uid: number; gid: number } {
  if (!run('id', ['-u', 'postgres']).ok) {
    const created = run('useradd', ['--system', '--no-create-home', 'postgres']);
    if (!created.ok) throw new Error(`could not create the postgres system user: ${created.output}`);
  }
  return {
    uid: Number(run('id', ['-u', 'postgres']).output),
    gid: Number(run('id', ['-g', 'postgres']).output),
  };
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgresStart> {
  const bin = findPostgresBin();
  if (!bin) return { started: false, reason: `no PostgreSQL server binaries in ${PG_ROOT}/*/bin` };

  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? postgresUser() : undefined;
  const pg = (tool: string, args: string[]) =>
    user
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
      : run(path.join(bin, tool), args);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-bench-pg-'));
  const data = path.join(root, 'data');
  const log = path.join(root, 'log');
  let running = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    if (running) pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    fs.rmSync(root, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  };
  process.on('exit', stop);
  for (const signal of SIGNALS) process.on(signal, onSignal);

  try {
    if (user) fs.chownSync(root, user.uid, user.gid);
    const port = await freeLoopbackPort();
    const init = pg('initdb', ['-D', data, '-A', 'trust', '-U', 'hector', '-E', 'UTF8']);
    if (!init.ok) throw new Error(`initdb failed: ${init.output}`);
    const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`;
    const start = pg('pg_ctl', ['-D', data, '-l', log, '-w', '-o', options, 'start']);
    running = true;
    if (!start.ok) {
      const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim() : '';
      throw new Error(`PostgreSQL did not start: ${start.output}\n${serverLog}`);
    }
    const restart = () => {
      const again = pg('pg_ctl', ['-D', data, '-l', log, '-w', '-m', 'immediate', '-o', options, 'restart']);
      if (!again.ok) throw new Error(`PostgreSQL did not restart: ${again.output}`);
    };
    return {
      started: true,
      server: { adminUrl: `postgres://hector@127.0.0.1:${port}/postgres`, restart, stop },
    };
  } catch (error) {
    stop();
    throw error;
  }
}
