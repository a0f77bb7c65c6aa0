/**
 * Graph keys mailboxes by object id or userPrincipalName; an e-mail address that is not the UPN is
 * not found (404 ErrorInvalidUser, microsoft-graph-docs#3979), and tenants with an alias domain
 * have people and rooms whose mail is not their UPN. So every `/users/{…}` call is made by object
 * id, resolved once per address (`$filter=mail eq '…'`, else `proxyAddresses/any(…)`) and kept.
 */

/** Where resolved ids are kept across restarts (server/store/mailboxIds.ts), for one tenant. */
export interface MailboxIdStore {
  find(address: string): Promise<string | null>;
  save(address: string, objectId: string): Promise<void>;
}

/** The directory look-up by address: the user's object id, or null when nobody has it. */
export type FindUserId = (address: string) => Promise<string | null>;

export interface MailboxResolver {
  /**
   * The key to put in `/users/{key}`: an object id as is; an address → its object id (resolved
   * once); an address nobody has → the address itself, so Graph answers for it (404).
   */
  keyOf(idOrAddress: string): Promise<string>;
  /** Remembers an id learnt otherwise (a user read by id, a room from the users fallback). */
  learn(address: string, objectId: string): void;
}

const isAddress = (s: string): boolean => s.includes('@');

export function createMailboxResolver(find: FindUserId, store?: MailboxIdStore): MailboxResolver {
  const known = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();

  const resolve = async (address: string): Promise<string> => {
    const stored = await store?.find(address);
    if (stored) return stored;
    const id = await find(address);
    if (!id) return address; // not cached: the address may become a user later
    await store?.save(address, id);
    return id;
  };

  return {
    async keyOf(idOrAddress) {
      if (!isAddress(idOrAddress)) return idOrAddress;
      const address = idOrAddress.toLowerCase();
      const hit = known.get(address);
      if (hit) return hit;
      let inFlight = pending.get(address);
      if (!inFlight) {
        inFlight = resolve(address).finally(() => pending.delete(address));
        pending.set(address, inFlight);
      }
      const key = await inFlight;
      if (key !== address) known.set(address, key);
      return key;
    },
    learn(address, objectId) {
      const key = address.toLowerCase();
      if (known.get(key) === objectId) return;
      known.set(key, objectId);
      void store?.save(key, objectId).catch(() => undefined); // a lost save costs one look-up later
    },
  };
}
