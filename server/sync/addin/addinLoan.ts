import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { integrationNotConfigured, notFound } from '../../errors';
import { GraphCallError } from '../../graph/errors';
import type { GraphGateway } from '../../graph/gateway';
import type { HectorPort } from '../../hector/port';
import type { Journal } from '../../store/journal';
import type { Links } from '../../store/links';
import { reasonFor, toLoanView, type EventFacts, type Language } from './loanView';
import type { AddinLoanResponse } from '../../../contract/addin';

/** The signed-in user of the add-in, as their validated token names them (http/userTokens.ts). */
export interface AddinCaller {
  tenantId: string;
  /** The user's object id: the mailbox read on their behalf. */
  oid: string;
  /** preferred_username (UPN), for logs and display only: it may change, oid does not. */
  upn: string | null;
}

/** What the add-in's use case needs, built in server/compose. */
export interface AddinLoanDeps {
  /** The integration's gateway (application permissions); null when it is not configured. */
  graph(): Promise<GraphGateway | null>;
  hector: Pick<HectorPort, 'getLoan' | 'listPlaces'>;
  links: Pick<Links, 'findLoanIdByICalUId' | 'findLinkByEventId'>;
  journal: Pick<Journal, 'list'>;
  /** Base of the "open in Hector" links; {id} is replaced by the loan id. */
  loanUrl: string;
}

/**
 * Flow 8: the caller's own copy of the event (never anyone else's: the mailbox is the token's
 * user) → its iCalUId → the meeting's link → the loan, or why there is none.
 */
export async function findAddinLoan(
  caller: AddinCaller,
  itemId: string,
  language: Language,
  deps: AddinLoanDeps,
): Promise<AddinLoanResponse> {
  const graph = await deps.graph();
  if (!graph) throw integrationNotConfigured();
  const event = await readOwnEvent(graph, caller, itemId);
  if (!event) {
    throw notFound('This event is not in your calendar (or no longer exists).');
  }

  const loanId =
    (event.iCalUId ? await deps.links.findLoanIdByICalUId(event.iCalUId) : null) ??
    (await deps.links.findLinkByEventId(itemId))?.loanId ??
    null;
  const loan = loanId ? await deps.hector.getLoan(loanId) : null;
  if (loan) return { loan: toLoanView(loan, language, deps.loanUrl) };

  const places = await deps.hector.listPlaces({ active: true, synced: true });
  const syncedRooms = new Map(
    places.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p.name] as const),
  );
  const entries = event.iCalUId ? await deps.journal.list({ iCalUId: event.iCalUId, limit: 20 }) : [];
  const journal = entries.map((e) => ({
    kind: e.kind,
    message: e.message,
    reasons: Array.isArray(e.details?.reasons) ? (e.details.reasons as unknown[]).map(String) : [],
  }));
  return { reason: reasonFor(eventFacts(event), syncedRooms, journal, language) };
}

/** UTC, immutable id; null when it is not in the caller's mailbox (404) or the id is malformed (400). */
async function readOwnEvent(graph: GraphGateway, caller: AddinCaller, itemId: string) {
  try {
    return await graph.getEvent(caller.oid, itemId);
  } catch (error) {
    if (error instanceof GraphCallError && error.graphStatus === 400) return null;
    throw error;
  }
}

function eventFacts(event: MSGraph.Event): EventFacts {
  return {
    type: event.type ?? 'singleInstance',
    isCancelled: event.isCancelled === true,
    isOrganizer: event.isOrganizer === true,
    attendees: (event.attendees ?? [])
      .filter((a) => a.emailAddress?.address)
      .map((a) => ({
        email: a.emailAddress!.address!.toLowerCase(),
        response: a.status?.response ?? 'none',
      })),
  };
}
