/**
 * The former server/sync/inbound.ts, for server/compose/ until it imports the files of this
 * folder itself: delete this file then. Nothing else imports it.
 */
export type { InboundDeps, InboundOutcome } from './deps';
export { DEFERRAL_DELAYS_MS } from './deferral';
export { syncRoomEvent } from './syncRoomEvent';
