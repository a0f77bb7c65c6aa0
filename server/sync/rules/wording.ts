/** Inbound sync's words for the journal (B4): reasons, changes and decisions as a person reads them. */
import type { Conflict, Loan, LoanPatch } from '../../hector/port';
import type { Decision } from './decide';
import type { FailureCause } from './failure';
import type { SyncedRoom } from './syncedRoom';

/** "Salle B-204 is taken by loan #1042" (one line per room). */
export function takenReasons(conflicts: Conflict[], rooms: SyncedRoom[]): string[] {
  const byItem = new Map<string, Set<number>>();
  for (const c of conflicts) {
    const numbers = byItem.get(c.itemId) ?? new Set<number>();
    numbers.add(c.loanNumber);
    byItem.set(c.itemId, numbers);
  }
  return [...byItem].map(([itemId, numbers]) => {
    const name =
      rooms.find((r) => r.placeId === itemId)?.name ?? conflicts.find((c) => c.itemId === itemId)!.itemName;
    const list = [...numbers].sort((a, b) => a - b).map((n) => `#${n}`);
    return `${name} is taken by loan ${list.join(', ')}`;
  });
}

/** What "changed" means to a person: start → "start 09:00 → 09:30". */
export function describeChanges(before: Loan, patch: LoanPatch, rooms: SyncedRoom[]): string[] {
  const out: string[] = [];
  if (patch.start) out.push(`start ${before.start} → ${patch.start}`);
  if (patch.end) out.push(`end ${before.end} → ${patch.end}`);
  if (patch.requester) out.push(`requester ${before.requester.email} → ${patch.requester.email}`);
  if (patch.status) out.push(`status ${before.status} → ${patch.status}`);
  if (patch.items) {
    const beforeIds = new Set(
      before.items.filter((i) => i.status === 'active').map((i) => i.id.toLowerCase()),
    );
    const afterIds = new Set(patch.items.map((i) => i.id.toLowerCase()));
    const name = (id: string) =>
      rooms.find((r) => r.placeId.toLowerCase() === id)?.name ??
      before.items.find((i) => i.id.toLowerCase() === id)?.name ??
      id;
    const added = [...afterIds].filter((id) => !beforeIds.has(id)).map(name);
    const removed = [...beforeIds].filter((id) => !afterIds.has(id)).map(name);
    if (added.length) out.push(`added ${added.join(', ')}`);
    if (removed.length) out.push(`cancelled ${removed.join(', ')}`);
  }
  return out;
}

export const joinReasons = (reasons: string[]): string => reasons.filter(Boolean).join('; ');

/** The journal's message for a decision, in words a person understands. */
export function describeDecision(
  decision: Decision,
  context: { loanNumber: number | null; roomName: string; changes?: string[] },
): string {
  const loan = context.loanNumber !== null ? `loan #${context.loanNumber}` : 'no loan';
  const why = joinReasons(decision.reasons);
  const tail = why ? `: ${why}` : '';
  switch (decision.kind) {
    case 'created':
      return `Created ${loan} from ${context.roomName}'s copy${tail}`;
    case 'updated':
      return `Updated ${loan} (${(context.changes ?? decision.changed).join('; ')})${tail}`;
    case 'cancelled':
      return `Cancelled ${loan}${tail}`;
    case 'in_sync':
      return `${loan[0].toUpperCase()}${loan.slice(1)} is in sync with the meeting: nothing to change${why ? ` (${why})` : ''}`;
    case 'ignored':
      return `Not synced${decision.loanId ? ` (${loan} unchanged)` : ''}${tail}`;
  }
}

/** R1 guard: why an import deactivated nothing, for the journal and the admin page. */
export function suspiciousImportMessage(input: {
  source: 'places' | 'users';
  seen: number;
  activeBefore: number;
  held: number;
}): string {
  const from = input.source === 'places' ? 'the Places API' : 'the users with a room mailbox';
  const answer = input.seen === 0 ? 'no room' : `only ${input.seen} room${input.seen === 1 ? '' : 's'}`;
  return (
    `Room import held back: ${from} returned ${answer} where ${input.activeBefore} are synchronised, ` +
    `so no room was deactivated. Places data can lag Exchange by up to two days, and an empty or much ` +
    `smaller answer does not prove that rooms were removed. Confirm in the admin page to deactivate ` +
    `the ${input.held} missing room${input.held === 1 ? '' : 's'}, or dismiss to keep them.`
  );
}

/** What a failed job was about, as far as it is known (B6). */
export interface FailureSubject {
  /** The room whose copy the job read, or the mailbox it wrote: its name when it is a synced room. */
  mailboxName: string | null;
  /** Whether that mailbox is a room (its calendar) or a person's (their meeting). */
  mailboxIsRoom: boolean;
  loanNumber: number | null;
  /** 'meeting' (Outlook → Hector) or 'loan' (Hector → Outlook), or a queue's purpose. */
  flow: 'inbound' | 'outbound' | 'other';
  /** For 'other': what the job does, e.g. "the room import". */
  purpose?: string;
}

const RESYNC = 'press Re-sync in the admin page';

/**
 * B6: a failure in words an admin acts on — what Hector cannot do, why, and what to do, e.g.
 * "Hector cannot read Salle A-101's calendar: the app lacks Calendars.Read — grant it in Entra ID
 * (API permissions, admin consent) and press Re-sync in the admin page".
 */
export function describeFailure(cause: FailureCause, subject: FailureSubject, attempts?: number): string {
  const whose = subject.mailboxName ? `${subject.mailboxName}'s calendar` : 'the calendar';
  const loan = subject.loanNumber !== null ? `loan #${subject.loanNumber}` : null;
  const what =
    subject.flow === 'inbound'
      ? `the meeting in ${subject.mailboxName ?? 'a room'}${loan ? ` (${loan})` : ''}`
      : subject.flow === 'outbound'
        ? (loan ?? 'a loan')
        : (subject.purpose ?? 'a background job');
  const forLoan = subject.flow === 'outbound' && loan ? ` for ${loan}` : '';
  const sync = subject.flow === 'other' ? `run ${what}` : `sync ${what}`;
  switch (cause.code) {
    case 'permission_missing':
      return (
        `Hector cannot ${cause.access === 'write' ? 'write to' : 'read'} ${whose}${forLoan}: the app lacks ` +
        `${cause.permission} — grant it in Entra ID (API permissions, admin consent) and ${RESYNC}`
      );
    case 'outside_access_policy':
      return (
        `Hector cannot reach ${whose}${forLoan}: the mailbox is outside the app's access policy — add it ` +
        `to the policy's group in Exchange Online, then ${RESYNC}`
      );
    case 'mailbox_not_found':
      return (
        `Hector cannot find the mailbox of ${subject.mailboxName ?? 'this calendar'}${forLoan} (${cause.detail}) — ` +
        `check its e-mail address in Exchange${subject.mailboxIsRoom ? ', or deactivate the place in Hector' : ''}, then ${RESYNC}`
      );
    case 'settings_refused':
      return (
        `Hector cannot ${sync}: ${cause.detail} — check the integration's settings (client ID, ` +
        `secret, default user) and save them, then ${RESYNC}`
      );
    case 'request_refused':
      return (
        `${cause.by === 'graph' ? 'Graph' : 'Hector'} refused to ${sync}: ${cause.detail} — correct the ` +
        `${subject.flow === 'outbound' ? 'loan in Hector' : 'meeting in Outlook'}; it syncs again on its next change`
      );
    case 'transient':
      return (
        `Hector gave up trying to ${sync}${attempts ? ` after ${attempts} tries` : ''}: ${cause.detail} — ` +
        `the next re-sync tries again (hourly); ${RESYNC} to try now`
      );
  }
}
