import { badRequest } from '../../errors';
import type { AddinCaller } from './addinLoan';
import { toLoanView, type Language } from './loanView';
import { meetingLoans, requireLoans } from './meetingLoans';
import type { AddinActionDeps } from './meetingLoans';
import type { CheckInResponse } from '../../../contract/addin';

/**
 * B9: the organizer or an attendee checks in from the pane: the meeting's loan is checked in and
 * out in Hector (the window is Hector's: CHECK_IN_CLOSED outside it). One occurrence at a time.
 */
export async function checkInMeeting(
  caller: AddinCaller,
  itemId: string,
  language: Language,
  deps: AddinActionDeps,
): Promise<CheckInResponse> {
  const found = await meetingLoans(caller, itemId, undefined, deps);
  if (found.event.type === 'seriesMaster') {
    throw badRequest('Check in from the occurrence that is taking place, not from the whole series.');
  }
  const [loan] = requireLoans(found);
  return { loan: toLoanView(await deps.hector.checkIn(loan.id), language, deps.loanUrl) };
}
