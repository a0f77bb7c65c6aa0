import type { Database } from '../store/database';

/**
 * Serializes the work on one meeting (one iCalUId): inside this instance with a promise chain
 * per key, and across instances on PostgreSQL with a session-level advisory lock held on its own
 * connection (`Database.withStartupLock` is exactly that: `pg_advisory_lock(hashtext(name))`).
 * A session lock rather than `pg_advisory_xact_lock`, because the loans core commits its own
 * transactions: the lock must outlive them. PGlite is one process, so the chain is enough there.
 */
export interface MeetingLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createMeetingLock(database: Pick<Database, 'kind' | 'withStartupLock'>): MeetingLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const clusterWide = (): Promise<T> =>
        database.kind === 'postgres' ? database.withStartupLock(work, `meeting:${key}`) : work();
      const mine = previous.then(clusterWide, clusterWide);
      const tail = mine.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await mine;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
