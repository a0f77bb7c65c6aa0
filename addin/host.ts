/**
 * What the task pane needs from its host, as plain data and functions. office.ts implements it
 * with Office.js; tests and the harness can provide their own.
 */

/** The event open in Outlook, as far as the add-in can name it. */
export type CurrentItem =
  /** A saved event: its REST id (v2.0), the id Graph knows in the user's mailbox. */
  | { kind: 'event'; itemId: string }
  /** A new event in compose mode that has not been saved yet: it has no id. */
  | { kind: 'not_saved' }
  /** Nothing usable is open (the pane was opened on something that is not an appointment). */
  | { kind: 'none' };

/** What auth.ts needs from Office, so that only office.ts names `Office.`. */
export interface AuthHost {
  /** `Office.context.requirements.isSetSupported('NestedAppAuth', '1.1')`. */
  nestedAppAuthSupported(): boolean;
  /** Legacy SSO: `Office.auth.getAccessToken` (needs WebApplicationInfo in the manifest). */
  officeSsoToken(options: { allowSignInPrompt: boolean; forceRefresh?: boolean }): Promise<string>;
  /** A token function supplied by a host shim (the test harness), used before anything else. */
  hostToken?: () => Promise<string>;
}

/** B8: the meeting being composed, as Office.js reads it (ISO instants, rooms' e-mail addresses). */
export interface ComposeMeeting {
  start: string;
  end: string;
  rooms: string[];
}

/** What compose mode offers (absent in read mode). */
export interface ComposeHost {
  /** The meeting's start, end and rooms now; null when they cannot be read. */
  meeting(): Promise<ComposeMeeting | null>;
  /** Adds a room to the meeting's locations (the room then gets the invitation); false when refused. */
  addRoom(email: string): Promise<boolean>;
}

export interface TaskPaneHost {
  displayLanguage: string;
  /** The host's theme is dark (from its body background colour). */
  dark: boolean;
  currentItem(): Promise<CurrentItem>;
  /** Called when the Office theme changes; returns an unsubscribe function. */
  onThemeChanged(listener: (dark: boolean) => void): () => void;
  auth: AuthHost;
  /** B8: present while the organizer composes the meeting. */
  compose?: ComposeHost;
}

/** What a host shim (the browser-test harness) may put on `window`. */
export interface HarnessHooks {
  getToken?: () => Promise<string>;
  /** Overrides where the API is (defaults to the page's origin). */
  apiBase?: string;
}

declare global {
  interface Window {
    __hectorHarness?: HarnessHooks;
  }
}

/** Dark when the colour's relative luminance is under one half ("#1f1f1f" → dark). */
export function isDarkColor(hex: string | undefined): boolean {
  const match = /^#?([0-9a-f]{6})$/i.exec((hex ?? '').trim());
  if (!match) return false;
  const n = parseInt(match[1], 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5;
}
