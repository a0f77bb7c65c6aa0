import type { OutboundContext } from './deps';
import { journalKindOf, outboundMessage, type OutboundDecision } from './rules';

/** B4: one outbound decision to the journal, in words, and one log line; returns the decision. */
export async function recordDecision(
  ctx: Pick<OutboundContext, 'loan' | 'deps'>,
  decision: OutboundDecision,
  iCalUId: string | null,
  eventId: string | null = null,
): Promise<OutboundDecision> {
  const { loan, deps } = ctx;
  const worded = outboundMessage(decision, loan.number);
  const { message } = worded;
  await deps.journal.record({
    kind: journalKindOf(decision),
    ...worded,
    iCalUId,
    eventId,
    loanId: loan.id,
    details: { direction: 'outbound', decision: decision.kind, loanNumber: loan.number, ...decision },
  });
  deps.logger.info({ event: `outbound.${decision.kind}`, loanId: loan.id, iCalUId }, message);
  return decision;
}
