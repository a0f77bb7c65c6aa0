import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { AppError, badRequest, integrationNotConfigured, notFound } from '../../errors';
import type { HectorAdmin, HectorPort, Loan } from '../../hector/port';
import type { Links } from '../../store/links';
import { readOwnEvent, type AddinCaller, type AddinLoanDeps } from './addinLoan';
import type { LoanScope } from '../../../contract/addin';

/** What the pane's actions need (issue 17): the lookup's, and Hector's writes. */
export interface AddinActionDeps extends Omit<AddinLoanDeps, 'hector' | 'links'> {
  hector: Pick<
    HectorPort,
    'getLoan' | 'listPlaces' | 'updateLoan' | 'checkAvailability' | 'validateLoan' | 'checkIn'
  > &
    Pick<HectorAdmin, 'getStore' | 'listAssets'>;
  links: Pick<Links, 'findLoanIdByICalUId' | 'findLinkByEventId' | 'listSeriesLinks' | 'findMeetingLink'>;
}

/**
 * The loans an action of the pane reaches (B7, B9), from the caller's own copy of the event: the
 * opened meeting's loan, or for a series (B3) the loans of its upcoming occurrences. Never anyone
 * else's event: the mailbox is the token's user.
 */
export interface MeetingLoans {
  event: MSGraph.Event;
  /** The caller organizes the meeting (their copy says so): only they change its loan. */
  isOrganizer: boolean;
  /** Active loans, by start; empty when the meeting has none yet. */
  loans: Loan[];
}

export async function meetingLoans(
  caller: AddinCaller,
  itemId: string,
  scope: LoanScope | undefined,
  deps: AddinActionDeps,
): Promise<MeetingLoans> {
  const graph = await deps.graph();
  if (!graph) throw integrationNotConfigured();
  const read = await readOwnEvent(graph, caller, itemId, deps);
  if ('denied' in read) {
    throw new AppError(
      'NOT_FOUND',
      'Hector may not read your calendar: the admin must let the add-in read it.',
    );
  }
  const event = read.event;
  if (!event) throw notFound('This event is not in your calendar (or no longer exists).');
  const isOrganizer = event.isOrganizer === true;

  const seriesICalUId =
    event.type === 'seriesMaster'
      ? (event.iCalUId ?? null)
      : scope === 'upcoming' && event.iCalUId
        ? ((await deps.links.findMeetingLink(event.iCalUId))?.seriesICalUId ?? null)
        : null;
  if (scope === 'upcoming' && !seriesICalUId) {
    throw badRequest('scope "upcoming" is for an occurrence of a series; this meeting is not one.');
  }
  if (seriesICalUId) {
    const now = deps.now().getTime();
    const links = await deps.links.listSeriesLinks(seriesICalUId);
    const loans = await loansOf(
      links.map((l) => l.loanId),
      deps,
    );
    return { event, isOrganizer, loans: loans.filter((l) => new Date(l.end).getTime() > now) };
  }
  const loanId =
    (event.iCalUId ? await deps.links.findLoanIdByICalUId(event.iCalUId) : null) ??
    (await deps.links.findLinkByEventId(event.id ?? itemId))?.loanId ??
    null;
  return { event, isOrganizer, loans: await loansOf([loanId], deps) };
}

async function loansOf(ids: Array<string | null>, deps: AddinActionDeps): Promise<Loan[]> {
  const loans = await Promise.all(
    ids.filter((id): id is string => id !== null).map((id) => deps.hector.getLoan(id)),
  );
  return loans
    .filter((l): l is Loan => l !== null && l.status !== 'cancelled' && l.status !== 'refused')
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** B7: only the organizer changes the meeting's loan. */
export function requireOrganizer(found: MeetingLoans): void {
  if (!found.isOrganizer) {
    throw new AppError(
      'NOT_ORGANIZER',
      'Only the organizer of the meeting can change its Hector loan; attendees see it read-only.',
    );
  }
}

/** The meeting must have a loan for the action. */
export function requireLoans(found: MeetingLoans): Loan[] {
  if (found.loans.length === 0) {
    throw new AppError('CONFLICT', 'This meeting has no Hector loan yet (save it with a synced room first).');
  }
  return found.loans;
}
