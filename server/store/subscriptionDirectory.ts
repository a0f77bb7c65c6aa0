import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock';
import type { Schema } from './schema';

export const hashClientState = (clientState: string): string =>
  createHash('sha256').update(clientState).digest('hex');

interface Entry {
  roomEmail: string;
  hash: Buffer;
}

export type SubscriptionVerdict = { roomEmail: string } | 'unknown' | 'forged';

/** Ids read from the table in one query at most (PostgreSQL's bind limit is far above). */
const MAX_IDS_PER_READ = 1000;

/**
 * The intake's view of our subscriptions, in memory: the request path reads no table in the
 * steady state. Misses (a subscription made by another instance, or a restart) are read in one
 * query for all the ids of a request — and of every request that misses meanwhile: one read is
 * in flight at a time, later misses wait for the next one (issue 16: a flood of unknown ids read
 * one row each, in series, and slowed the whole service). An unknown id is remembered as unknown
 * for a few seconds so repeating forged ids costs no read at all.
 */
export class SubscriptionDirectory {
  private readonly known = new Map<string, Entry>();
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly negativeTtlMs = 5_000,
    private readonly maxUnknown = 10_000,
    /** Real time: the negative cache ages with the wall clock, whatever the business clock says. */
    private readonly wallClock: Clock = systemClock,
  ) {}

  remember(id: string, roomEmail: string, clientStateHash: string): void {
    this.unknown.delete(id);
    this.known.set(id, { roomEmail, hash: Buffer.from(clientStateHash, 'hex') });
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  /** Loads every subscription (start-up), so the first notifications need no read either. */
  async warm(): Promise<void> {
    const rows = await this.db
      .selectFrom('graph_subscriptions')
      .select(['id', 'room_email', 'client_state_hash'])
      .execute();
    for (const r of rows) this.remember(r.id, r.room_email, r.client_state_hash);
  }

  private waiting: Array<{ ids: Set<string>; done: () => void; failed: (error: unknown) => void }> = [];
  private reading = false;

  /**
   * The room of a subscription whose clientState matches (compared in constant time), 'unknown'
   * or 'forged'. Throws only when the database cannot be read on a miss.
   */
  async check(subscriptionId: string, clientState: string | null | undefined): Promise<SubscriptionVerdict> {
    return (await this.checkAll([{ subscriptionId, clientState }]))[0];
  }

  /** Ids neither known nor remembered as unknown: what a check of these would read. */
  misses(subscriptionIds: Iterable<string>): Set<string> {
    const now = this.wallClock().getTime();
    const misses = new Set<string>();
    for (const id of subscriptionIds) {
      if (this.known.has(id)) continue;
      const until = this.unknown.get(id);
      if (until !== undefined && until > now) continue;
      misses.add(id);
    }
    return misses;
  }

  /** check() of each notification, with one read (shared with concurrent callers) for the misses. */
  async checkAll(
    notifications: ReadonlyArray<{ subscriptionId: string; clientState?: string | null }>,
  ): Promise<SubscriptionVerdict[]> {
    const misses = this.misses(notifications.map((n) => n.subscriptionId));
    if (misses.size > 0) await this.load(misses);
    return notifications.map((n) => this.verdict(n.subscriptionId, n.clientState));
  }

  private verdict(subscriptionId: string, clientState?: string | null): SubscriptionVerdict {
    const entry = this.known.get(subscriptionId);
    if (!entry) return 'unknown';
    const given = createHash('sha256')
      .update(clientState ?? '')
      .digest();
    if (
      typeof clientState !== 'string' ||
      entry.hash.length !== given.length ||
      !timingSafeEqual(entry.hash, given)
    ) {
      return 'forged';
    }
    return { roomEmail: entry.roomEmail };
  }

  private load(ids: Set<string>): Promise<void> {
    return new Promise((done, failed) => {
      this.waiting.push({ ids, done, failed });
      void this.pump();
    });
  }

  /** Reads the waiting ids in one go, then whatever arrived meanwhile, until none wait. */
  private async pump(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        // Ids another waiter's read has resolved meanwhile are not read again.
        const ids = [...this.misses(batch.flatMap((w) => [...w.ids]))];
        try {
          for (let i = 0; i < ids.length; i += MAX_IDS_PER_READ)
            await this.read(ids.slice(i, i + MAX_IDS_PER_READ));
          for (const w of batch) w.done();
        } catch (error) {
          for (const w of batch) w.failed(error);
        }
      }
    } finally {
      this.reading = false;
    }
  }

  private async read(ids: string[]): Promise<void> {
    const rows = await this.db
      .selectFrom('graph_subscriptions')
      .select(['id', 'room_email', 'client_state_hash'])
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) this.remember(r.id, r.room_email, r.client_state_hash);
    const until = this.wallClock().getTime() + this.negativeTtlMs;
    for (const id of ids) {
      if (this.known.has(id)) continue;
      if (this.unknown.size >= this.maxUnknown) this.unknown.clear();
      this.unknown.set(id, until);
    }
  }
}
