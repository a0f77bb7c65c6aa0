/**
 * `npm run bench -- intake [--seconds 3] [--runs 3] [--no-postgres]`: offers change notifications to
 * POST /webhooks/graph at rising rates (open loop, keep-alive) and prints, per rate, the median and
 * the spread of p50/p99 acknowledgement latency over `--runs` runs, the highest rate held (median
 * p99 under 100 ms), beside a bare Node http server answering 202 in the same run, on PGlite on disk
 * and on PostgreSQL (DATABASE_URL's server, else a throwaway cluster). It checks that every accepted
 * notification is durably queued, reports the warm-up apart, prints the machine's load and busiest
 * processes, and says where the slowest requests spent their time: the service's own timeline of
 * each request (http/intakeTimeline.ts), its event-loop stalls and INSERTs, new TCP connections, the
 * listening socket's accept queue and the kernel's listen-queue counters. Each server runs in its own child process; this process only
 * generates load.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../server/config';
import type { IntakeTimeline } from '../../server/http/intakeTimeline';
import { startService } from '../../server/main';
import { hashClientState } from '../../server/store/subscriptionDirectory';
import { ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { openBenchPostgres } from './support/benchPostgres';

const SUB = 'bench0000-0000-4000-8000-000000000001';
const CLIENT_STATE = 'bench-client-state';
const RATES = [1000, 1500, 2000, 2500, 3000, 4000, 6000, 8000, 10000, 12000, 16000, 20000, 25000];
/** A rate is held when the median p99 of its runs is under this, with no failure. */
const HELD_P99_MS = 100;

type Mode = 'service' | 'bare';

/** What the service child measured during one step (between two 'loop' messages). */
interface ServiceProbe {
  loopP99: number;
  loopMax: number;
  writes: number;
  writeP99: number;
  writeMax: number;
  /** The service's own timelines: answered p99 / max, and the mean split of its slowest 1 %. */
  answeredP99: number;
  answeredMax: number;
  slowest: { parse: number; check: number; commit: number; answer: number; n: number };
}

const pctOf = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function serve(mode: Mode): Promise<void> {
  if (mode === 'bare') {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 202;
        res.end();
      });
    });
    server.keepAliveTimeout = 65_000;
    server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-bench-intake-'));
  let timelines: IntakeTimeline[] = [];
  const service = await startService(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: 'bench-admin-token-0123456789-abcdefghij',
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    }),
    { workers: false, onIntakeTimeline: (t) => timelines.push(t) },
  );
  await service.database.db
    .insertInto('graph_subscriptions')
    .values({
      id: SUB,
      room_email: 'salle-a001@universite.test',
      resource: '/users/salle-a001@universite.test/events',
      client_state_hash: hashClientState(CLIENT_STATE),
      expires_at: new Date(Date.now() + 86_400_000),
      confirmed_at: new Date(),
      created_at: new Date(),
    })
    .execute();
  // Times each group commit (one INSERT), to tell database waits from event-loop stalls.
  let writes: number[] = [];
  const sendMany = service.queue.sendMany.bind(service.queue);
  service.queue.sendMany = async (name, jobs) => {
    const t0 = process.hrtime.bigint();
    await sendMany(name, jobs);
    writes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'loop') {
      writes.sort((a, b) => a - b);
      const answered = timelines.map((t) => t.answeredMs).sort((a, b) => a - b);
      const cut = pctOf(answered, 0.99);
      const slow = timelines.filter((t) => t.answeredMs >= cut);
      const mean = (f: (t: IntakeTimeline) => number): number =>
        slow.length ? slow.reduce((sum, t) => sum + f(t), 0) / slow.length : 0;
      const probe: ServiceProbe = {
        loopP99: loop.percentile(99) / 1e6,
        loopMax: loop.max / 1e6,
        writes: writes.length,
        writeP99: pctOf(writes, 0.99) || 0,
        writeMax: writes[writes.length - 1] ?? 0,
        answeredP99: cut || 0,
        answeredMax: answered[answered.length - 1] ?? 0,
        slowest: {
          parse: mean((t) => t.parsedMs),
          check: mean((t) => t.checkedMs - t.parsedMs),
          commit: mean((t) => t.committedMs - t.checkedMs),
          answer: mean((t) => t.answeredMs - t.committedMs),
          n: slow.length,
        },
      };
      process.send!(probe);
      loop.reset();
      writes = [];
      timelines = [];
    } else if (message.type === 'count') {
      process.send!({ queued: await service.queue.size(ROOM_EVENT_QUEUE) });
    } else if (message.type === 'stop') {
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send!({ port: service.port });
}

function startChild(
  mode: Mode,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(__filename, ['--serve', mode], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

const ask = <T>(child: ChildProcess, type: string): Promise<T> =>
  new Promise((resolve) => {
    child.once('message', (m: T) => resolve(m));
    child.send({ type });
  });

/** The kernel's TCP counters that explain a one-second tail (a dropped SYN is retried after 1 s). */
interface TcpCounters {
  listenOverflows: number;
  listenDrops: number;
  synRetrans: number;
}

function tcpCounters(): TcpCounters | undefined {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const header = lines.find((l) => l.startsWith('TcpExt:'))?.split(/\s+/);
    const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]?.split(/\s+/);
    if (!header || !values) return undefined;
    const get = (name: string): number => Number(values[header.indexOf(name)] ?? 0);
    return {
      listenOverflows: get('ListenOverflows'),
      listenDrops: get('ListenDrops'),
      synRetrans: get('TCPSynRetrans'),
    };
  } catch {
    return undefined; // not Linux
  }
}

/**
 * Connections waiting in the listen socket's accept queue (Linux: rx_queue of the LISTEN entry in
 * /proc/net/tcp). libuv accepts one connection per event-loop turn, so a queue that grows here
 * means the server's loop turns are too long for the rate new connections arrive (issue 20).
 */
function acceptQueue(port: number): number | undefined {
  try {
    const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(local) && f[3] === '0A') return parseInt(f[4].split(':')[1], 16);
    }
    return 0;
  } catch {
    return undefined; // not Linux
  }
}

interface StepResult {
  rate: number;
  offered: number;
  accepted: number;
  failed: number;
  p50: number;
  p99: number;
  achieved: number;
  /** The load generator's own worst event-loop stall: latency it adds to what it measures. */
  clientLoopMax: number;
  /** Requests that opened a TCP connection, and the p99 latency of those. */
  newConnections: number;
  newConnectionP99: number;
  /** The longest accept queue seen (sampled every 20 ms), undefined where it cannot be read. */
  acceptQueueMax?: number;
  tcp?: TcpCounters;
  service?: ServiceProbe;
}

let eventCounter = 0;

/** Open loop: `rate` requests per second for `seconds`, one notification each (distinct events). */
async function step(port: number, rate: number, seconds: number): Promise<StepResult> {
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  clientLoop.enable();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const onNewConnection: number[] = [];
  let accepted = 0;
  let failed = 0;
  let inFlight = 0;
  const total = Math.round(rate * seconds);
  const tcpBefore = tcpCounters();
  let acceptQueueMax = acceptQueue(port);
  const sampler = setInterval(() => {
    const q = acceptQueue(port);
    if (q !== undefined && acceptQueueMax !== undefined) acceptQueueMax = Math.max(acceptQueueMax, q);
  }, 20);
  const started = process.hrtime.bigint();
  let sent = 0;
  await new Promise<void>((done) => {
    const fire = (): void => {
      const id = `evt-${++eventCounter}`;
      const body = JSON.stringify({
        value: [
          {
            subscriptionId: SUB,
            clientState: CLIENT_STATE,
            changeType: 'updated',
            resource: `Users/bench/Events/${id}`,
            resourceData: { '@odata.type': '#Microsoft.Graph.Event', id },
          },
        ],
      });
      const t0 = process.hrtime.bigint();
      let fresh = false;
      inFlight++;
      const finish = (ok: boolean): void => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        latencies.push(ms);
        if (fresh) onNewConnection.push(ms);
        if (ok) accepted++;
        else failed++;
        if (--inFlight === 0 && sent >= total) done();
      };
      const req = http.request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/webhooks/graph',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode === 202));
        },
      );
      // A socket still connecting is a new one (a reused keep-alive socket is already connected).
      req.on('socket', (socket) => {
        if (socket.connecting) fresh = true;
      });
      req.on('error', () => finish(false));
      req.end(body);
    };
    const timer = setInterval(() => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const due = Math.min(total, Math.floor(elapsed * rate));
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent >= total) clearInterval(timer);
    }, 1);
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const tcpAfter = tcpCounters();
  clearInterval(sampler);
  clientLoop.disable();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  onNewConnection.sort((a, b) => a - b);
  return {
    rate,
    offered: total,
    accepted,
    failed,
    p50: pctOf(latencies, 0.5),
    p99: pctOf(latencies, 0.99),
    achieved: Math.round((accepted + failed) / elapsed),
    clientLoopMax: clientLoop.max / 1e6,
    newConnections: onNewConnection.length,
    newConnectionP99: pctOf(onNewConnection, 0.99),
    acceptQueueMax,
    tcp:
      tcpBefore && tcpAfter
        ? {
            listenOverflows: tcpAfter.listenOverflows - tcpBefore.listenOverflows,
            listenDrops: tcpAfter.listenDrops - tcpBefore.listenDrops,
            synRetrans: tcpAfter.synRetrans - tcpBefore.synRetrans,
          }
        : undefined,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

interface RateResult {
  rate: number;
  runs: StepResult[];
  medianP50: number;
  medianP99: number;
  held: boolean;
}

function describeRun(r: StepResult): string {
  const parts = [
    `p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} ms`,
    `achieved ${r.achieved}/s`,
    r.failed ? `failed ${r.failed}` : '',
    `new conns ${r.newConnections} (p99 ${Number.isNaN(r.newConnectionP99) ? '–' : r.newConnectionP99.toFixed(0)} ms)`,
    r.acceptQueueMax !== undefined ? `accept queue max ${r.acceptQueueMax}` : '',
    r.tcp
      ? `tcp overflows ${r.tcp.listenOverflows} drops ${r.tcp.listenDrops} syn-retrans ${r.tcp.synRetrans}`
      : '',
    `client loop max ${r.clientLoopMax.toFixed(0)} ms`,
  ];
  const s = r.service;
  if (s) {
    parts.push(
      `service: answered p99 ${s.answeredP99.toFixed(1)}/max ${s.answeredMax.toFixed(0)} ms, slowest 1 % =` +
        ` parse ${s.slowest.parse.toFixed(1)} + check ${s.slowest.check.toFixed(1)} + commit ${s.slowest.commit.toFixed(1)}` +
        ` + answer ${s.slowest.answer.toFixed(1)} ms; loop p99 ${s.loopP99.toFixed(0)}/max ${s.loopMax.toFixed(0)} ms;` +
        ` ${s.writes} inserts p99 ${s.writeP99.toFixed(1)}/max ${s.writeMax.toFixed(0)} ms`,
    );
  }
  return parts.filter(Boolean).join(' · ');
}

async function ladder(
  label: string,
  port: number,
  seconds: number,
  runs: number,
  child?: ChildProcess,
): Promise<{ results: RateResult[]; held: number; accepted: number }> {
  const results: RateResult[] = [];
  let held = 0;
  let accepted = 0;
  for (const rate of RATES) {
    const stepRuns: StepResult[] = [];
    for (let i = 0; i < runs; i++) {
      if (child) await ask(child, 'loop');
      const r = await step(port, rate, seconds);
      if (child) r.service = await ask<ServiceProbe>(child, 'loop');
      stepRuns.push(r);
      accepted += r.accepted;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const medianP99 = median(stepRuns.map((r) => r.p99));
    const ok =
      medianP99 < HELD_P99_MS &&
      stepRuns.every((r) => r.failed === 0) &&
      median(stepRuns.map((r) => r.achieved)) >= rate * 0.9;
    const result: RateResult = {
      rate,
      runs: stepRuns,
      medianP50: median(stepRuns.map((r) => r.p50)),
      medianP99,
      held: ok,
    };
    results.push(result);
    process.stdout.write(
      `${label.padEnd(14)} rate ${String(rate).padStart(6)}/s  p50 ${result.medianP50.toFixed(1).padStart(6)} ms` +
        ` (${spread(stepRuns.map((r) => r.p50))})  p99 ${medianP99.toFixed(1).padStart(7)} ms (${spread(stepRuns.map((r) => r.p99))})` +
        `${ok ? '' : '  ← not held'}\n`,
    );
    for (const [i, r] of stepRuns.entries())
      process.stdout.write(`${''.padEnd(16)}run ${i + 1}: ${describeRun(r)}\n`);
    if (!ok) break;
    held = rate;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { results, held, accepted };
}

/** Load average and the busiest other processes: what else shared the machine. */
function machineLine(when: string): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  let busiest = '';
  try {
    busiest = execFileSync('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() && !/\b(ps|node)\b/.test(l))
      .slice(0, 3)
      .map((l) => l.trim().replace(/\s+/, '% '))
      .join(', ');
  } catch {
    busiest = 'ps not available';
  }
  return `machine ${when}: load average ${load}; busiest other processes: ${busiest || 'none'}\n`;
}

interface BackendRun {
  label: string;
  held: number;
  at1000?: RateResult;
  accepted: number;
  queued: number;
}

async function measureService(
  label: string,
  seconds: number,
  runs: number,
  env: Record<string, string>,
): Promise<BackendRun> {
  const svc = await startChild('service', env);
  // Warm-up, reported apart and not counted: JIT, the first subscription read, pg-boss's start-up
  // maintenance.
  await ask(svc.child, 'loop');
  const warm = await step(svc.port, 300, 4);
  warm.service = await ask<ServiceProbe>(svc.child, 'loop');
  process.stdout.write(`${label.padEnd(14)} warm-up 300/s for 4 s (not counted): ${describeRun(warm)}\n`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const warmQueued = (await ask<{ queued: number }>(svc.child, 'count')).queued;
  const run = await ladder(label, svc.port, seconds, runs, svc.child);
  const queued = (await ask<{ queued: number }>(svc.child, 'count')).queued - warmQueued;
  const exited = new Promise((resolve) => svc.child.once('exit', resolve));
  svc.child.send({ type: 'stop' });
  await exited;
  return {
    label,
    held: run.held,
    at1000: run.results.find((r) => r.rate === 1000),
    accepted: run.accepted,
    queued,
  };
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const seconds = argValue('--seconds', 3);
  const runs = argValue('--runs', 3);
  process.stdout.write(
    `intake bench: ${os.cpus().length} cores, Node ${process.version}, ${seconds} s per rate, ${runs} runs per rate (median, spread)\n`,
  );
  process.stdout.write(machineLine('at the start'));

  const bare = await startChild('bare');
  const bareRun = await ladder('bare', bare.port, seconds, runs);
  bare.child.kill();

  const backends: BackendRun[] = [await measureService('intake PGlite', seconds, runs, {})];
  if (!process.argv.includes('--no-postgres')) {
    const server = await openBenchPostgres();
    if (!server.available) {
      process.stdout.write(`PostgreSQL: not measured (${server.reason})\n`);
    } else {
      const { postgres } = server;
      process.stdout.write(`${postgres.label}: ${postgres.origin}\n`);
      try {
        await postgres.withFreshDatabase('bench_intake', async (url) => {
          backends.push(await measureService('intake PG', seconds, runs, { BENCH_DATABASE_URL: url }));
        });
      } finally {
        postgres.close();
      }
    }
  }

  // The summary keeps the lines (and their order) earlier versions printed, PGlite's last; the
  // PostgreSQL figures come before it, under their own label.
  const [pglite, ...others] = backends;
  const share = (held: number): string => (bareRun.held ? ((100 * held) / bareRun.held).toFixed(1) : '?');
  const at1000 = (b: BackendRun): string =>
    `p50 ${b.at1000?.medianP50.toFixed(1)} ms, p99 ${b.at1000?.medianP99.toFixed(1)} ms (target p99 < 50 ms)`;
  const runsAt1000 = (b: BackendRun): string =>
    `${b.label} at 1,000/s, p99 of each run: ${b.at1000?.runs.map((r) => `${r.p99.toFixed(1)} ms`).join(', ')}`;
  const durability = (b: BackendRun): string =>
    `${b.accepted} notifications acknowledged 202, ${b.queued} jobs queued` +
    ` → ${b.queued === b.accepted ? 'every accepted notification is queued' : 'MISMATCH'}`;
  const lines = [''];
  for (const b of others) {
    lines.push(
      `${b.label}: highest rate held with p99 < ${HELD_P99_MS} ms = ${b.held}/s (${share(b.held)} % of bare)`,
      `${b.label} at 1,000/s: ${at1000(b)}`,
      runsAt1000(b),
      `${b.label} durability: ${durability(b)}`,
    );
  }
  lines.push(
    runsAt1000(pglite),
    machineLine('at the end').trimEnd(),
    `bare Node http server: highest rate held with p99 < ${HELD_P99_MS} ms = ${bareRun.held}/s`,
    `intake (/webhooks/graph): highest rate held with p99 < ${HELD_P99_MS} ms = ${pglite.held}/s (${share(pglite.held)} % of bare)`,
    `intake at 1,000/s: ${at1000(pglite)}`,
    `durability: ${durability(pglite)}`,
    '',
  );
  const durable = backends.every((b) => b.queued === b.accepted);
  process.stdout.write(lines.join('\n'));
  process.exit(durable ? 0 : 1);
}

if (process.argv[2] === '--serve') void serve(process.argv[3] as Mode);
else void main();
