import type { HarnessConfig, HarnessItem, HarnessToken } from '../../contract/harness';
import type { HarnessHooks } from '../host';

/**
 * The harness plays Outlook for the real task pane (browser tests, bench, demo): a shim of the
 * slice of Office.js the pane uses, whose mailbox item is a REAL event of the Graph emulator (the
 * server embeds it in the page), and a user token from the emulator through
 * `window.__hectorHarness.getToken`. It runs before the task-pane bundle, which loads unchanged.
 * Served only in test mode (server/testMode/harness.ts). No import of the pane: it must not change it.
 */

/** What the harness adds to the pane's hooks (tests drive "the user opens another event" with it). */
export interface HarnessControl extends HarnessHooks {
  /**
   * The user opens another event (REST id), or none. Outlook does not pin task panes on
   * appointments and fires no ItemChanged for them: it closes the pane and loads it afresh on the
   * next item. So the harness checks the item exists, then reloads the page on it.
   */
  selectItem(restId: string | null): Promise<void>;
  /** Requests the pane made to our token URL (to check caching in tests). */
  tokenRequests: number;
}

interface AsyncResult<T> {
  status: 'succeeded' | 'failed';
  value: T;
  error?: { name: string; message: string; code: number };
  asyncContext?: unknown;
}
type Callback<T> = (result: AsyncResult<T>) => void;

const Enums = {
  EventType: { ItemChanged: 'olkItemSelectedChanged', OfficeThemeChanged: 'officeThemeChanged' },
  MailboxEnums: {
    ItemType: { Message: 'message', Appointment: 'appointment' },
    RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
    LocationType: { Custom: 'custom', Room: 'room' },
  },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
} as const;

/** Outlook's item ids are EWS ids ('/' and '+'); REST ids use '-' and '_' (convertToRestId). */
export const toEwsId = (restId: string): string => restId.replace(/-/g, '/').replace(/_/g, '+');
export const toRestId = (ewsId: string): string => ewsId.replace(/\//g, '-').replace(/\+/g, '_');

const succeeded = <T>(value: T, asyncContext?: unknown): AsyncResult<T> => ({
  status: 'succeeded',
  value,
  asyncContext,
});

/** Office's (options?, callback?) argument pairs. */
function callbackOf<T>(a?: unknown, b?: unknown): { callback?: Callback<T>; context?: unknown } {
  if (typeof a === 'function') return { callback: a as Callback<T> };
  const context = (a as { asyncContext?: unknown } | undefined)?.asyncContext;
  return { callback: typeof b === 'function' ? (b as Callback<T>) : undefined, context };
}

function readItem(item: HarnessItem) {
  return {
    itemType: Enums.MailboxEnums.ItemType.Appointment,
    itemId: toEwsId(item.restId),
    subject: item.subject,
    start: new Date(item.start),
    end: new Date(item.end),
    location: item.location,
    organizer: item.organizer,
    requiredAttendees: item.requiredAttendees,
    optionalAttendees: [],
  };
}

function composeItem(saved: HarnessItem | null, draft: HarnessConfig['draft']) {
  // A new meeting being typed (B8): its dates and rooms so far, no id yet.
  const item =
    saved ??
    (draft
      ? {
          restId: '',
          subject: '',
          start: draft.start,
          end: draft.end,
          location: '',
          organizer: { displayName: '', emailAddress: '' },
          requiredAttendees: [],
          rooms: draft.rooms.map((r) => ({ displayName: r, emailAddress: r })),
        }
      : null);
  const getter =
    <T>(value: T) =>
    (a?: unknown, b?: unknown) => {
      const { callback, context } = callbackOf<T>(a, b);
      setTimeout(() => callback?.(succeeded(value, context)), 0);
    };
  return {
    itemType: Enums.MailboxEnums.ItemType.Appointment,
    subject: { getAsync: getter(item?.subject ?? '') },
    start: { getAsync: getter(item ? new Date(item.start) : new Date()) },
    end: { getAsync: getter(item ? new Date(item.end) : new Date()) },
    location: { getAsync: getter(item?.location ?? '') },
    // Mailbox 1.8: the rooms as locations (LocationDetails); addAsync adds one as Outlook does.
    enhancedLocation: (() => {
      const rooms = (item?.rooms ?? []).map((r) => ({ ...r }));
      const details = () =>
        rooms.map((r) => ({
          displayName: r.displayName,
          emailAddress: r.emailAddress,
          locationIdentifier: { id: r.emailAddress, type: Enums.MailboxEnums.LocationType.Room },
        }));
      return {
        getAsync(a?: unknown, b?: unknown) {
          const { callback, context } = callbackOf<ReturnType<typeof details>>(a, b);
          setTimeout(() => callback?.(succeeded(details(), context)), 0);
        },
        addAsync(locations: Array<{ id: string; type: string }>, a?: unknown, b?: unknown) {
          const { callback, context } = callbackOf<undefined>(a, b);
          for (const l of locations) {
            if (
              l.type === Enums.MailboxEnums.LocationType.Room &&
              !rooms.some((r) => r.emailAddress === l.id)
            ) {
              rooms.push({ displayName: l.id, emailAddress: l.id });
            }
          }
          setTimeout(() => callback?.(succeeded(undefined, context)), 0);
        },
      };
    })(),
    // Mailbox 1.8: the id of a saved item; ItemNotSaved (9033) before the first save.
    getItemIdAsync(a?: unknown, b?: unknown) {
      const { callback, context } = callbackOf<string>(a, b);
      const result: AsyncResult<string> = saved
        ? succeeded(toEwsId(saved.restId), context)
        : {
            status: 'failed',
            value: '',
            asyncContext: context,
            error: { name: 'ItemNotSaved', message: 'The item has not been saved.', code: 9033 },
          };
      setTimeout(() => callback?.(result), 0);
    },
  };
}

function install(config: HarnessConfig): void {
  const handlers = new Map<string, (args: unknown) => void>();
  const itemFor = (item: HarnessItem | null) =>
    config.mode === 'compose' ? composeItem(item, config.draft) : item ? readItem(item) : null;

  const mailbox = {
    item: itemFor(config.item) as unknown,
    userProfile: { emailAddress: config.user, displayName: config.user, timeZone: 'Europe/Paris' },
    diagnostics: { hostName: 'OutlookWebApp', hostVersion: 'harness' },
    convertToRestId: (id: string) => toRestId(id),
    convertToEwsId: (id: string) => toEwsId(id),
    addHandlerAsync(eventType: string, handler: (args: unknown) => void, a?: unknown, b?: unknown) {
      handlers.set(eventType, handler);
      const { callback, context } = callbackOf<undefined>(a, b);
      setTimeout(() => callback?.(succeeded(undefined, context)), 0);
    },
    removeHandlerAsync(eventType: string, a?: unknown, b?: unknown) {
      handlers.delete(eventType);
      const { callback, context } = callbackOf<undefined>(a, b);
      setTimeout(() => callback?.(succeeded(undefined, context)), 0);
    },
  };

  const dark = config.theme === 'dark';
  const office = {
    ...Enums,
    context: {
      mailbox,
      displayLanguage: config.displayLanguage,
      contentLanguage: config.displayLanguage,
      officeTheme: {
        bodyBackgroundColor: dark ? '#1f1f1f' : '#ffffff',
        bodyForegroundColor: dark ? '#ffffff' : '#000000',
        controlBackgroundColor: dark ? '#292929' : '#ffffff',
        controlForegroundColor: dark ? '#ffffff' : '#000000',
      },
      requirements: {
        // Outlook on the web today: Mailbox up to 1.14; no nested app authentication here (the
        // harness hands tokens over itself).
        isSetSupported: (name: string, version?: string) =>
          name.toLowerCase() === 'mailbox' && Number(version ?? '1.1') <= 1.14,
      },
    },
    auth: {
      getAccessToken: () =>
        Promise.reject(Object.assign(new Error('No Office SSO in the harness'), { code: 13000 })),
    },
    onReady(callback?: (info: { host: string; platform: string }) => void) {
      const info = { host: 'Outlook', platform: 'OfficeOnline' };
      if (callback) setTimeout(() => callback(info), 0);
      return Promise.resolve(info);
    },
  };

  let cached: { token: string; until: number } | undefined;
  const control: HarnessControl = {
    tokenRequests: 0,
    async getToken() {
      if (cached && Date.now() < cached.until) return cached.token;
      control.tokenRequests++;
      const res = await fetch(config.tokenUrl, { cache: 'no-store' });
      if (!res.ok) throw new Error(`harness token: HTTP ${res.status}`);
      const body = (await res.json()) as HarnessToken;
      cached = { token: body.access_token, until: Date.now() + ((body.expires_in ?? 3600) - 60) * 1000 };
      return body.access_token;
    },
    async selectItem(restId) {
      const next = new URL(window.location.href);
      if (restId) {
        const res = await fetch(`${config.itemUrl}&event=${encodeURIComponent(restId)}`, {
          cache: 'no-store',
        });
        if (!res.ok) throw new Error(`harness item: HTTP ${res.status}`);
        next.searchParams.set('event', restId);
      } else {
        next.searchParams.delete('event');
      }
      window.location.assign(next.toString());
    },
  };

  const target = window as unknown as { Office: unknown; __hectorHarness: HarnessControl };
  target.Office = office;
  target.__hectorHarness = control;
}

const element = document.getElementById('hector-harness-config');
if (element?.textContent) install(JSON.parse(element.textContent) as HarnessConfig);
