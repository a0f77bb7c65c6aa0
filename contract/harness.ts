/**
 * The add-in harness contract (test mode only, server/testMode/harness.ts): what the server embeds
 * in the page for the Office.js shim (addin/harness/index.ts) and what the shim fetches.
 *
 * - `GET /harness?user&event&mode&lang&theme` → an HTML page carrying HarnessConfig
 *   (`<script id="hector-harness-config" type="application/json">`)
 * - `GET /harness/token?user` → HarnessToken; `GET /harness/item?user&event` → HarnessItem
 */

/** An event of the emulator as the shim's mailbox item shows it. */
export interface HarnessItem {
  /** The REST id (v2.0) in the user's mailbox. */
  restId: string;
  subject: string;
  start: string;
  end: string;
  location: string;
  organizer: { displayName: string; emailAddress: string };
  requiredAttendees: Array<{ displayName: string; emailAddress: string }>;
  /** The event's rooms (resource attendees): compose mode's `enhancedLocation` lists them (B8). */
  rooms?: Array<{ displayName: string; emailAddress: string }>;
}

export interface HarnessConfig {
  user: string;
  mode: 'read' | 'compose';
  displayLanguage: string;
  theme: 'light' | 'dark';
  /** null: compose mode on an event that has not been saved yet. */
  item: HarnessItem | null;
  /**
   * B8: what the person has typed so far in a new, unsaved meeting (compose mode without `event`):
   * `&start=&end=&rooms=a@x,b@x` on the harness URL. Absent: now, and no room.
   */
  draft?: { start: string; end: string; rooms: string[] };
  /** Answers a HarnessToken for `user`. */
  tokenUrl: string;
  /** Answers a HarnessItem for `&event=<REST id>` (the next item the user opens). */
  itemUrl: string;
}

/** The user's token from the emulator's Entra ID, as an OAuth token endpoint words it. */
export interface HarnessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}
