import type { DecisionParams, Texts } from './params';

/** Decisions' words in English: exactly what the journal stored as `message` before codes. */
const loanOf = (n: number | null): string => (n !== null ? `loan #${n}` : 'no loan');
const tail = (reasons: string): string => (reasons ? `: ${reasons}` : '');
/** `2026-12-16T09:00:00.000Z` → `2026-12-16 09:00`. */
const utcMinute = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const decisionsEn: Texts<DecisionParams> = {
  'inbound.created': (p) => `Created ${loanOf(p.loan)} from ${p.room}'s copy${tail(p.reasons)}`,
  'inbound.updated': (p) => `Updated ${loanOf(p.loan)} (${p.changes})${tail(p.reasons)}`,
  'inbound.cancelled': (p) => `Cancelled ${loanOf(p.loan)}${tail(p.reasons)}`,
  'inbound.in_sync': (p) => {
    const loan = loanOf(p.loan);
    return `${loan[0]!.toUpperCase()}${loan.slice(1)} is in sync with the meeting: nothing to change${p.reasons ? ` (${p.reasons})` : ''}`;
  },
  'inbound.ignored': (p) => `Not synced${p.kept ? ` (${loanOf(p.loan)} unchanged)` : ''}${tail(p.reasons)}`,
  'series.pass': (p) => {
    const parts = [
      p.created && `${plural(p.created, 'loan')} created`,
      p.updated && `${p.updated} updated`,
      p.cancelled && `${p.cancelled} cancelled`,
      p.ignored && `${p.ignored} not synced`,
      p.inSync && `${p.inSync} in sync`,
      p.kept && `${plural(p.kept, 'past loan')} kept`,
    ].filter((part): part is string => Boolean(part));
    const total = p.created + p.updated + p.cancelled + p.ignored + p.inSync;
    const head = p.gone
      ? `Series left ${p.room}${p.why ? ` (${p.why})` : ''}`
      : `Series in ${p.room}: ${plural(total, 'occurrence')} in the booking window`;
    return `${head}${parts.length ? ` — ${parts.join(', ')}` : ''}.`;
  },
  'series.adopted': (p) =>
    `The meeting became a series: loan #${p.loan ?? '?'} now follows its first occurrence`,
  'inbound.declined_unseen': (p) =>
    `${p.room} declined this ${p.series ? 'series' : 'meeting'} in Exchange, so it has no loan` +
    (p.conflictStart
      ? `: ${p.series ? 'its occurrence of ' : ''}${utcMinute(p.conflictStart)} UTC collides with "${p.conflictSubject ?? ''}"${p.conflictLoan !== null ? ` (loan #${p.conflictLoan})` : ''} in the room's calendar`
      : p.pastWindow
        ? ": it reaches past the room's booking window (Exchange declines a whole series then)"
        : '') +
    " (seen on the organizer's copy)",
  'outbound.created': (p) =>
    `Outlook: created the event of loan #${p.loan} in ${p.organizer}'s calendar${p.note ? ` (${p.note})` : ''}`,
  'outbound.updated': (p) =>
    `Outlook: updated the event of loan #${p.loan} in ${p.organizer}'s calendar (${p.changed})`,
  'outbound.moved': (p) =>
    `Outlook: moved the event of loan #${p.loan} from ${p.from}'s calendar to ${p.organizer}'s${p.note ? ` (${p.note})` : ''}`,
  'outbound.deleted': (p) =>
    `Outlook: deleted the event of loan #${p.loan} from ${p.organizer}'s calendar: ${p.reason}`,
  'outbound.declined': (p) => `Outlook: ${p.rooms} declined the meeting of loan #${p.loan}: ${p.reason}`,
  'outbound.in_sync': (p) => `The event of loan #${p.loan} is in sync with the loan: nothing written`,
  'outbound.ignored': (p) => `Not synced to Outlook (loan #${p.loan}): ${p.reason}`,
  'outbound.meeting_gone': (p) => `Cancelled loan #${p.loan}: ${p.reason}`,
};
