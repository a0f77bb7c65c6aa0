import pg from 'pg';
import { KeyedSemaphore } from '../keyedSemaphore';
import type { Logger } from '../logger';

/**
 * Graph's 4-requests-in-flight budget per mailbox, kept across every instance on one PostgreSQL:
 * slot n of a mailbox is the session advisory lock (hashtext('graph-mailbox:' || mailbox), n),
 * taken with pg_try_advisory_lock on one connection of this process kept for that alone. Session
 * locks end with their session, so the slots of an instance that is killed come back as soon as
 * PostgreSQL sees its connection close — no lease to expire. The two-key form of the lock lives
 * apart from the one-key locks of the meetings and start-up (PostgreSQL docs, "Advisory Locks":
 * the two forms do not overlap).
 *
 * Inside the process a semaphore of the same size queues the requests first, so the database is
 * asked only when this process could send one more. A full mailbox is polled again after a short
 * jittered wait. When the lock connection is lost (PostgreSQL restarted), the locks went with it:
 * requests still in flight finish without one, a new connection is opened for the next, and for
 * that short moment the cluster may exceed the budget (Graph then answers 429, which is retried).
 * A request without a mailbox (`/subscriptions`, `/places`) keeps to the in-process semaphore.
 */
export interface ClusterMailboxSlotsOptions {
  databaseUrl: string;
  limit?: number;
  logger: Logger;
  /** Longest wait for a slot before the request fails (and its job is retried). */
  maxWaitMs?: number;
  random?: () => number;
}

/** graph/mailboxSlots.ts's MailboxSlots (store may not import graph/), and a way to let go. */
export interface ClusterMailboxSlots {
  acquire(mailbox: string): Promise<() => void>;
  active(mailbox: string): number;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createClusterMailboxSlots(options: ClusterMailboxSlotsOptions): ClusterMailboxSlots {
  const limit = options.limit ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const random = options.random ?? Math.random;
  const local = new KeyedSemaphore(limit);
  /** Slots this process holds (or is asking for) per mailbox, on the connection of this generation. */
  const held = new Map<string, Set<number>>();
  let generation = 0;
  let connection: Promise<pg.Client> | undefined;
  let closed = false;

  const lost = (client: pg.Client): void => {
    if (!connection) return;
    void connection.then((current) => {
      if (current !== client) return;
      connection = undefined;
      generation++;
      held.clear();
      client.end().catch(() => undefined);
      options.logger.warn({ event: 'graph.slots_connection_lost' }, 'mailbox slot connection lost');
    });
  };

  const client = (): Promise<pg.Client> => {
    if (closed) return Promise.reject(new Error('mailbox slots closed'));
    connection ??= (async () => {
      const c = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5000 });
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      try {
        await c.connect();
      } catch (error) {
        connection = undefined;
        throw error;
      }
      return c;
    })();
    return connection;
  };

  /** One statement at a time on the lock connection (pg 9 drops its own queueing). */
  let tail: Promise<unknown> = Promise.resolve();
  const query = (c: pg.Client, text: string, values: unknown[]): Promise<pg.QueryResult<{ ok: boolean }>> => {
    const run = tail.then(
      () => c.query<{ ok: boolean }>(text, values),
      () => c.query<{ ok: boolean }>(text, values),
    );
    tail = run.catch(() => undefined);
    return run;
  };

  const tryTake = async (mailbox: string): Promise<{ slot: number; generation: number } | undefined> => {
    const c = await client();
    const gen = generation;
    const mine = held.get(mailbox) ?? new Set<number>();
    held.set(mailbox, mine);
    const first = Math.floor(random() * limit);
    for (let i = 0; i < limit; i++) {
      const slot = (first + i) % limit;
      // Claimed before asking: advisory locks are re-entrant within a session, so two requests of
      // this process asking for one slot would both be told yes.
      if (mine.has(slot)) continue;
      mine.add(slot);
      let ok = false;
      try {
        ok = Boolean(
          (
            await query(c, 'SELECT pg_try_advisory_lock(hashtext($1), $2) AS ok', [
              `graph-mailbox:${mailbox}`,
              slot,
            ])
          ).rows[0]?.ok,
        );
      } finally {
        if (!ok && gen === generation) mine.delete(slot);
      }
      if (ok && gen === generation) return { slot, generation: gen };
      if (gen !== generation) return undefined;
    }
    return undefined;
  };

  const free = async (mailbox: string, taken: { slot: number; generation: number }): Promise<void> => {
    if (taken.generation !== generation || !connection) return;
    const mine = held.get(mailbox);
    try {
      const c = await connection;
      await query(c, 'SELECT pg_advisory_unlock(hashtext($1), $2)', [`graph-mailbox:${mailbox}`, taken.slot]);
    } catch {
      // The connection went: so did the lock.
    } finally {
      if (taken.generation === generation) {
        // The set stays (one per mailbox ever used): a request between its check and its claim holds it.
        mine?.delete(taken.slot);
      }
    }
  };

  const takeSlot = async (mailbox: string): Promise<{ slot: number; generation: number }> => {
    const deadline = Date.now() + maxWaitMs;
    for (let wait = 10; ; wait = Math.min(200, wait * 2)) {
      const taken = await tryTake(mailbox);
      if (taken) return taken;
      if (Date.now() > deadline)
        throw new Error(`no Graph request slot for ${mailbox} within ${maxWaitMs} ms`);
      await sleep(wait / 2 + random() * wait);
    }
  };

  return {
    async acquire(mailbox) {
      await local.acquire(mailbox);
      if (!mailbox) return once(() => local.release(mailbox));
      let taken: { slot: number; generation: number };
      try {
        taken = await takeSlot(mailbox);
      } catch (error) {
        local.release(mailbox);
        throw error;
      }
      return once(() => {
        void free(mailbox, taken).finally(() => local.release(mailbox));
      });
    },
    active: (mailbox) => local.active(mailbox),
    async close() {
      closed = true;
      const c = connection;
      connection = undefined;
      if (c) await (await c.catch(() => undefined))?.end().catch(() => undefined);
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
