/** Inbound sync's words for the journal (B4): reasons, changes and decisions as a person reads them. */
import type { Conflict, Loan, LoanPatch } from '../../hector/port';
import type { Decision } from './decide';
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
