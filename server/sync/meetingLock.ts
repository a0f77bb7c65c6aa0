import type { Database } from '../store/database';
import { createKeyedChain } from './keyedChain';

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

export function createMeetingLock(
  database: Pick<Database, 'kind' | 'withStartupLock'>,
  /** The lock names' prefix: `meeting` for iCalUIds, another for other work (roomSync's `integration`). */
  namespace = 'meeting',
): MeetingLock {
  const chain = createKeyedChain();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      return chain.run(key, () =>
        database.kind === 'postgres' ? database.withStartupLock(work, `${namespace}:${key}`) : work(),
      );
    },
  };
}
