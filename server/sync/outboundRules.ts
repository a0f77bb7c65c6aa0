/**
 * Moved to server/sync/outbound/rules.ts; this file stays for server/compose/ until it imports
 * that path itself: delete it then. Nothing else imports it.
 */
export * from './outbound/rules';
