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

/**
 * The intake's view of our subscriptions, in memory: the request path reads no table in the
 * steady state. A miss (a subscription made by another instance, or a restart) reads one row and
 * remembers it; an unknown id is remembered as unknown for a few seconds so forged ids cannot
 * turn into a database read each.
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

  /**
   * The room of a subscription whose clientState matches (compared in constant time), 'unknown'
   * or 'forged'. Throws only when the database cannot be read on a miss.
   */
  async check(
    subscriptionId: string,
    clientState: string | null | undefined,
  ): Promise<{ roomEmail: string } | 'unknown' | 'forged'> {
    let entry = this.known.get(subscriptionId);
    if (!entry) {
      const until = this.unknown.get(subscriptionId);
      if (until !== undefined && until > this.wallClock().getTime()) return 'unknown';
      const row = await this.db
        .selectFrom('graph_subscriptions')
        .select(['room_email', 'client_state_hash'])
        .where('id', '=', subscriptionId)
        .executeTakeFirst();
      if (!row) {
        if (this.unknown.size >= this.maxUnknown) this.unknown.clear();
        this.unknown.set(subscriptionId, this.wallClock().getTime() + this.negativeTtlMs);
        return 'unknown';
      }
      this.remember(subscriptionId, row.room_email, row.client_state_hash);
      entry = this.known.get(subscriptionId)!;
    }
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
}
