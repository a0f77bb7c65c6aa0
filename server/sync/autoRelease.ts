import type { Clock } from '../clock';
import type { HectorPort } from '../hector/port';
import type { Logger } from '../logger';
import type { Journal } from '../store/journal';
import type { Links } from '../store/links';

/** The pg-boss queue whose cron job releases the rooms nobody checked in (B9), once a minute. */
export const AUTO_RELEASE_QUEUE = 'hector-auto-release';

export interface AutoReleaseDeps {
  hector: Pick<HectorPort, 'releaseUncheckedRooms'>;
  links: Pick<Links, 'findICalUIdByLoanId'>;
  journal: Pick<Journal, 'record'>;
  now: Clock;
  logger: Pick<Logger, 'info'>;
}

/**
 * B9: the stores' no-show rule. Hector cancels the loans nobody checked in (origin `hector`);
 * outbound then makes their rooms decline the meeting (or occurrence) in Outlook, as for any loan
 * cancelled in Hector, so Exchange shows the room free and tells the organizer. Each release is
 * journaled here with its reason.
 */
export async function releaseNoShows(deps: AutoReleaseDeps): Promise<number> {
  const released = await deps.hector.releaseUncheckedRooms(deps.now());
  for (const loan of released) {
    await deps.journal.record({
      kind: 'cancelled',
      message:
        `Released loan #${loan.number}: nobody checked in within ${loan.minutes} minutes of the start ` +
        `(the store's auto-release); its rooms decline the meeting`,
      loanId: loan.loanId,
      iCalUId: await deps.links.findICalUIdByLoanId(loan.loanId),
      details: { autoRelease: true, minutes: loan.minutes, placeIds: loan.placeIds },
    });
    deps.logger.info(
      { event: 'loan.released', loanId: loan.loanId, number: loan.number, minutes: loan.minutes },
      'room loan released: nobody checked in',
    );
  }
  return released.length;
}
