import {
  isDarkColor,
  type AuthHost,
  type ComposeHost,
  type ComposeMeeting,
  type CurrentItem,
  type TaskPaneHost,
} from './host';

/**
 * The ONLY file of the add-in that names `Office.`: everything else receives plain data and
 * functions through TaskPaneHost, so it renders in tests without Office.js.
 */

/** Resolves once Office.js is ready, with the host the task pane runs in. */
export async function connectToOffice(hostToken?: () => Promise<string>): Promise<TaskPaneHost> {
  await Office.onReady();
  const mailbox = Office.context.mailbox;
  const auth: AuthHost = {
    nestedAppAuthSupported: () => {
      try {
        return Office.context.requirements.isSetSupported('NestedAppAuth', '1.1');
      } catch {
        return false;
      }
    },
    officeSsoToken: (options) =>
      Office.auth.getAccessToken({
        allowSignInPrompt: options.allowSignInPrompt,
        allowConsentPrompt: options.allowSignInPrompt,
        forMSGraphAccess: false,
        ...(options.forceRefresh ? { forceRefresh: true } : {}),
      } as Office.AuthOptions),
    hostToken,
  };
  return {
    displayLanguage: Office.context.displayLanguage || 'en-US',
    dark: isDarkColor(Office.context.officeTheme?.bodyBackgroundColor),
    currentItem: () => currentItem(mailbox),
    onThemeChanged: (listener) =>
      addMailboxHandler(mailbox, Office.EventType.OfficeThemeChanged, (args: unknown) => {
        const theme = (args as Office.OfficeThemeChangedEventArgs | undefined)?.officeTheme;
        listener(isDarkColor(theme?.bodyBackgroundColor));
      }),
    auth,
    ...composeHost(mailbox),
  };
}

type ComposeItem = Office.AppointmentCompose;

/**
 * B8, compose mode only: `item.start`/`item.end` are Time objects with getAsync (Mailbox 1.1), and
 * `enhancedLocation` (Mailbox 1.8) lists the rooms with their e-mail address and adds one
 * (`addAsync` with LocationType.Room, id = the room's address; needs ReadWriteItem) —
 * learn.microsoft.com/javascript/api/outlook/office.enhancedlocation. In read mode `item.start`
 * is a Date: no compose host then.
 */
function composeHost(mailbox: Office.Mailbox): { compose?: ComposeHost } {
  const item = mailbox.item as ComposeItem | null | undefined;
  const start = item?.start as unknown;
  if (!item || typeof (start as { getAsync?: unknown })?.getAsync !== 'function') return {};
  const read = <T>(get: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T | null> =>
    new Promise((resolve) => {
      try {
        get((result) => resolve(result.status === Office.AsyncResultStatus.Succeeded ? result.value : null));
      } catch {
        resolve(null);
      }
    });
  return {
    compose: {
      async meeting(): Promise<ComposeMeeting | null> {
        const [from, to, locations] = await Promise.all([
          read<Date>((cb) => item.start.getAsync(cb)),
          read<Date>((cb) => item.end.getAsync(cb)),
          item.enhancedLocation
            ? read<Office.LocationDetails[]>((cb) => item.enhancedLocation.getAsync(cb))
            : Promise.resolve(null),
        ]);
        if (!from || !to) return null;
        const rooms = [
          ...(locations ?? [])
            .filter(
              (l) => l.locationIdentifier?.type === Office.MailboxEnums.LocationType.Room && l.emailAddress,
            )
            .map((l) => l.emailAddress),
        ].map((e) => e.toLowerCase());
        return { start: from.toISOString(), end: to.toISOString(), rooms: [...new Set(rooms)] };
      },
      addRoom: (email) =>
        new Promise((resolve) => {
          try {
            item.enhancedLocation.addAsync(
              [{ id: email, type: Office.MailboxEnums.LocationType.Room }],
              (result) => resolve(result.status === Office.AsyncResultStatus.Succeeded),
            );
          } catch {
            resolve(false);
          }
        }),
    },
  };
}

/** Read mode has `itemId` (EWS format); compose mode asks `getItemIdAsync` (Mailbox 1.8). */
async function currentItem(mailbox: Office.Mailbox): Promise<CurrentItem> {
  const item = mailbox.item as (Office.AppointmentRead & Office.AppointmentCompose) | null | undefined;
  if (!item || item.itemType !== Office.MailboxEnums.ItemType.Appointment) return { kind: 'none' };
  const toRest = (ewsId: string): CurrentItem => ({
    kind: 'event',
    itemId: mailbox.convertToRestId(ewsId, Office.MailboxEnums.RestVersion.v2_0),
  });
  if (typeof item.itemId === 'string' && item.itemId) return toRest(item.itemId);
  if (typeof item.getItemIdAsync !== 'function') return { kind: 'not_saved' };
  return new Promise<CurrentItem>((resolve) => {
    item.getItemIdAsync((result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded && result.value) resolve(toRest(result.value));
      // ItemNotSaved is the expected failure; any other also leaves us without an id to ask about.
      else resolve({ kind: 'not_saved' });
    });
  });
}

function addMailboxHandler(
  mailbox: Office.Mailbox,
  eventType: Office.EventType,
  handler: (args: unknown) => void,
): () => void {
  let added = false;
  try {
    mailbox.addHandlerAsync(eventType, handler, (result) => {
      added = result.status === Office.AsyncResultStatus.Succeeded;
    });
  } catch {
    // Older hosts do not know the event type (OfficeThemeChanged needs Mailbox 1.14).
    return () => undefined;
  }
  return () => {
    if (added) mailbox.removeHandlerAsync(eventType);
  };
}
