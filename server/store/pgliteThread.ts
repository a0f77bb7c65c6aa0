import { Worker } from 'node:worker_threads';

/** What a query returns across the thread boundary (the fields Kysely's PGlite driver reads). */
export interface ThreadResult {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

type Request =
  { op: 'query'; text: string; params: unknown[] } | { op: 'exec'; text: string } | { op: 'close' };
type Reply = { id: number; result?: ThreadResult | ThreadResult[]; error?: Record<string, unknown> };

/**
 * The worker's code. PGlite runs PostgreSQL compiled to WASM: every statement is synchronous CPU
 * on the thread that calls it (≈ 40 % of the service's main thread at 1,000 notifications/s,
 * docs/BENCHMARKS.md issue 20). On the HTTP thread that stretches each event-loop turn, and libuv
 * accepts one new connection per turn, so a burst of connections waited seconds to be accepted.
 * Here PGlite owns a thread of its own and the HTTP thread only posts messages.
 *
 * Plain JavaScript evaluated by the Worker (no compiled file to locate, under jest or dist/); it
 * loads PGlite from the path the main thread resolved. Requests are handled one at a time in order
 * (PGlite has a single connection; the main side's Kysely driver already serialises transactions).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const errorOf = (e) => {
  const out = { message: String(e && e.message ? e.message : e) };
  if (e && typeof e === 'object') for (const [k, v] of Object.entries(e)) if (v == null || typeof v !== 'object') out[k] = v;
  return out;
};
const plain = (r) => (r.affectedRows !== undefined ? { rows: r.rows, affectedRows: r.affectedRows } : { rows: r.rows });
(async () => {
  let pglite;
  try {
    pglite = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
  } catch (e) {
    parentPort.postMessage({ id: 0, error: errorOf(e) });
    return;
  }
  parentPort.postMessage({ id: 0, result: { rows: [] } });
  let chain = Promise.resolve();
  parentPort.on('message', (m) => {
    chain = chain.then(async () => {
      try {
        if (m.op === 'query') parentPort.postMessage({ id: m.id, result: plain(await pglite.query(m.text, m.params)) });
        else if (m.op === 'exec') parentPort.postMessage({ id: m.id, result: (await pglite.exec(m.text)).map(plain) });
        else {
          if (!pglite.closed) await pglite.close();
          parentPort.postMessage({ id: m.id, result: { rows: [] } });
          parentPort.close();
        }
      } catch (e) {
        parentPort.postMessage({ id: m.id, error: errorOf(e) });
      }
    });
  });
})();
`;

/** An error from the worker, with PostgreSQL's fields (code, detail, constraint…) kept. */
function rebuild(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message));
  if (typeof fields.name === 'string') error.name = fields.name;
  return Object.assign(error, fields);
}

interface Pending {
  resolve(value: ThreadResult | ThreadResult[]): void;
  reject(error: Error): void;
}

/**
 * A PGlite instance in a worker thread, with the two calls the service uses (`query` with
 * parameters, `exec` for pg-boss's multi-statement scripts) and `close`. Results cross the thread
 * by structured clone, which keeps what PGlite parsed (Date, objects of json columns, BigInt).
 */
export class PgliteThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited: Error | undefined;
  closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      this.idle();
      if (reply.error) waiter.reject(rebuild(reply.error));
      else waiter.resolve(reply.result ?? { rows: [] });
    });
    const fail = (error: Error): void => {
      this.exited = error;
      this.closed = true;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`The PGlite thread exited (code ${code}).`)));
  }

  /** Starts the thread and opens PGlite in `dataDir` (in memory when undefined). */
  static async open(dataDir: string | undefined): Promise<PgliteThread> {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { dataDir, pglitePath: require.resolve('@electric-sql/pglite') },
    });
    const thread = new PgliteThread(worker);
    try {
      await thread.call(undefined, 0);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return thread;
  }

  query(text: string, params: unknown[]): Promise<ThreadResult> {
    return this.call({ op: 'query', text, params }) as Promise<ThreadResult>;
  }

  exec(text: string): Promise<ThreadResult[]> {
    return this.call({ op: 'exec', text }) as Promise<ThreadResult[]>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: 'close' });
    this.closed = true;
  }

  /** Sends a request; without one, waits for the reply the worker sends once PGlite is open (id 0). */
  private call(request: Request | undefined, id = this.nextId++): Promise<ThreadResult | ThreadResult[]> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The thread keeps the process alive only while a request waits (an idle service or a
      // script that forgot close() is not held open by it).
      this.worker.ref();
      if (request) this.worker.postMessage({ ...request, id });
    });
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker.unref();
  }
}
