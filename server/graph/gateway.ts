import { Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Metrics } from '../metrics';
import { toGraphCallError, GraphCallError } from './errors';
import {
  AuthMiddleware,
  MetricsMiddleware,
  ThrottlingMiddleware,
  type ThrottlingOptions,
} from './middleware';
import { createMailboxResolver, type MailboxIdStore } from './mailboxIds';
import type { TokenSource } from './token';

/** A room as both room sources (Places API, users with userPurpose room) describe it. */
export interface GraphRoom {
  email: string;
  name: string;
  /** One line: street, postal code city, country (what Hector shows as the place's address). */
  address: string | null;
  addressParts: MSGraph.PhysicalAddress | null;
  building: string | null;
  capacity: number | null;
  floor: string | null;
  tags: string[];
  /** The room mailbox's user id when known (the users fallback). */
  userId: string | null;
  source: 'places' | 'users';
}

export interface GraphUser {
  id: string;
  displayName: string | null;
  mail: string | null;
  userPrincipalName: string | null;
  accountEnabled: boolean | null;
}

export interface NewSubscription {
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  expirationDateTime: Date;
  clientState: string;
  /** With resource data (issue 18): our certificate (base64 DER) and our id for it. */
  encryption?: SubscriptionEncryption;
}

export interface SubscriptionEncryption {
  certificate: string;
  certificateId: string;
}

/** The body fields of a subscription with resource data (GDC …with-resource-data.md). */
const richFields = (e: SubscriptionEncryption | undefined, create: boolean): Record<string, unknown> =>
  e
    ? {
        ...(create ? { includeResourceData: true } : {}),
        encryptionCertificate: e.certificate,
        encryptionCertificateId: e.certificateId,
      }
    : {};

export interface GraphSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
  notificationUrl?: string;
  clientState?: string | null;
}

/**
 * A client secret of the app registration as Graph lists it: never the secret, only `hint`, its
 * first 3 characters (GDC api-reference/v1.0/resources/passwordcredential.md).
 */
export interface AppSecretInfo {
  keyId: string;
  displayName: string | null;
  hint: string | null;
  /** Null: the secret never expires. */
  endDateTime: string | null;
}

export interface DeltaPage {
  events: MSGraph.Event[];
  /** Ids Graph reports as removed (`@removed`). */
  removed: string[];
  deltaLink: string;
}

/**
 * Every Graph call the service makes, typed. The rest of the service talks to this interface
 * only (and tests can hand it a fake).
 */
export interface GraphGateway {
  listRoomsFromPlaces(): Promise<GraphRoom[]>;
  /** Fallback without Place.Read.All: users whose mailboxSettings.userPurpose is "room". */
  listRoomsFromUsers(): Promise<GraphRoom[]>;
  listUsers(): Promise<GraphUser[]>;
  getUser(idOrUpn: string): Promise<GraphUser | null>;
  getMailboxSettings(idOrUpn: string): Promise<MSGraph.MailboxSettings>;
  /** The event in UTC with its immutable id; null when it is gone (404). */
  getEvent(mailbox: string, eventId: string): Promise<MSGraph.Event | null>;
  listEvents(mailbox: string, top?: number): Promise<MSGraph.Event[]>;
  createEvent(mailbox: string, event: MSGraph.Event): Promise<MSGraph.Event>;
  updateEvent(mailbox: string, eventId: string, patch: MSGraph.Event): Promise<MSGraph.Event>;
  deleteEvent(mailbox: string, eventId: string): Promise<void>;
  /**
   * Like getEvent, with one single-value extended property expanded (`$expand=
   * singleValueExtendedProperties($filter=id eq '…')`); Graph omits it when the event has none.
   */
  getEventWithProperty(mailbox: string, eventId: string, propertyId: string): Promise<MSGraph.Event | null>;
  /**
   * A series' occurrences and exceptions overlapping [start, end] (`/events/{master}/instances`),
   * in UTC with immutable ids, every page; `[]` when the master is gone (404).
   */
  listInstances(
    mailbox: string,
    masterId: string,
    window: { start: Date; end: Date },
  ): Promise<MSGraph.Event[]>;
  /** The copies of one meeting in a mailbox (`$filter=iCalUId eq '…'`), in UTC, with immutable ids. */
  findEventsByICalUId(mailbox: string, iCalUId: string, propertyId?: string): Promise<MSGraph.Event[]>;
  /**
   * An attendee (here: a room) declines the meeting in its own calendar: `POST
   * /users/{mailbox}/events/{id}/decline {comment, sendResponse:true}`. Already gone is not an error.
   */
  declineEvent(mailbox: string, eventId: string, comment: string): Promise<void>;
  /**
   * Created with `Prefer: IdType="ImmutableId"`, so that its notifications name events by
   * immutable id, as every read of ours does (GDC concepts/outlook-immutable-id.md).
   */
  createSubscription(subscription: NewSubscription): Promise<GraphSubscription>;
  /** With `encryption`: the subscription moves onto that certificate (key rotation). */
  renewSubscription(
    id: string,
    expirationDateTime: Date,
    encryption?: SubscriptionEncryption,
  ): Promise<GraphSubscription>;
  reauthorizeSubscription(id: string): Promise<void>;
  /** Deleting one that is already gone is not an error. */
  deleteSubscription(id: string): Promise<void>;
  listSubscriptions(): Promise<GraphSubscription[]>;
  /** calendarView delta: a first sync over [start, end], or a replay of a stored delta link. */
  calendarDelta(
    mailbox: string,
    from: { start: Date; end: Date } | { deltaLink: string },
  ): Promise<DeltaPage>;
  /**
   * `POST /users/{mailbox}/translateExchangeIds` restId → restImmutableEntryId, by 1,000: each
   * id → its immutable id; ids Graph could not translate are left out.
   */
  translateToImmutableIds(mailbox: string, ids: string[]): Promise<Map<string, string>>;
  /**
   * The client secrets of the app registration with this client id: `GET /applications?$filter=
   * appId eq '…'&$select=id,appId,passwordCredentials` (GDC api/application-list.md); needs
   * Application.Read.All or higher (else a forbidden GraphCallError). Null: no such app.
   */
  getAppSecrets(clientId: string): Promise<AppSecretInfo[] | null>;
  /** Raw GET, for the permission probes of the settings test. */
  probe(path: string): Promise<void>;
}

export interface GatewayOptions {
  baseUrl: string;
  tokens: TokenSource;
  metrics?: Metrics;
  throttling?: ThrottlingOptions;
  /** Where mailbox ids resolved from addresses are kept (mailboxIds.ts); in memory only without. */
  mailboxIds?: MailboxIdStore;
}

const IMMUTABLE = 'IdType="ImmutableId"';
const UTC_AND_IMMUTABLE = `outlook.timezone="UTC", ${IMMUTABLE}`;
/** Instances asked per page: a daily series over the 180-day booking window fits in one. */
const INSTANCES_PAGE = 200;
/** translateExchangeIds takes at most 1,000 ids (GDC api/user-translateexchangeids.md). */
const TRANSLATE_BATCH = 1000;

/**
 * The Places API sends no @odata.nextLink (docs-contrib#341, docs#6427, docs#9923): rooms are paged
 * with $top and $skip until a short page. 100 is its default page size.
 */
export const PLACES_PAGE = 100;
/** A guard against a server that ignores $skip: 1,000 pages of 100 rooms. */
const PLACES_MAX_PAGES = 1000;

const USER_FIELDS = 'id,displayName,mail,userPrincipalName,accountEnabled';
const odataString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function formatAddress(a: MSGraph.PhysicalAddress | null | undefined): string | null {
  if (!a) return null;
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(' ');
  const parts = [a.street, cityLine, a.countryOrRegion].filter((p) => p && String(p).trim());
  return parts.length ? parts.join(', ') : null;
}

const seg = (s: string): string => encodeURIComponent(s);

const expandProperty = (propertyId: string): string =>
  `singleValueExtendedProperties($filter=id eq '${propertyId.replace(/'/g, "''")}')`;

/** `https://graph/v1.0/x?y` (or http) → `/x?y`: graph-client only follows absolute https links. */
export function toRelative(link: string, baseUrl: string): string {
  if (link.startsWith(baseUrl)) return link.slice(baseUrl.length) || '/';
  if (!/^https?:\/\//i.test(link)) return link;
  const url = new URL(link);
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  let path = url.pathname;
  if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length);
  else path = path.replace(/^\/(v1\.0|beta)(?=\/)/, '');
  return `${path}${url.search}`;
}

export function createGraphGateway(
  options: GatewayOptions,
): GraphGateway & { throttling: ThrottlingMiddleware } {
  const base = new URL(options.baseUrl);
  const version = base.pathname.replace(/^\/+|\/+$/g, '');
  const throttling = new ThrottlingMiddleware({ metrics: options.metrics, ...options.throttling });
  const client = Client.initWithMiddleware({
    baseUrl: base.origin,
    defaultVersion: version,
    middleware: [
      new AuthMiddleware(options.tokens),
      throttling,
      new MetricsMiddleware(options.metrics),
      new HTTPMessageHandler(),
    ],
  });

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toGraphCallError(error);
    }
  };

  async function pages<T>(first: string, headers: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = first;
    while (next) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await call(() =>
        client.api(next!).headers(headers).get(),
      );
      items.push(...(page.value ?? []));
      next = page['@odata.nextLink'] ? toRelative(page['@odata.nextLink'], options.baseUrl) : undefined;
    }
    return items;
  }

  const toUser = (u: MSGraph.User): GraphUser => ({
    id: u.id!,
    displayName: u.displayName ?? null,
    mail: u.mail ?? null,
    userPrincipalName: u.userPrincipalName ?? null,
    accountEnabled: u.accountEnabled ?? null,
  });

  const toSubscription = (s: MSGraph.Subscription): GraphSubscription => ({
    id: s.id!,
    resource: s.resource ?? '',
    expirationDateTime: s.expirationDateTime ?? '',
    notificationUrl: s.notificationUrl ?? undefined,
    clientState: s.clientState ?? null,
  });

  /** The user with this mail, else with this SMTP address (GRAPH-FACTS "Real tenants"). */
  const findUserByAddress = async (address: string): Promise<MSGraph.User | null> => {
    const filters = [
      `mail eq ${odataString(address)}`,
      `proxyAddresses/any(p:p eq ${odataString(`smtp:${address}`)})`,
    ];
    for (const filter of filters) {
      const page: { value?: MSGraph.User[] } = await call(() =>
        client.api('/users').query({ $filter: filter, $select: USER_FIELDS }).get(),
      );
      if (page.value?.[0]?.id) return page.value[0];
    }
    return null;
  };
  const mailboxes = createMailboxResolver(async (address) => {
    try {
      return (await findUserByAddress(address))?.id ?? null;
    } catch (error) {
      // Without User.Read.All: the address as is, which works where it is the UPN.
      if (error instanceof GraphCallError && error.forbidden) return null;
      throw error;
    }
  }, options.mailboxIds);
  /** The `/users/{…}` segment of a mailbox: its object id when known (mailboxIds.ts). */
  const key = async (mailbox: string): Promise<string> => seg(await mailboxes.keyOf(mailbox));

  const gateway: GraphGateway = {
    async listRoomsFromPlaces() {
      const rooms: MSGraph.Room[] = [];
      for (let page = 0; page < PLACES_MAX_PAGES; page++) {
        const got: { value?: MSGraph.Room[] } = await call(() =>
          client.api(`/places/microsoft.graph.room?$top=${PLACES_PAGE}&$skip=${rooms.length}`).get(),
        );
        const value = got.value ?? [];
        rooms.push(...value);
        if (value.length < PLACES_PAGE) break;
      }
      return rooms
        .filter((r) => r.emailAddress)
        .map((r) => ({
          email: r.emailAddress!.toLowerCase(),
          name: r.displayName ?? r.emailAddress!,
          address: formatAddress(r.address),
          addressParts: r.address ?? null,
          building: r.building ?? null,
          capacity: r.capacity ?? null,
          floor: r.floorLabel ?? (r.floorNumber != null ? String(r.floorNumber) : null),
          tags: r.tags ?? [],
          userId: null,
          source: 'places' as const,
        }));
    },

    async listRoomsFromUsers() {
      const users = await pages<MSGraph.User>(
        '/users?$select=id,displayName,mail,userPrincipalName,officeLocation,accountEnabled&$top=999',
      );
      const rooms: GraphRoom[] = [];
      // A few mailboxes at a time: each is its own mailbox for throttling, but stay polite.
      const queue = users.filter((u) => u.mail || u.userPrincipalName);
      const worker = async (): Promise<void> => {
        for (let u = queue.shift(); u; u = queue.shift()) {
          const user = u;
          let purpose: string | undefined;
          try {
            const settings = await gateway.getMailboxSettings(user.id!);
            purpose = settings.userPurpose ?? undefined;
          } catch (error) {
            if (
              error instanceof GraphCallError &&
              (error.notFound || error.graphCode === 'MailboxNotEnabledForRESTAPI')
            ) {
              continue; // no mailbox: not a room
            }
            // Outside the app's access policy (README step 7 lets in rooms and the default user):
            // a person's mailbox, or a room the admin left out; either way not one we can sync.
            if (error instanceof GraphCallError && error.accessPolicyDenied) continue;
            throw error;
          }
          if (purpose !== 'room') continue;
          const email = (user.mail ?? user.userPrincipalName)!.toLowerCase();
          mailboxes.learn(email, user.id!);
          rooms.push({
            email,
            name: user.displayName ?? email,
            address: null,
            addressParts: null,
            building: user.officeLocation ?? null,
            capacity: null,
            floor: null,
            tags: [],
            userId: user.id ?? null,
            source: 'users',
          });
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      return rooms.sort((a, b) => a.email.localeCompare(b.email));
    },

    async listUsers() {
      const users = await pages<MSGraph.User>(
        '/users?$select=id,displayName,mail,userPrincipalName,accountEnabled&$top=999',
      );
      return users.map(toUser);
    },

    async getUser(idOrUpn) {
      // An address is a mail first (it is what meetings carry), then perhaps a UPN without a mail.
      const found = idOrUpn.includes('@') ? await findUserByAddress(idOrUpn) : null;
      if (found) {
        mailboxes.learn(idOrUpn, found.id!);
        return toUser(found);
      }
      try {
        const u: MSGraph.User = await call(() =>
          client.api(`/users/${seg(idOrUpn)}?$select=${USER_FIELDS}`).get(),
        );
        return toUser(u);
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return null;
        throw error;
      }
    },

    async getMailboxSettings(idOrUpn) {
      const path = `/users/${await key(idOrUpn)}/mailboxSettings`;
      return call(() => client.api(path).get());
    },

    async getEvent(mailbox, eventId) {
      const box = await key(mailbox);
      try {
        return await call(() =>
          client
            .api(`/users/${box}/events/${seg(eventId)}`)
            .header('Prefer', UTC_AND_IMMUTABLE)
            .get(),
        );
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return null;
        throw error;
      }
    },

    async listEvents(mailbox, top = 50) {
      const box = await key(mailbox);
      const page: { value: MSGraph.Event[] } = await call(() =>
        client.api(`/users/${box}/events?$top=${top}`).header('Prefer', UTC_AND_IMMUTABLE).get(),
      );
      return page.value ?? [];
    },

    async createEvent(mailbox, event) {
      const box = await key(mailbox);
      return call(() => client.api(`/users/${box}/events`).header('Prefer', UTC_AND_IMMUTABLE).post(event));
    },

    async updateEvent(mailbox, eventId, patch) {
      const box = await key(mailbox);
      return call(() =>
        client
          .api(`/users/${box}/events/${seg(eventId)}`)
          .header('Prefer', UTC_AND_IMMUTABLE)
          .patch(patch),
      );
    },

    async deleteEvent(mailbox, eventId) {
      const box = await key(mailbox);
      try {
        await call(() =>
          client
            .api(`/users/${box}/events/${seg(eventId)}`)
            .header('Prefer', UTC_AND_IMMUTABLE)
            .delete(),
        );
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return;
        throw error;
      }
    },

    async getEventWithProperty(mailbox, eventId, propertyId) {
      const box = await key(mailbox);
      try {
        return await call(() =>
          client
            .api(`/users/${box}/events/${seg(eventId)}`)
            .query({ $expand: expandProperty(propertyId) })
            .header('Prefer', UTC_AND_IMMUTABLE)
            .get(),
        );
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return null;
        throw error;
      }
    },

    async listInstances(mailbox, masterId, window) {
      const box = await key(mailbox);
      const range = `startDateTime=${window.start.toISOString()}&endDateTime=${window.end.toISOString()}`;
      try {
        // One page holds a daily series over the default 180-day window (Graph's $top allows 1,000).
        return await pages<MSGraph.Event>(
          `/users/${box}/events/${seg(masterId)}/instances?${range}&$top=${INSTANCES_PAGE}`,
          { Prefer: UTC_AND_IMMUTABLE },
        );
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return [];
        throw error;
      }
    },

    async findEventsByICalUId(mailbox, iCalUId, propertyId) {
      const box = await key(mailbox);
      const query: Record<string, string> = { $filter: `iCalUId eq '${iCalUId.replace(/'/g, "''")}'` };
      if (propertyId) query.$expand = expandProperty(propertyId);
      const page: { value?: MSGraph.Event[] } = await call(() =>
        client.api(`/users/${box}/events`).query(query).header('Prefer', UTC_AND_IMMUTABLE).get(),
      );
      return page.value ?? [];
    },

    async declineEvent(mailbox, eventId, comment) {
      const box = await key(mailbox);
      try {
        await call(() =>
          client
            .api(`/users/${box}/events/${seg(eventId)}/decline`)
            .header('Prefer', UTC_AND_IMMUTABLE)
            .post({ comment, sendResponse: true }),
        );
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return;
        throw error;
      }
    },

    async createSubscription(s) {
      // `/users/{address}/events` → `/users/{id}/events`: Graph refuses a mail that is not the UPN.
      const m = /^\/?users\/([^/]+)(\/.*)$/i.exec(s.resource);
      const resource = m ? `/users/${await key(decodeURIComponent(m[1]))}${m[2]}` : s.resource;
      const created: MSGraph.Subscription = await call(() =>
        client
          .api('/subscriptions')
          .header('Prefer', IMMUTABLE)
          .post({
            changeType: s.changeType,
            notificationUrl: s.notificationUrl,
            lifecycleNotificationUrl: s.lifecycleNotificationUrl,
            resource,
            expirationDateTime: s.expirationDateTime.toISOString(),
            clientState: s.clientState,
            ...richFields(s.encryption, true),
          }),
      );
      return toSubscription(created);
    },

    async renewSubscription(id, expirationDateTime, encryption) {
      const renewed: MSGraph.Subscription = await call(() =>
        client.api(`/subscriptions/${seg(id)}`).patch({
          expirationDateTime: expirationDateTime.toISOString(),
          ...richFields(encryption, false),
        }),
      );
      return toSubscription(renewed);
    },

    async reauthorizeSubscription(id) {
      await call(() => client.api(`/subscriptions/${seg(id)}/reauthorize`).post({}));
    },

    async deleteSubscription(id) {
      try {
        await call(() => client.api(`/subscriptions/${seg(id)}`).delete());
      } catch (error) {
        if (error instanceof GraphCallError && error.notFound) return;
        throw error;
      }
    },

    async listSubscriptions() {
      return (await pages<MSGraph.Subscription>('/subscriptions')).map(toSubscription);
    },

    async calendarDelta(mailbox, from) {
      const box = 'deltaLink' in from ? '' : await key(mailbox);
      let next: string | undefined =
        'deltaLink' in from
          ? toRelative(from.deltaLink, options.baseUrl)
          : `/users/${box}/calendarView/delta?startDateTime=${from.start.toISOString()}&endDateTime=${from.end.toISOString()}`;
      const events: MSGraph.Event[] = [];
      const removed: string[] = [];
      while (next) {
        const page: {
          value?: Array<MSGraph.Event & { '@removed'?: unknown }>;
          '@odata.nextLink'?: string;
          '@odata.deltaLink'?: string;
        } = await call(() =>
          client.api(next!).header('Prefer', `${UTC_AND_IMMUTABLE}, odata.maxpagesize=100`).get(),
        );
        for (const item of page.value ?? []) {
          if (item['@removed']) removed.push(item.id!);
          else events.push(item);
        }
        if (page['@odata.deltaLink']) return { events, removed, deltaLink: page['@odata.deltaLink'] };
        next = page['@odata.nextLink'] ? toRelative(page['@odata.nextLink'], options.baseUrl) : undefined;
      }
      throw new GraphCallError(502, 'NoDeltaLink', 'Graph ended a delta query without a deltaLink.');
    },

    async translateToImmutableIds(mailbox, ids) {
      const box = await key(mailbox);
      const out = new Map<string, string>();
      for (let i = 0; i < ids.length; i += TRANSLATE_BATCH) {
        const page: { value?: Array<{ sourceId?: string; targetId?: string }> } = await call(() =>
          client.api(`/users/${box}/translateExchangeIds`).post({
            inputIds: ids.slice(i, i + TRANSLATE_BATCH),
            sourceIdType: 'restId',
            targetIdType: 'restImmutableEntryId',
          }),
        );
        for (const r of page.value ?? []) if (r.sourceId && r.targetId) out.set(r.sourceId, r.targetId);
      }
      return out;
    },

    async getAppSecrets(clientId) {
      const page: { value?: MSGraph.Application[] } = await call(() =>
        client
          .api('/applications')
          .query({ $filter: `appId eq ${odataString(clientId)}`, $select: 'id,appId,passwordCredentials' })
          .get(),
      );
      const app = page.value?.[0];
      if (!app) return null;
      // Only what we need: secretText is null in a read anyway, and is never kept.
      return (app.passwordCredentials ?? [])
        .filter((c) => c.keyId)
        .map((c) => ({
          keyId: c.keyId!,
          displayName: c.displayName ?? null,
          hint: c.hint ?? null,
          endDateTime: c.endDateTime ?? null,
        }));
    },

    async probe(path) {
      const m = /^\/users\/([^/?]+)(.*)$/i.exec(path);
      const keyed = m && m[1].includes('%40') ? `/users/${await key(decodeURIComponent(m[1]))}${m[2]}` : path;
      await call(() => client.api(keyed).get());
    },
  };
  return Object.assign(gateway, { throttling });
}
