import type { FailureParams, OperationParams, Texts } from './params';

/** Failures' and room imports' words in English: exactly the `message` stored before codes. */
const RESYNC = 'press Re-sync in the admin page';

const about = (p: FailureParams) => {
  const whose = p.mailbox ? `${p.mailbox}'s calendar` : 'the calendar';
  const loan = p.loan !== null ? `loan #${p.loan}` : null;
  const what =
    p.flow === 'inbound'
      ? `the meeting in ${p.mailbox ?? 'a room'}${loan ? ` (${loan})` : ''}`
      : p.flow === 'outbound'
        ? (loan ?? 'a loan')
        : (p.purpose ?? 'a background job');
  const forLoan = p.flow === 'outbound' && loan ? ` for ${loan}` : '';
  const sync = p.flow === 'other' ? `run ${what}` : `sync ${what}`;
  return { whose, forLoan, sync };
};

const rooms = (n: number): string => `room${n === 1 ? '' : 's'}`;

export const operationsEn: Texts<OperationParams> = {
  'failure.permission_missing': (p) => {
    const { whose, forLoan } = about(p);
    return (
      `Hector cannot ${p.access === 'write' ? 'write to' : 'read'} ${whose}${forLoan}: the app lacks ` +
      `${p.permission} — grant it in Entra ID (API permissions, admin consent) and ${RESYNC}`
    );
  },
  'failure.outside_access_policy': (p) => {
    const { whose, forLoan } = about(p);
    return (
      `Hector cannot reach ${whose}${forLoan}: the mailbox is outside the app's access policy — add it ` +
      `to the policy's group in Exchange Online, then ${RESYNC}`
    );
  },
  'failure.mailbox_not_found': (p) =>
    `Hector cannot find the mailbox of ${p.mailbox ?? 'this calendar'}${about(p).forLoan} (${p.detail}) — ` +
    `check its e-mail address in Exchange${p.isRoom ? ', or deactivate the place in Hector' : ''}, then ${RESYNC}`,
  'failure.settings_refused': (p) =>
    `Hector cannot ${about(p).sync}: ${p.detail} — check the integration's settings (client ID, ` +
    `secret, default user) and save them, then ${RESYNC}`,
  'failure.request_refused': (p) =>
    `${p.by === 'graph' ? 'Graph' : 'Hector'} refused to ${about(p).sync}: ${p.detail} — correct the ` +
    `${p.flow === 'outbound' ? 'loan in Hector' : 'meeting in Outlook'}; it syncs again on its next change`,
  'failure.transient': (p) =>
    `Hector gave up trying to ${about(p).sync}${p.attempts ? ` after ${p.attempts} tries` : ''}: ${p.detail} — ` +
    `the next re-sync tries again (hourly); ${RESYNC} to try now`,
  'rooms.imported': (p) =>
    `Rooms imported through ${p.source === 'places' ? 'the Places API' : 'users with a room mailbox'}: ` +
    `${p.active} active, ${p.ignored} ignored by tag, ${p.deactivated} deactivated, ${p.renamed} renamed` +
    (p.held > 0 ? `, ${p.held} missing kept for the admin's review.` : '.'),
  'rooms.held': (p) => {
    const from = p.source === 'places' ? 'the Places API' : 'the users with a room mailbox';
    const answer = p.seen === 0 ? 'no room' : `only ${p.seen} ${rooms(p.seen)}`;
    return (
      `Room import held back: ${from} returned ${answer} where ${p.activeBefore} are synchronised, ` +
      `so no room was deactivated. Places data can lag Exchange by up to two days, and an empty or much ` +
      `smaller answer does not prove that rooms were removed. Confirm in the admin page to deactivate ` +
      `the ${p.held} missing ${rooms(p.held)}, or dismiss to keep them.`
    );
  },
};
