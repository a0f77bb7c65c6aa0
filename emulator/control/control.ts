/**
 * The in-process control surface for tests, benches and the demo: clock, faults, stats, seeds,
 * permissions, tokens, subscriptions, rooms — and people acting in Outlook (their actions go
 * through the same calendar code as Graph writes, so rooms answer and notifications go out).
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorClock } from '../clock';
import type { EmulatorContext } from '../context';
import {
  msalAuthOptions,
  openIdConfiguration,
  type MsalAuthOptions,
  type OpenIdConfiguration,
} from '../entra/metadata';
import type { UserTokenRequest } from '../entra/tokens';
import { GraphError } from '../errors';
import { occurrenceId } from '../exchange/calendar';
import { formatLocal, parseDateTimeTimeZone, toIanaZone } from '../exchange/time';
import { defaultFaults, emptyStats, mergeFaults, type Faults, type Stats } from '../faults';
import type { DeliveryRecord, LifecycleEvent } from '../notify/notifier';
import type { ApiApp, UserRecord } from '../model';
import { accessPolicyControl, type AccessPolicyControl } from './accessPolicies';
import { appSecretControl, type AppSecretControl } from './appSecrets';
import {
  buildRoom,
  namedSeed,
  SAMPLE_CLIENT_ID,
  SAMPLE_CLIENT_SECRET,
  type SeedData,
  type SeedName,
} from '../seed';

export type { SeedName } from '../seed';

const apiAppView = (api: ApiApp): ApiAppView => ({
  clientId: api.clientId,
  applicationIdUri: api.applicationIdUri,
  scope: api.scope,
  accessTokenVersion: api.accessTokenVersion,
  delegatedPermissions: [...api.delegatedPermissions],
});

export interface MeetingInput {
  subject: string;
  /** ISO instants (UTC, e.g. 2026-11-26T09:00:00Z) or Graph dateTimeTimeZone. */
  start: string | MSGraph.DateTimeTimeZone;
  end: string | MSGraph.DateTimeTimeZone;
  rooms?: string[];
  attendees?: string[];
  body?: string;
  /**
   * A series as Outlook makes it: pattern + range (`range.startDate` defaults to the start's local
   * date; `range.recurrenceTimeZone` optional). It expands in the meeting's time zone.
   */
  recurrence?: MSGraph.PatternedRecurrence;
  /**
   * The organizer's time zone (IANA or Windows name), as Outlook sends it: `start`/`end` strings
   * without an offset are wall-clock times there, and a series keeps its local time in it.
   */
  timeZone?: string;
  singleValueExtendedProperties?: MSGraph.SingleValueLegacyExtendedProperty[];
}

export type MeetingChange = Partial<Omit<MeetingInput, 'recurrence'>> & {
  recurrence?: MSGraph.PatternedRecurrence | null;
};

export interface PersonActions {
  readonly user: MSGraph.User;
  createMeeting(input: MeetingInput): MSGraph.Event;
  updateMeeting(eventId: string, change: MeetingChange): MSGraph.Event;
  moveMeeting(eventId: string, when: { start: string; end: string }): MSGraph.Event;
  changeRooms(eventId: string, rooms: string[]): MSGraph.Event;
  cancelMeeting(eventId: string): void;
  deleteMeeting(eventId: string): void;
  /** As an attendee (or a room's delegate): answer a meeting in this person's calendar. */
  respond(eventId: string, response: 'accepted' | 'declined' | 'tentativelyAccepted'): void;
  events(): MSGraph.Event[];
  /** A series' occurrences and exceptions overlapping [from, to) (ISO instants), as /instances lists them. */
  occurrences(seriesId: string, from: string, to: string): MSGraph.Event[];
  /**
   * What `/calendarView` lists for this mailbox: singles, occurrences and exceptions overlapping
   * [from, to) (ISO instants). Checkers compare a room's whole calendar with Hector through it.
   */
  calendarView(from: string, to: string): MSGraph.Event[];
  /** One occurrence of a series by its original start (ISO instant): move or cancel it by its id. */
  occurrence(seriesId: string, originalStart: string): MSGraph.Event;
}

/** PUT /_emulator/apps/{clientId} (the add-in API app): what an admin changes in its registration. */
export interface ApiAppChange {
  /** The manifest's api.requestedAccessTokenVersion: 1 (Entra's default, as null) or 2. */
  accessTokenVersion?: 1 | 2 | null;
  applicationIdUri?: string;
  /** Graph delegated permissions with admin consent (the OBO grant may ask for these only). */
  delegatedPermissions?: string[];
}

/** The add-in API app as the control API shows it (never its secret). */
export interface ApiAppView {
  clientId: string;
  applicationIdUri: string;
  scope: string;
  accessTokenVersion: 1 | 2;
  delegatedPermissions: string[];
}

export interface RoomChange {
  displayName?: string;
  tags?: string[];
  capacity?: number;
  bookingWindowInDays?: number;
  maximumDurationInMinutes?: number;
  /** Set-CalendarProcessing -ProcessExternalMeetingMessages (default false). */
  processExternalMeetingMessages?: boolean;
  /** Requests wait (tentative) for a delegate's accept or decline (RoomProcessing.requiresApproval). */
  requiresApproval?: boolean;
  /** Set-CalendarProcessing -AllowRecurringMeetings (default true): false declines every series. */
  allowRecurringMeetings?: boolean;
  /** Removes the room from the Places API and the room list (its mailbox stays). */
  remove?: boolean;
}

/** A new room mailbox (control.addRoom, POST /_emulator/rooms). */
export interface NewRoomInput {
  email: string;
  /** The room mailbox's UPN when it is not its e-mail address (an alias-domain room). */
  userPrincipalName?: string;
  displayName: string;
  /** Building name; the room joins the room list of that name when there is one. */
  building?: string;
  floorNumber?: number;
  capacity?: number;
  tags?: string[];
  bookingWindowInDays?: number;
  maximumDurationInMinutes?: number;
  processExternalMeetingMessages?: boolean;
  /** Room list e-mail (overrides the building's list); '' = no list. */
  roomList?: string;
}

export interface StateSnapshot {
  tenant: { id: string; primaryDomain: string };
  users: Array<
    Pick<MSGraph.User, 'id' | 'displayName' | 'userPrincipalName' | 'mail' | 'accountEnabled'> & {
      purpose: string;
    }
  >;
  rooms: Array<
    MSGraph.Room & {
      bookingWindowInDays: number;
      maximumDurationInMinutes: number;
      processExternalMeetingMessages: boolean;
      requiresApproval: boolean;
    }
  >;
  events: Record<string, MSGraph.Event[]>;
  /** `immutableIds`: whether the subscription was made with `Prefer: IdType="ImmutableId"`. */
  subscriptions: Array<Omit<MSGraph.Subscription, 'clientState'> & { immutableIds: boolean }>;
}

export interface EmulatorControl extends AccessPolicyControl, AppSecretControl {
  readonly clock: EmulatorClock;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiClientId: string;
  /** Reloads a named tenant; without a name, the tenant the emulator started with. */
  reset(seed?: SeedName): void;
  faults(): Faults;
  setFaults(patch: Partial<Faults>): Faults;
  resetFaults(): Faults;
  stats(): Stats;
  resetStats(): void;
  deliveries(): DeliveryRecord[];
  setPermissions(clientId: string, permissions: string[]): void;
  /** The add-in API app's manifest: token version, Application ID URI, consented Graph scopes. */
  apiApp(): ApiAppView;
  configureApiApp(clientId: string, change: ApiAppChange): ApiAppView;
  issueUserToken(req: UserTokenRequest): Promise<string>;
  subscriptions(): MSGraph.Subscription[];
  sendLifecycle(subscriptionId: string, event: LifecycleEvent): Promise<DeliveryRecord | null>;
  expireSubscription(subscriptionId: string): boolean;
  /** Makes every delta link issued so far stale (410 syncStateNotFound). */
  expireDeltaTokens(): void;
  flushNotifications(): Promise<void>;
  person(upn: string): PersonActions;
  eventsOf(upnOrEmail: string): MSGraph.Event[];
  /**
   * The immutable id of an item of that mailbox, given either of its ids: what Graph returns to a
   * request with `Prefer: IdType="ImmutableId"` (control and eventsOf show regular ids).
   */
  immutableIdOf(upnOrEmail: string, eventId: string): string;
  findEventsByICalUId(iCalUId: string): Array<{ mailbox: string; event: MSGraph.Event }>;
  updateRoom(email: string, change: RoomChange): MSGraph.Room | null;
  /** Adds a room mailbox (Places, /users with userPurpose room, subscribable, bookable) until the next reset. */
  addRoom(input: NewRoomInput): MSGraph.Room;
  state(): StateSnapshot;
  openIdConfiguration(): OpenIdConfiguration;
  msalAuthOptions(): MsalAuthOptions;
}

export interface ControlDeps {
  ctx: EmulatorContext;
  authorityUrl: () => string;
  setFaults: (f: Faults) => void;
  bumpDeltaGeneration: () => void;
  /** What `reset()` without a name reloads: the tenant given to startEmulator. */
  startingSeed: SeedData;
}

export function createControl(deps: ControlDeps): EmulatorControl {
  const { ctx } = deps;
  const { state, calendar, notifier } = ctx;

  const userOf = (upn: string): UserRecord => {
    const u = state.resolveUser(upn) ?? state.resolveExternal(upn);
    if (!u) throw new GraphError(404, 'ErrorInvalidUser', `No user or external person '${upn}'.`);
    return u;
  };

  const attendee = (address: string, type: MSGraph.AttendeeType): MSGraph.Attendee => {
    const u = state.resolveUser(address);
    const ext = state.externals.find((e) => e.address?.toLowerCase() === address.toLowerCase());
    return { type, emailAddress: { address, name: u?.user.displayName ?? ext?.name ?? address } };
  };

  const invalid = (message: string): GraphError => new GraphError(400, 'ErrorInvalidRequest', message);

  /** A time as Outlook sends it: UTC, or the wall clock in the organizer's zone when one is given. */
  const when = (v: string | MSGraph.DateTimeTimeZone, zone?: string): MSGraph.DateTimeTimeZone => {
    if (typeof v !== 'string') return v;
    if (!zone) return { dateTime: v.replace(/Z$/, ''), timeZone: 'UTC' };
    try {
      toIanaZone(zone);
      const ms = /[zZ]|[+-]\d\d:\d\d$/.test(v)
        ? parseDateTimeTimeZone(v)
        : parseDateTimeTimeZone({ dateTime: v, timeZone: zone });
      return { dateTime: formatLocal(ms, zone), timeZone: zone };
    } catch (err) {
      throw invalid((err as Error).message);
    }
  };

  /** Outlook always fills the range's start date: the first day, in the series' zone. */
  const withStartDate = (
    r: MSGraph.PatternedRecurrence | null | undefined,
    start: MSGraph.DateTimeTimeZone,
  ): MSGraph.PatternedRecurrence | null => {
    if (!r) return null;
    if (typeof r !== 'object') throw invalid('recurrence must be an object.');
    if (r.range?.startDate) return r;
    try {
      const zone = toIanaZone(r.range?.recurrenceTimeZone || start.timeZone);
      const startDate = formatLocal(parseDateTimeTimeZone(start), zone).slice(0, 10);
      return { ...r, range: { type: 'noEnd', ...(r.range ?? {}), startDate } };
    } catch (err) {
      throw invalid((err as Error).message);
    }
  };

  const attendeesOf = (rooms: string[] = [], people: string[] = []): MSGraph.Attendee[] => [
    ...people.map((p) => attendee(p, 'required')),
    ...rooms.map((r) => attendee(r, 'resource')),
  ];

  const person = (upn: string): PersonActions => {
    const u = userOf(upn);
    const id = u.user.id!;
    const update = (eventId: string, change: MeetingChange): MSGraph.Event => {
      const patch: MSGraph.Event = {};
      if (change.subject !== undefined) patch.subject = change.subject;
      if (change.body !== undefined) patch.body = { contentType: 'html', content: change.body };
      if (change.start !== undefined) patch.start = when(change.start, change.timeZone);
      if (change.end !== undefined) patch.end = when(change.end, change.timeZone);
      if (change.recurrence !== undefined)
        patch.recurrence = withStartDate(change.recurrence, patch.start ?? calendar.get(id, eventId).start!);
      if (change.rooms !== undefined || change.attendees !== undefined) {
        const current = calendar.get(id, eventId).attendees ?? [];
        const isRoom = (a: MSGraph.Attendee): boolean =>
          !!state.roomByAddress(a.emailAddress?.address ?? '') || a.type === 'resource';
        const people =
          change.attendees ?? current.filter((a) => !isRoom(a)).map((a) => a.emailAddress!.address!);
        const rooms = change.rooms ?? current.filter(isRoom).map((a) => a.emailAddress!.address!);
        patch.attendees = attendeesOf(rooms, people);
      }
      return calendar.update(id, eventId, patch);
    };
    return {
      user: u.user,
      createMeeting: (input) => {
        if (!input || typeof input !== 'object') throw invalid('A meeting needs a body.');
        const start = when(input.start, input.timeZone);
        return calendar.create(id, {
          subject: input.subject,
          body: { contentType: 'html', content: input.body ?? '' },
          start,
          end: when(input.end, input.timeZone),
          attendees: attendeesOf(input.rooms, input.attendees),
          location: {
            displayName: (input.rooms ?? [])
              .map((r) => state.resolveUser(r)?.user.displayName ?? r)
              .join('; '),
          },
          recurrence: withStartDate(input.recurrence, start),
          singleValueExtendedProperties: input.singleValueExtendedProperties,
        }).stored.event;
      },
      updateMeeting: update,
      moveMeeting: (eventId, w) => update(eventId, { start: w.start, end: w.end }),
      changeRooms: (eventId, rooms) => update(eventId, { rooms }),
      cancelMeeting: (eventId) => calendar.cancel(id, eventId),
      deleteMeeting: (eventId) => calendar.delete(id, eventId),
      respond: (eventId, response) => calendar.respond(id, eventId, response),
      events: () => calendar.list(id).map((s) => structuredClone(s.event)),
      occurrences(seriesId, from, to) {
        const [fromMs, toMs] = [Date.parse(from), Date.parse(to)];
        if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw invalid('from and to must be ISO instants.');
        return calendar.instances(id, seriesId, fromMs, toMs).map((e) => structuredClone(e));
      },
      calendarView(from, to) {
        const [fromMs, toMs] = [Date.parse(from), Date.parse(to)];
        if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw invalid('from and to must be ISO instants.');
        return calendar.calendarView(id, fromMs, toMs).map((e) => structuredClone(e));
      },
      occurrence(seriesId, originalStart) {
        const ms = Date.parse(originalStart);
        if (Number.isNaN(ms)) throw invalid('originalStart must be an ISO instant.');
        const master = calendar.stored(id, seriesId);
        return structuredClone(calendar.get(id, occurrenceId(master.event.id!, ms)));
      },
    };
  };

  return {
    clock: ctx.clock,
    get tenantId() {
      return state.tenant.id;
    },
    // The first app of the seed: the sample one unless startEmulator was given a tenant of its own.
    get clientId() {
      return state.apps.values().next().value?.clientId ?? SAMPLE_CLIENT_ID;
    },
    get clientSecret() {
      return state.apps.values().next().value?.clientSecret ?? SAMPLE_CLIENT_SECRET;
    },
    get apiClientId() {
      return state.apiApp.clientId;
    },
    reset(seed?: SeedName) {
      state.load(seed ? namedSeed(seed) : deps.startingSeed);
    },
    faults: () => structuredClone(ctx.faults()),
    setFaults(patch) {
      const next = mergeFaults(ctx.faults(), patch);
      deps.setFaults(next);
      return structuredClone(next);
    },
    resetFaults() {
      deps.setFaults(defaultFaults());
      return defaultFaults();
    },
    stats: () => structuredClone(ctx.stats),
    resetStats() {
      Object.assign(ctx.stats, emptyStats());
      notifier.deliveries.length = 0;
    },
    deliveries: () => structuredClone(notifier.deliveries),
    setPermissions(clientId, permissions) {
      const app = state.apps.get(clientId);
      if (!app) throw new GraphError(404, 'NotFound', `No app '${clientId}'.`);
      app.permissions = [...permissions];
    },
    apiApp: () => apiAppView(state.apiApp),
    configureApiApp(clientId, change) {
      const api = state.apiApp;
      if (clientId.toLowerCase() !== api.clientId.toLowerCase())
        throw new GraphError(404, 'NotFound', `No add-in API app '${clientId}' (it is '${api.clientId}').`);
      const c = (change ?? {}) as Record<string, unknown>;
      const version = c.accessTokenVersion;
      if (version !== undefined && version !== null && version !== 1 && version !== 2)
        throw new GraphError(400, 'ErrorInvalidRequest', 'accessTokenVersion must be 1, 2 or null.');
      const uri = c.applicationIdUri;
      if (uri !== undefined && (typeof uri !== 'string' || !/^(api|https):\/\/\S+$/.test(uri)))
        throw new GraphError(
          400,
          'ErrorInvalidRequest',
          'applicationIdUri must be an api:// or https:// URI.',
        );
      const scopes = c.delegatedPermissions;
      if (
        scopes !== undefined &&
        (!Array.isArray(scopes) || !scopes.every((p) => typeof p === 'string' && /^[\w.]+$/.test(p)))
      )
        throw new GraphError(
          400,
          'ErrorInvalidRequest',
          'delegatedPermissions must be a list of permission names.',
        );
      if (version !== undefined) api.accessTokenVersion = version ?? 1;
      if (uri !== undefined) api.applicationIdUri = uri as string;
      if (scopes !== undefined) api.delegatedPermissions = [...(scopes as string[])];
      return apiAppView(api);
    },
    issueUserToken: (req) => ctx.tokens.userToken(req),
    subscriptions() {
      notifier.purgeExpired();
      return [...state.subscriptions.values()].map((s) => structuredClone(s.subscription));
    },
    sendLifecycle: (subscriptionId, event) => notifier.sendLifecycle(subscriptionId, event),
    expireSubscription: (subscriptionId) => state.subscriptions.delete(subscriptionId),
    expireDeltaTokens: deps.bumpDeltaGeneration,
    async flushNotifications() {
      await calendar.settle();
      await notifier.flush();
    },
    person,
    eventsOf: (upnOrEmail) => person(upnOrEmail).events(),
    immutableIdOf(upnOrEmail, eventId) {
      const mailboxId = userOf(upnOrEmail).user.id!;
      return state.toImmutableId(mailboxId, state.toRegularId(mailboxId, eventId));
    },
    findEventsByICalUId: (iCalUId) =>
      state.findByICalUId(iCalUId).map((s) => ({
        mailbox: state.mailboxOwner(s.mailboxId)?.user.userPrincipalName ?? s.mailboxId,
        event: structuredClone(s.event),
      })),
    updateRoom(email, change) {
      const room = state.roomByAddress(email);
      if (!room) throw new GraphError(404, 'ErrorItemNotFound', `No room '${email}'.`);
      if (change.requiresApproval !== undefined && typeof change.requiresApproval !== 'boolean')
        throw new GraphError(400, 'ErrorInvalidRequest', 'requiresApproval must be true or false.');
      if (change.allowRecurringMeetings !== undefined && typeof change.allowRecurringMeetings !== 'boolean')
        throw new GraphError(400, 'ErrorInvalidRequest', 'allowRecurringMeetings must be true or false.');
      if (change.remove) {
        state.rooms.delete(room.userId);
        return null;
      }
      if (change.displayName !== undefined) {
        room.place.displayName = change.displayName;
        const u = state.users.get(room.userId);
        if (u) u.user.displayName = change.displayName;
      }
      if (change.tags !== undefined) room.place.tags = [...change.tags];
      if (change.capacity !== undefined) room.place.capacity = change.capacity;
      if (change.bookingWindowInDays !== undefined)
        room.processing.bookingWindowInDays = change.bookingWindowInDays;
      if (change.maximumDurationInMinutes !== undefined)
        room.processing.maximumDurationInMinutes = change.maximumDurationInMinutes;
      if (change.processExternalMeetingMessages !== undefined)
        room.processing.processExternalMeetingMessages = change.processExternalMeetingMessages;
      if (change.requiresApproval !== undefined) room.processing.requiresApproval = change.requiresApproval;
      if (change.allowRecurringMeetings !== undefined)
        room.processing.allowRecurringMeetings = change.allowRecurringMeetings;
      return structuredClone(room.place);
    },
    addRoom(input) {
      const email = String(input?.email ?? '').trim();
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        throw new GraphError(400, 'ErrorInvalidRequest', 'A room needs an e-mail address.');
      if (!input.displayName) throw new GraphError(400, 'ErrorInvalidRequest', 'A room needs a displayName.');
      const upn = input.userPrincipalName === undefined ? email : String(input.userPrincipalName).trim();
      if (!/^[^@\s]+@[^@\s]+$/.test(upn))
        throw new GraphError(400, 'ErrorInvalidRequest', 'userPrincipalName must look like name@domain.');
      for (const address of new Set([email, upn]))
        if (state.resolveUser(address))
          throw new GraphError(409, 'ErrorAlreadyExists', `'${address}' already exists in the tenant.`);
      const list =
        input.roomList !== undefined
          ? state.roomLists.find((l) => l.emailAddress?.toLowerCase() === input.roomList!.toLowerCase())
          : state.roomLists.find((l) => !!input.building && l.displayName === input.building);
      if (input.roomList && !list)
        throw new GraphError(404, 'ErrorItemNotFound', `No room list '${input.roomList}'.`);
      const { record, user } = buildRoom({
        email,
        userPrincipalName: upn,
        displayName: input.displayName,
        building: input.building ?? null,
        floorNumber: input.floorNumber ?? null,
        capacity: input.capacity ?? null,
        address: list?.address ?? null,
        tags: input.tags,
        bookingWindowInDays: input.bookingWindowInDays,
        maximumDurationInMinutes: input.maximumDurationInMinutes,
        processExternalMeetingMessages: input.processExternalMeetingMessages,
        roomListEmail: list?.emailAddress ?? '',
      });
      state.addUser(user);
      state.rooms.set(record.userId, record);
      return structuredClone(record.place);
    },
    state(): StateSnapshot {
      notifier.purgeExpired();
      const events: Record<string, MSGraph.Event[]> = {};
      for (const [id, m] of state.mailboxes) {
        if (!m.events.size) continue;
        const key = state.mailboxOwner(id)?.user.userPrincipalName ?? id;
        events[key] = calendar.list(id).map((s) => structuredClone(s.event));
      }
      return {
        tenant: { id: state.tenant.id, primaryDomain: state.tenant.primaryDomain },
        users: [...state.users.values()].map((u) => ({
          id: u.user.id,
          displayName: u.user.displayName,
          userPrincipalName: u.user.userPrincipalName,
          mail: u.user.mail,
          accountEnabled: u.user.accountEnabled,
          purpose: u.purpose,
        })),
        rooms: [...state.rooms.values()].map((r) => ({
          ...structuredClone(r.place),
          bookingWindowInDays: r.processing.bookingWindowInDays,
          maximumDurationInMinutes: r.processing.maximumDurationInMinutes,
          processExternalMeetingMessages: r.processing.processExternalMeetingMessages,
          requiresApproval: r.processing.requiresApproval === true,
        })),
        events,
        subscriptions: [...state.subscriptions.values()].map((s) => {
          const { clientState: _secret, ...rest } = s.subscription;
          return { ...rest, immutableIds: s.immutableIds };
        }),
      };
    },
    openIdConfiguration: () => openIdConfiguration(deps.authorityUrl(), state.tenant.id),
    msalAuthOptions: () => msalAuthOptions(deps.authorityUrl(), state.tenant.id),
    // Application access policies (issue 13): emulator/control/accessPolicies.ts.
    ...accessPolicyControl(state),
    // The service apps' client secrets and their expiry (issue 15): emulator/control/appSecrets.ts.
    ...appSecretControl(state),
  };
}
