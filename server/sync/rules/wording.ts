/** Inbound sync's words for the journal (B4): reasons, changes and decisions as a person reads them. */
import type { Conflict, Loan, LoanPatch } from '../../hector/port';
import { journalMessage } from '../journalText/render';
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

/** The journal's message for a decision, in words a person understands: its code, params and English. */
export function decisionMessage(
  decision: Decision,
  context: { loanNumber: number | null; roomName: string; changes?: string[] },
) {
  const base = { loan: context.loanNumber, reasons: joinReasons(decision.reasons) };
  switch (decision.kind) {
    case 'created':
      return journalMessage('inbound.created', { ...base, room: context.roomName });
    case 'updated':
      return journalMessage('inbound.updated', {
        ...base,
        changes: (context.changes ?? decision.changed).join('; '),
      });
    case 'cancelled':
      return journalMessage('inbound.cancelled', base);
    case 'in_sync':
      return journalMessage('inbound.in_sync', base);
    case 'ignored':
      return journalMessage('inbound.ignored', { ...base, kept: Boolean(decision.loanId) });
  }
}

export const describeDecision = (...args: Parameters<typeof decisionMessage>): string =>
  decisionMessage(...args).message;

/** R1 guard: why an import deactivated nothing, for the journal and the admin page. */
export function suspiciousImportMessage(input: {
  source: 'places' | 'users';
  seen: number;
  activeBefore: number;
  held: number;
}) {
  return journalMessage('rooms.held', input).message;
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

/**
 * B6: a failure in words an admin acts on — what Hector cannot do, why, and what to do, e.g.
 * "Hector cannot read Salle A-101's calendar: the app lacks Calendars.Read — grant it in Entra ID
 * (API permissions, admin consent) and press Re-sync in the admin page". Its code, params and English.
 */
export function failureMessage(cause: FailureCause, subject: FailureSubject, attempts?: number) {
  return journalMessage(`failure.${cause.code}`, {
    mailbox: subject.mailboxName,
    isRoom: subject.mailboxIsRoom,
    loan: subject.loanNumber,
    flow: subject.flow,
    purpose: subject.purpose ?? null,
    access: cause.code === 'permission_missing' ? cause.access : null,
    permission: cause.code === 'permission_missing' ? cause.permission : null,
    detail: 'detail' in cause ? cause.detail : null,
    by: cause.code === 'request_refused' ? cause.by : null,
    attempts: attempts ?? null,
  });
}

export const describeFailure = (...args: Parameters<typeof failureMessage>): string =>
  failureMessage(...args).message;
