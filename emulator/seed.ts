/**
 * The sample tenant: a French-speaking university with two buildings. Credentials are FIXED and
 * documented in emulator/README.md, so the service, the demo and tests can be configured blindly.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { stableGuid } from './ids';
import type { ApiApp, AppRegistration, RoomRecord, TenantRecord, UserRecord } from './model';

export const SAMPLE_TENANT_ID = '22222222-2222-4222-8222-222222222222';
export const SAMPLE_DOMAIN = 'universite.test';
/**
 * The tenant's initial domain: some people's (and a room's) UPN is there while their mail is in
 * SAMPLE_DOMAIN, as in tenants with an alias domain (`/users/{mail}` does not find them, docs#3979).
 */
export const SAMPLE_INITIAL_DOMAIN = 'univ-test.onmicrosoft.com';
export const SAMPLE_CLIENT_ID = '11111111-1111-4111-8111-111111111111';
export const SAMPLE_CLIENT_SECRET = 'emulator-secret';
export const SAMPLE_PERMISSIONS = [
  'Calendars.Read',
  'Calendars.ReadBasic.All',
  'Calendars.ReadWrite',
  'MailboxSettings.Read',
  'Place.Read.All',
  'User.Read.All',
];
export const SAMPLE_API_CLIENT_ID = '33333333-3333-4333-8333-333333333333';
export const SAMPLE_API_CLIENT_SECRET = 'emulator-addin-secret';
export const SAMPLE_API_APP: ApiApp = {
  clientId: SAMPLE_API_CLIENT_ID,
  applicationIdUri: `api://localhost/${SAMPLE_API_CLIENT_ID}`,
  scope: 'access_as_user',
  // Entra ID's default: the manifest leaves requestedAccessTokenVersion null → v1.0 tokens.
  accessTokenVersion: 1,
  clientSecret: SAMPLE_API_CLIENT_SECRET,
  delegatedPermissions: ['Calendars.Read'],
};

export interface SeedData {
  tenant: TenantRecord;
  apps: AppRegistration[];
  apiApp: ApiApp;
  users: UserRecord[];
  rooms: RoomRecord[];
  roomLists: MSGraph.RoomList[];
  /** People outside the tenant: usable as attendees, they have no mailbox here. */
  externals: MSGraph.EmailAddress[];
}

const PEOPLE: Array<[string, string, string?, boolean?]> = [
  ['Camille', 'Martin', 'Gestionnaire des salles'],
  ['Léa', 'Dubois', 'Maîtresse de conférences'],
  ['Hugo', 'Bernard', 'Professeur'],
  ['Chloé', 'Thomas', 'Doctorante'],
  ['Lucas', 'Petit', 'Ingénieur de recherche'],
  ['Manon', 'Robert', 'Secrétaire pédagogique'],
  ['Louis', 'Richard', 'Professeur'],
  ['Emma', 'Durand', 'Étudiante'],
  ['Gabriel', 'Leroy', 'Directeur de laboratoire'],
  ['Inès', 'Moreau', 'Chargée de communication'],
  ['Arthur', 'Simon', 'Technicien audiovisuel'],
  ['Jade', 'Laurent', 'Maîtresse de conférences'],
  ['Raphaël', 'Lefebvre', 'Doyen'],
  ['Louise', 'Michel', 'Bibliothécaire'],
  ['Jules', 'Garcia', 'Post-doctorant'],
  ['Alice', 'David', 'Responsable administrative'],
  ['Adam', 'Bertrand', 'Étudiant'],
  ['Lina', 'Roux', 'Professeure'],
  ['Nathan', 'Vincent', 'Informaticien'],
  ['Rose', 'Fournier', 'Chargée de mission'],
  ['Paul', 'Morel', 'Professeur émérite', false],
  ['Mila', 'Girard', 'Doctorante'],
  ['Tom', 'André', 'Étudiant'],
  ['Ambre', 'Lefèvre', 'Maîtresse de conférences'],
  ['Noah', 'Mercier', 'Agent d’accueil'],
  ['Julia', 'Dupont', 'Vice-présidente'],
  ['Théo', 'Lambert', 'Régisseur'],
  ['Anna', 'Bonnet', 'Gestionnaire financière'],
  ['Sacha', 'François', 'Étudiant'],
  ['Zoé', 'Martinez', 'Chercheuse'],
];

/** People whose mail (SAMPLE_DOMAIN) is not their UPN (SAMPLE_INITIAL_DOMAIN). */
const ALIAS_PEOPLE: Array<[string, string, string]> = [
  ['Yanis', 'Haddad', 'Chargé de travaux dirigés'],
  ['Nora', 'Benali', 'Responsable du planning'],
];

/** "Léa" → "lea": UPNs are ASCII. */
function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9-]/g, '')
    .toLowerCase();
}

function person(
  given: string,
  surname: string,
  jobTitle: string,
  enabled: boolean,
  upnDomain = SAMPLE_DOMAIN,
): UserRecord {
  const local = `${ascii(given)}.${ascii(surname)}`;
  const upn = `${local}@${upnDomain}`;
  const mail = `${local}@${SAMPLE_DOMAIN}`;
  return {
    purpose: 'user',
    user: {
      id: stableGuid(upn),
      displayName: `${given} ${surname}`,
      givenName: given,
      surname,
      mail,
      userPrincipalName: upn,
      // Primary SMTP address in capitals, secondary ones in lower case (Exchange's convention).
      proxyAddresses: mail === upn ? [`SMTP:${mail}`] : [`SMTP:${mail}`, `smtp:${upn}`],
      jobTitle,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'fr-FR',
      businessPhones: [],
      accountEnabled: enabled,
    },
  };
}

interface RoomSpec {
  building: 'A' | 'B';
  number: string;
  capacity: number;
  floor: number;
  tags?: string[];
  bookingWindowInDays?: number;
  maximumDurationInMinutes?: number;
}

const ROOMS: RoomSpec[] = [
  { building: 'A', number: '001', capacity: 120, floor: 0 },
  { building: 'A', number: '101', capacity: 30, floor: 1 },
  { building: 'A', number: '102', capacity: 30, floor: 1 },
  { building: 'A', number: '103', capacity: 12, floor: 1, maximumDurationInMinutes: 240 },
  { building: 'A', number: '201', capacity: 40, floor: 2 },
  { building: 'A', number: '202', capacity: 8, floor: 2, bookingWindowInDays: 30 },
  { building: 'B', number: '001', capacity: 200, floor: 0 },
  { building: 'B', number: '101', capacity: 24, floor: 1 },
  { building: 'B', number: '102', capacity: 24, floor: 1 },
  { building: 'B', number: '103', capacity: 6, floor: 1, tags: ['non-hector'] },
  { building: 'B', number: '201', capacity: 16, floor: 2 },
  { building: 'B', number: '202', capacity: 50, floor: 2 },
];

const BUILDINGS: Record<'A' | 'B', { name: string; street: string }> = {
  A: { name: 'Bâtiment A', street: '12 rue des Écoles' },
  B: { name: 'Bâtiment B', street: '5 place de la Sorbonne' },
};

function roomListEmail(building: 'A' | 'B'): string {
  return `batiment-${building.toLowerCase()}@${SAMPLE_DOMAIN}`;
}

function address(building: 'A' | 'B'): MSGraph.PhysicalAddress {
  return {
    street: BUILDINGS[building].street,
    city: 'Paris',
    state: 'Île-de-France',
    postalCode: '75005',
    countryOrRegion: 'France',
  };
}

/** A room mailbox as Exchange Online and the Places API show it (see control.addRoom). */
export interface NewRoom {
  email: string;
  /** Defaults to the e-mail address; another one makes a room that `/users/{email}` does not find. */
  userPrincipalName?: string;
  displayName: string;
  building?: string | null;
  floorNumber?: number | null;
  capacity?: number | null;
  address?: MSGraph.PhysicalAddress | null;
  tags?: string[];
  bookingWindowInDays?: number;
  maximumDurationInMinutes?: number;
  processExternalMeetingMessages?: boolean;
  /** Room list (e-mail) the room belongs to; '' = none. */
  roomListEmail?: string;
}

/** The directory user and the room record of one room mailbox, with Set-CalendarProcessing defaults. */
export function buildRoom(input: NewRoom): { record: RoomRecord; user: UserRecord } {
  const email = input.email;
  const upn = input.userPrincipalName ?? email;
  const userId = stableGuid(upn.toLowerCase());
  const floor = input.floorNumber ?? null;
  return {
    user: {
      purpose: 'room',
      user: {
        id: userId,
        displayName: input.displayName,
        mail: email,
        userPrincipalName: upn,
        proxyAddresses: upn === email ? [`SMTP:${email}`] : [`SMTP:${email}`, `smtp:${upn}`],
        givenName: null,
        surname: null,
        jobTitle: null,
        mobilePhone: null,
        officeLocation: input.building ?? null,
        preferredLanguage: 'fr-FR',
        businessPhones: [],
        // Room mailboxes are disabled accounts in Exchange Online.
        accountEnabled: false,
      },
    },
    record: {
      userId,
      roomListEmail: input.roomListEmail ?? '',
      processing: {
        bookingWindowInDays: input.bookingWindowInDays ?? 180,
        maximumDurationInMinutes: input.maximumDurationInMinutes ?? 1440,
        allowConflicts: false,
        processExternalMeetingMessages: input.processExternalMeetingMessages ?? false,
      },
      place: {
        id: stableGuid(`place:${email.toLowerCase()}`),
        displayName: input.displayName,
        emailAddress: email,
        nickname: input.displayName,
        address: input.address ?? null,
        building: input.building ?? null,
        floorNumber: floor,
        floorLabel: floor === null ? null : floor === 0 ? 'Rez-de-chaussée' : `Étage ${floor}`,
        capacity: input.capacity ?? null,
        tags: input.tags ? [...input.tags] : [],
        bookingType: 'standard',
        isWheelChairAccessible: floor === 0,
        label: null,
        phone: null,
        audioDeviceName: null,
        videoDeviceName: null,
        displayDeviceName: null,
        geoCoordinates: null,
      },
    },
  };
}

function room(spec: RoomSpec): { record: RoomRecord; user: UserRecord } {
  return buildRoom({
    email: `salle-${spec.building.toLowerCase()}${spec.number}@${SAMPLE_DOMAIN}`,
    displayName: `Salle ${spec.building}-${spec.number}`,
    building: BUILDINGS[spec.building].name,
    floorNumber: spec.floor,
    capacity: spec.capacity,
    address: address(spec.building),
    tags: spec.tags,
    bookingWindowInDays: spec.bookingWindowInDays,
    maximumDurationInMinutes: spec.maximumDurationInMinutes,
    roomListEmail: roomListEmail(spec.building),
  });
}

export function sampleSeed(): SeedData {
  const users = [
    ...PEOPLE.map(([g, s, job, enabled]) => person(g, s, job ?? '', enabled ?? true)),
    ...ALIAS_PEOPLE.map(([g, s, job]) => person(g, s, job, true, SAMPLE_INITIAL_DOMAIN)),
  ];
  const rooms = ROOMS.map(room);
  const roomLists: MSGraph.RoomList[] = (['A', 'B'] as const).map((b) => ({
    id: stableGuid(`roomlist:${b}`),
    displayName: BUILDINGS[b].name,
    emailAddress: roomListEmail(b),
    address: address(b),
    phone: null,
    geoCoordinates: null,
  }));
  return {
    tenant: { id: SAMPLE_TENANT_ID, primaryDomain: SAMPLE_DOMAIN, displayName: 'Université Test' },
    apps: [
      {
        clientId: SAMPLE_CLIENT_ID,
        clientSecret: SAMPLE_CLIENT_SECRET,
        displayName: 'Hector Outlook',
        permissions: [...SAMPLE_PERMISSIONS],
      },
    ],
    apiApp: { ...SAMPLE_API_APP, delegatedPermissions: [...SAMPLE_API_APP.delegatedPermissions] },
    users: [...users, ...rooms.map((r) => r.user)],
    rooms: rooms.map((r) => r.record),
    roomLists,
    externals: [
      { name: 'Sophie Rousseau', address: 'sophie.rousseau@partenaire.example' },
      { name: 'Marc Blanc', address: 'marc.blanc@partenaire.example' },
    ],
  };
}

/** An empty tenant: same tenant and apps, no people, no rooms. */
export function emptySeed(): SeedData {
  const s = sampleSeed();
  return { ...s, users: [], rooms: [], roomLists: [], externals: [] };
}

/** The named tenants: `sample` (people, rooms, room lists) and `empty` (same tenant and apps, no content). */
export type SeedName = 'sample' | 'empty';
export const SEED_NAMES: readonly SeedName[] = ['sample', 'empty'];

export function isSeedName(value: unknown): value is SeedName {
  return SEED_NAMES.includes(value as SeedName);
}

export function namedSeed(name: SeedName): SeedData {
  return name === 'empty' ? emptySeed() : sampleSeed();
}
