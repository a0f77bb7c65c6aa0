import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Service instances as child processes (test/chaos/instance.ts), each on a port of its own kept
 * across restarts, so a proxy finds it again. `kill()` is SIGKILL: no shutdown, no goodbye.
 */
export interface Instance {
  readonly index: number;
  readonly port: number;
  readonly url: string;
  running(): boolean;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Peak resident set size of the process so far (bytes, sampled every 500 ms). */
  peakRss(): number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function createInstance(
  index: number,
  env: Record<string, string>,
  logDir: string,
): Promise<Instance> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(logDir, `instance-${index}-`));
  const script = path.join(__dirname, 'instance.js');
  let child: ChildProcess | undefined;
  let peak = 0;
  let sampler: NodeJS.Timeout | undefined;

  const sample = (): void => {
    const pid = child?.pid;
    if (!pid) return;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch {
      // gone between two samples
    }
  };

  const exited = (): Promise<void> =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });

  const instance: Instance = {
    index,
    port,
    url: `http://127.0.0.1:${port}`,
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async start() {
      const log = fs.openSync(path.join(logDir, `instance-${index}.log`), 'a');
      child = spawn(process.execPath, [script], {
        env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', log],
      });
      sampler ??= setInterval(sample, 500);
      sampler.unref();
      const current = child;
      await new Promise<void>((resolve, reject) => {
        let out = '';
        current.stdout!.on('data', (chunk: Buffer) => {
          fs.appendFileSync(path.join(logDir, `instance-${index}.log`), chunk);
          out += chunk.toString();
          if (out.includes('instance ready')) resolve();
        });
        current.once('exit', (code, signal) =>
          reject(
            new Error(`instance ${index} exited (${code ?? signal}) before it was ready; see ${logDir}`),
          ),
        );
      });
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child?.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited();
      clearTimeout(timer);
      if (sampler) clearInterval(sampler);
    },
    peakRss: () => peak,
  };
  return instance;
}
