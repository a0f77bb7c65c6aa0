/**
 * The former server/sync/rules.ts, for server/compose/ until it imports the files of this folder
 * itself: delete this file then. Nothing else imports it.
 */
export * from './roomCopy';
export * from './requester';
export * from './syncedRoom';
export * from './plan';
export * from './decide';
export * from './wording';
