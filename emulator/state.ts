/**
 * The emulator's in-memory tenant: directory, mailboxes and their events, subscriptions. Every
 * change to an event goes through insert/touch/remove here, which numbers it (delta, etags) and
 * reports it to listeners (change notifications).
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorClock } from './clock';
import { newImmutableItemId, randomToken, stableGuid } from './ids';
import type {
  ApiApp,
  AppRegistration,
  EventChange,
  Mailbox,
  RoomRecord,
  StoredEvent,
  SubscriptionRecord,
  TenantRecord,
  UserRecord,
} from './model';
import type { SeedData } from './seed';

/**
 * A seeded app's secret expires this long after the emulator's clock at load (reset): 2 years,
 * the longest the Entra portal offers ("24 months").
 */
export const SECRET_LIFETIME_DAYS = 730;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Occurrence ids are `{series master id}~{original start ms}` (exchange/calendar.ts). */
const OCCURRENCE_SEPARATOR = '~';

/** Every address a user answers to: UPN, mail and the SMTP proxy addresses, lower-case. */
function addressesOf(u: UserRecord): string[] {
  const proxies = (u.user.proxyAddresses ?? []).map((p) => p.replace(/^smtp:/i, ''));
  return [u.user.userPrincipalName, u.user.mail, ...proxies]
    .filter((a): a is string => !!a)
    .map((a) => a.toLowerCase());
}

export type ChangeListener = (change: EventChange) => void;

export class EmulatorState {
  tenant!: TenantRecord;
  apiApp!: ApiApp;
  apps = new Map<string, AppRegistration>();
  users = new Map<string, UserRecord>();
  rooms = new Map<string, RoomRecord>();
  roomLists: MSGraph.RoomList[] = [];
  externals: MSGraph.EmailAddress[] = [];
  /**
   * People outside the organisation who organize meetings: their calendar lives in their own
   * organisation, so it is a mailbox here that Graph cannot reach (not in /users, not subscribable).
   */
  externalPeople = new Map<string, UserRecord>();
  mailboxes = new Map<string, Mailbox>();
  subscriptions = new Map<string, SubscriptionRecord>();
  /** Application access policies: app id → the mailbox (user) ids its app-only calls may reach. */
  accessPolicies = new Map<string, Set<string>>();
  /** Global change counter: each event change gets the next number. */
  seq = 0;
  /** Changes on every reset, so that delta links from before a reset are stale (410). */
  epoch = randomToken();
  private byAddress = new Map<string, string>();
  private listeners: ChangeListener[] = [];

  constructor(readonly clock: EmulatorClock) {}

  load(seed: SeedData): void {
    this.tenant = { ...seed.tenant };
    this.apiApp = { ...seed.apiApp, delegatedPermissions: [...seed.apiApp.delegatedPermissions] };
    const loadedAt = this.clock.now();
    this.apps = new Map(
      seed.apps.map((a) => [
        a.clientId,
        {
          ...a,
          permissions: [...a.permissions],
          passwordCredentials: a.passwordCredentials
            ? a.passwordCredentials.map((c) => ({ ...c }))
            : [
                {
                  keyId: stableGuid(`secret:${a.clientId}`),
                  displayName: 'Hector Outlook',
                  startDateTime: loadedAt.toISOString(),
                  endDateTime: new Date(loadedAt.getTime() + SECRET_LIFETIME_DAYS * DAY_MS).toISOString(),
                  secretText: a.clientSecret,
                },
              ],
        },
      ]),
    );
    this.users = new Map(seed.users.map((u) => [u.user.id!, structuredClone(u)]));
    this.rooms = new Map(seed.rooms.map((r) => [r.userId, structuredClone(r)]));
    this.roomLists = structuredClone(seed.roomLists);
    this.externals = structuredClone(seed.externals);
    this.externalPeople = new Map(
      this.externals.map((e) => {
        const address = e.address!;
        const id = stableGuid(`external:${address.toLowerCase()}`);
        const user = { id, displayName: e.name ?? address, mail: address, userPrincipalName: address };
        return [id, { purpose: 'user' as const, user }];
      }),
    );
    this.mailboxes = new Map();
    this.subscriptions = new Map();
    this.accessPolicies = new Map();
    this.epoch = randomToken();
    this.reindex();
    for (const id of this.users.keys()) this.mailbox(id);
  }

  reindex(): void {
    this.byAddress = new Map();
    for (const [id, u] of this.users) {
      for (const a of addressesOf(u)) this.byAddress.set(a, id);
    }
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * A user by object id or UPN only (case-insensitive), as Graph resolves `/users/{id | upn}`: an
   * e-mail address that is not the UPN is not found (microsoft-graph-docs#3979, "UPN != email").
   */
  resolveUserKey(idOrUpn: string): UserRecord | undefined {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    const byId =
      this.users.get(key) ?? [...this.users.values()].find((u) => u.user.id?.toLowerCase() === key);
    return byId ?? [...this.users.values()].find((u) => u.user.userPrincipalName?.toLowerCase() === key);
  }

  /**
   * A user by id, UPN or any of its e-mail addresses (case-insensitive): how Exchange resolves an
   * attendee's address, and the control API's people. Graph URLs use resolveUserKey.
   */
  resolveUser(idOrAddress: string): UserRecord | undefined {
    const key = decodeURIComponent(idOrAddress).toLowerCase();
    const direct =
      this.users.get(key) ?? [...this.users.values()].find((u) => u.user.id?.toLowerCase() === key);
    if (direct) return direct;
    const id = this.byAddress.get(key);
    return id ? this.users.get(id) : undefined;
  }

  /** An external person by e-mail address (case-insensitive). */
  resolveExternal(address: string): UserRecord | undefined {
    const key = decodeURIComponent(address).toLowerCase();
    return [...this.externalPeople.values()].find((p) => p.user.mail?.toLowerCase() === key);
  }

  /** Whoever owns a mailbox: a user of the tenant or an external organizer. */
  mailboxOwner(mailboxId: string): UserRecord | undefined {
    return this.users.get(mailboxId) ?? this.externalPeople.get(mailboxId);
  }

  /** Whether a mailbox belongs to the organisation (Exchange's notion of internal sender). */
  isInternal(mailboxId: string): boolean {
    return this.users.has(mailboxId);
  }

  /** Adds a directory user (e.g. a new room mailbox) and its mailbox. */
  addUser(record: UserRecord): void {
    this.users.set(record.user.id!, record);
    for (const a of addressesOf(record)) this.byAddress.set(a, record.user.id!);
    this.mailbox(record.user.id!);
  }

  roomByAddress(address: string): RoomRecord | undefined {
    const user = this.resolveUser(address);
    return user ? this.rooms.get(user.user.id!) : undefined;
  }

  mailbox(userId: string): Mailbox {
    let m = this.mailboxes.get(userId);
    if (!m) {
      m = { userId, events: new Map(), tombstones: [], transactions: new Map(), immutableIds: new Map() };
      this.mailboxes.set(userId, m);
    }
    return m;
  }

  etagOf(stored: StoredEvent): string {
    return `W/"${Buffer.from(`${this.epoch}:${stored.seq}`).toString('base64')}"`;
  }

  insertEvent(
    mailboxId: string,
    stored: Omit<StoredEvent, 'seq' | 'mailboxId' | 'immutableId'>,
  ): StoredEvent {
    const now = this.clock.now().toISOString();
    const full: StoredEvent = { ...stored, mailboxId, seq: ++this.seq, immutableId: newImmutableItemId() };
    full.event.createdDateTime = now;
    full.event.lastModifiedDateTime = now;
    full.event.changeKey = this.etagOf(full).slice(3, -1);
    const mailbox = this.mailbox(mailboxId);
    mailbox.events.set(full.event.id!, full);
    mailbox.immutableIds.set(full.immutableId, full.event.id!);
    this.emit(full, 'created');
    return full;
  }

  /** Records that an event changed (call after mutating it). */
  touch(stored: StoredEvent): void {
    stored.seq = ++this.seq;
    stored.event.lastModifiedDateTime = this.clock.now().toISOString();
    stored.event.changeKey = this.etagOf(stored).slice(3, -1);
    this.emit(stored, 'updated');
  }

  removeEvent(stored: StoredEvent): void {
    const mailbox = this.mailbox(stored.mailboxId);
    if (!mailbox.events.delete(stored.event.id!)) return;
    mailbox.immutableIds.delete(stored.immutableId);
    stored.seq = ++this.seq;
    mailbox.tombstones.push({ id: stored.event.id!, immutableId: stored.immutableId, seq: stored.seq });
    this.emit(stored, 'deleted');
  }

  /**
   * Records that an id left the calendar view without its item being deleted: an occurrence gone
   * (cancelled, or dropped by a series change) or a single that became a series master — so
   * calendarView/delta replays report it `@removed`.
   */
  retireFromView(mailboxId: string, id: string, immutableId: string): void {
    this.mailbox(mailboxId).tombstones.push({ id, immutableId, seq: ++this.seq });
  }

  /**
   * Either id of an item (or of an occurrence, `{series id}~{ms}`) → its regular id, the key of
   * Mailbox.events; an unknown id comes back as it is (and is then not found).
   */
  toRegularId(mailboxId: string, id: string): string {
    const ids = this.mailbox(mailboxId).immutableIds;
    const direct = ids.get(id);
    if (direct) return direct;
    const i = id.lastIndexOf(OCCURRENCE_SEPARATOR);
    const master = i > 0 ? ids.get(id.slice(0, i)) : undefined;
    return master ? `${master}${id.slice(i)}` : id;
  }

  /** A regular id (or an occurrence's) → the immutable one; unknown ids come back as they are. */
  toImmutableId(mailboxId: string, id: string): string {
    const events = this.mailbox(mailboxId).events;
    const direct = events.get(id);
    if (direct) return direct.immutableId;
    const i = id.lastIndexOf(OCCURRENCE_SEPARATOR);
    const master = i > 0 ? events.get(id.slice(0, i)) : undefined;
    return master ? `${master.immutableId}${id.slice(i)}` : id;
  }

  findByICalUId(iCalUId: string): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const m of this.mailboxes.values()) {
      for (const e of m.events.values()) if (e.event.iCalUId === iCalUId) out.push(e);
    }
    return out;
  }

  private emit(stored: StoredEvent, changeType: EventChange['changeType']): void {
    const change: EventChange = {
      mailboxId: stored.mailboxId,
      eventId: stored.event.id!,
      immutableId: stored.immutableId,
      changeType,
      etag: this.etagOf(stored),
    };
    for (const l of this.listeners) l(change);
  }
}
