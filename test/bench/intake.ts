/**
 * `npm run bench -- intake [--seconds 3]`: offers change notifications to POST /webhooks/graph at
 * rising rates (open loop, keep-alive) and prints p50/p99 acknowledgement latency per rate, the
 * highest rate held with p99 under 100 ms, beside a bare Node http server answering 202 in the same
 * run, and checks that every accepted notification is durably queued. Each server runs in its own
 * child process; this process only generates load.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../server/config';
import { startService } from '../../server/main';
import { hashClientState } from '../../server/store/subscriptionDirectory';
import { ROOM_EVENT_QUEUE } from '../../server/sync/jobs';

const SUB = 'bench0000-0000-4000-8000-000000000001';
const CLIENT_STATE = 'bench-client-state';
const RATES = [1000, 1500, 2000, 2500, 3000, 4000, 6000, 8000, 10000, 12000, 16000, 20000, 25000];

type Mode = 'service' | 'bare';

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
  const service = await startService(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
    }),
    { workers: false },
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
      // How long the service's event loop stalled (PGlite runs on it): explains the tail.
      writes.sort((a, b) => a - b);
      process.send!({
        p99: loop.percentile(99) / 1e6,
        max: loop.max / 1e6,
        writes: writes.length,
        writeP99: writes[Math.floor(writes.length * 0.99)] ?? 0,
        writeMax: writes[writes.length - 1] ?? 0,
      });
      loop.reset();
      writes = [];
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

function startChild(mode: Mode): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(__filename, ['--serve', mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
}

let eventCounter = 0;

/** Open loop: `rate` requests per second for `seconds`, one notification each (distinct events). */
async function step(port: number, rate: number, seconds: number): Promise<StepResult> {
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  clientLoop.enable();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  let inFlight = 0;
  const total = Math.round(rate * seconds);
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
      inFlight++;
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
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.statusCode === 202) accepted++;
            else failed++;
            if (--inFlight === 0 && sent >= total) done();
          });
        },
      );
      req.on('error', () => {
        failed++;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (--inFlight === 0 && sent >= total) done();
      });
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
  clientLoop.disable();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    rate,
    offered: total,
    accepted,
    failed,
    p50: pct(0.5),
    p99: pct(0.99),
    achieved: Math.round((accepted + failed) / elapsed),
    clientLoopMax: clientLoop.max / 1e6,
  };
}

async function ladder(
  label: string,
  port: number,
  seconds: number,
  child?: ChildProcess,
): Promise<{ results: StepResult[]; held: number; accepted: number }> {
  const results: StepResult[] = [];
  let held = 0;
  let accepted = 0;
  for (const rate of RATES) {
    if (child) await ask(child, 'loop');
    const r = await step(port, rate, seconds);
    const loop = child
      ? await ask<{ p99: number; max: number; writes: number; writeP99: number; writeMax: number }>(
          child,
          'loop',
        )
      : undefined;
    results.push(r);
    accepted += r.accepted;
    const ok = r.p99 < 100 && r.failed === 0 && r.achieved >= rate * 0.9;
    process.stdout.write(
      `${label.padEnd(8)} rate ${String(rate).padStart(6)}/s  achieved ${String(r.achieved).padStart(6)}/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  failed ${r.failed}  client loop max ${r.clientLoopMax.toFixed(0)} ms` +
        (loop
          ? `  [service: loop delay p99 ${loop.p99.toFixed(0)}/max ${loop.max.toFixed(0)} ms;` +
            ` ${loop.writes} inserts, p99 ${loop.writeP99.toFixed(1)}/max ${loop.writeMax.toFixed(0)} ms]`
          : '') +
        `${ok ? '' : '  ← not held'}\n`,
    );
    if (!ok) break;
    held = rate;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { results, held, accepted };
}

async function main(): Promise<void> {
  const secondsArg = process.argv.indexOf('--seconds');
  const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 3;
  process.stdout.write(
    `intake bench: ${os.cpus().length} cores, Node ${process.version}, ${seconds} s per rate, PGlite\n`,
  );

  const bare = await startChild('bare');
  const bareRun = await ladder('bare', bare.port, seconds);
  bare.child.kill();

  const svc = await startChild('service');
  // Warm-up, not counted: JIT, the first subscription read, pg-boss's start-up maintenance.
  await step(svc.port, 300, 4);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const warmQueued = (await ask<{ queued: number }>(svc.child, 'count')).queued;
  const svcRun = await ladder('intake', svc.port, seconds, svc.child);
  const queued = (await ask<{ queued: number }>(svc.child, 'count')).queued - warmQueued;
  const exited = new Promise((resolve) => svc.child.once('exit', resolve));
  svc.child.send({ type: 'stop' });
  await exited;

  const at1000 = svcRun.results.find((r) => r.rate === 1000);
  process.stdout.write(
    [
      '',
      `bare Node http server: highest rate held with p99 < 100 ms = ${bareRun.held}/s`,
      `intake (/webhooks/graph): highest rate held with p99 < 100 ms = ${svcRun.held}/s` +
        ` (${bareRun.held ? ((100 * svcRun.held) / bareRun.held).toFixed(1) : '?'} % of bare)`,
      `intake at 1,000/s: p50 ${at1000?.p50.toFixed(1)} ms, p99 ${at1000?.p99.toFixed(1)} ms (target p99 < 50 ms)`,
      `durability: ${svcRun.accepted} notifications acknowledged 202, ${queued} jobs queued` +
        ` → ${queued === svcRun.accepted ? 'every accepted notification is queued' : 'MISMATCH'}`,
      '',
    ].join('\n'),
  );
  process.exit(queued === svcRun.accepted ? 0 : 1);
}

if (process.argv[2] === '--serve') void serve(process.argv[3] as Mode);
else void main();
