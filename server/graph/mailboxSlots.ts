/**
 * Graph lets an app have at most 4 requests in flight per mailbox (GRAPH-FACTS "Throttling": the
 * Outlook service limit is per app and mailbox, not per process). A `MailboxSlots` hands out those
 * slots: in-process here (one instance, PGlite), across instances on PostgreSQL
 * (store/clusterMailboxSlots.ts). The gateway's throttling middleware takes one for every request.
 */
import { KeyedSemaphore } from '../keyedSemaphore';

export interface MailboxSlots {
  /** Resolves once this process may send one more request on the mailbox; call the result after. */
  acquire(mailbox: string): Promise<() => void>;
  /** Requests this process has in flight on the mailbox (tests). */
  active(mailbox: string): number;
}

/** The slots of one process: right when it is the only instance (PGlite is one process). */
export function inProcessMailboxSlots(limit = 4): MailboxSlots {
  const semaphore = new KeyedSemaphore(limit);
  return {
    async acquire(mailbox) {
      await semaphore.acquire(mailbox);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        semaphore.release(mailbox);
      };
    },
    active: (mailbox) => semaphore.active(mailbox),
  };
}
