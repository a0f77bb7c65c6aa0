import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { integrationNotConfigured, notFound } from '../../errors';
import { EntraError, GraphCallError } from '../../graph/errors';
import type { GraphGateway } from '../../graph/gateway';
import type { HectorAdmin, HectorPort } from '../../hector/port';
import type { Logger } from '../../logger';
import type { Clock } from '../../clock';
import type { Journal } from '../../store/journal';
import type { Links } from '../../store/links';
import { seriesAnswer } from './addinSeries';
import { journalUnseenDecline } from './unseenDecline';
import { eventFacts, journalFacts } from './facts';
import { reasonFor, toLoanView, type Language } from './loanView';
import type { AddinLoanResponse } from '../../../contract/addin';

/** The signed-in user of the add-in, as their validated token names them (http/userTokens.ts). */
export interface AddinCaller {
  tenantId: string;
  /** The user's object id: the mailbox read on their behalf. */
  oid: string;
  /** upn (v1.0) or preferred_username (v2.0), for logs and display only: it may change, oid does not. */
  upn: string | null;
  /** The user's token itself, the assertion of the on-behalf-of flow: a secret, never logged. */
  assertion: string;
}

/** What the add-in's use case needs, built in server/compose. */
export interface AddinLoanDeps {
  /** The integration's gateway (application permissions); null when it is not configured. */
  graph(): Promise<GraphGateway | null>;
  /**
   * A gateway with the caller's own rights (on-behalf-of, delegated Calendars.Read); null when
   * on-behalf-of is not configured. Absent: the app's rights only.
   */
  graphAsUser?(assertion: string): Promise<GraphGateway | null>;
  hector: Pick<HectorPort, 'getLoan' | 'listPlaces'> & Pick<HectorAdmin, 'getStore'>;
  links: Pick<Links, 'findLoanIdByICalUId' | 'findLinkByEventId' | 'listSeriesLinks'>;
  /** Read for the reasons; written once when the organizer's copy shows an unseen decline. */
  journal: Pick<Journal, 'list' | 'record'>;
  /** The business clock: a series lists its occurrences from now (B3). */
  now: Clock;
  /** Base of the "open in Hector" links; {id} is replaced by the loan id. */
  loanUrl: string;
  logger?: Pick<Logger, 'warn'>;
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
  const read = await readOwnEvent(graph, caller, itemId, deps);
  if ('denied' in read) return { reason: { code: 'no_access', message: text.noAccess[language] } };
  const { event, gateway } = read;
  if (!event) {
    throw notFound('This event is not in your calendar (or no longer exists).');
  }
  // B3: a series holds no loan of its own; each occurrence does (opened on one, it is a meeting).
  const isSeries = event.type === 'seriesMaster';

  const loanId = isSeries
    ? null
    : ((event.iCalUId ? await deps.links.findLoanIdByICalUId(event.iCalUId) : null) ??
      // By the id the read returned (immutable, as our links hold it): Office gives a regular one.
      (await deps.links.findLinkByEventId(event.id ?? itemId))?.loanId ??
      null);
  const loan = loanId ? await deps.hector.getLoan(loanId) : null;
  if (loan) return { loan: toLoanView(loan, language, deps.loanUrl) };

  const places = await deps.hector.listPlaces({ active: true, synced: true });
  const syncedRooms = new Map(
    places.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p.name] as const),
  );
  const facts = eventFacts(event);
  // B6: a room the app cannot read fails before the meeting is known: its errors name the room.
  const meetingRooms = [...new Set(facts.attendees.map((a) => a.email))].filter((e) => syncedRooms.has(e));
  const roomJournals = new Map(
    await Promise.all(
      meetingRooms.map(
        async (room) =>
          [room, (await deps.journal.list({ roomEmail: room, limit: 20 })).map(journalFacts)] as const,
      ),
    ),
  );
  let answer: AddinLoanResponse;
  if (isSeries) {
    const context = { graph: gateway, mailbox: caller.oid, master: event, places, syncedRooms, roomJournals };
    answer = await seriesAnswer({ ...context, language }, deps);
  } else {
    const entries = event.iCalUId ? await deps.journal.list({ iCalUId: event.iCalUId, limit: 20 }) : [];
    answer = { reason: reasonFor(facts, syncedRooms, entries.map(journalFacts), language, roomJournals) };
  }
  if (answer.reason?.code === 'room_declined' && facts.isOrganizer) {
    const declined = facts.attendees
      .filter((a) => a.response === 'declined' && syncedRooms.has(a.email))
      .map((a) => ({ email: a.email, name: syncedRooms.get(a.email)! }));
    // The explanation is a bonus: a failure to write it never fails the add-in's answer.
    await journalUnseenDecline(
      { app: graph, organizer: { graph: gateway, mailbox: caller.oid }, event, rooms: declined },
      deps,
    ).catch((error: unknown) =>
      deps.logger?.warn({ event: 'addin.unseen_decline_failed', err: error }, 'could not journal a decline'),
    );
  }
  return answer;
}

const text = {
  noAccess: {
    fr: "Hector n'a pas accès à votre calendrier : l'administrateur doit autoriser le complément à le lire en votre nom (permission déléguée Calendars.Read, consentement de l'administrateur) ou inclure votre boîte aux lettres dans la stratégie d'accès de l'application.",
    en: "Hector may not read your calendar: the admin must let the add-in read it on your behalf (delegated Calendars.Read permission, admin consent) or include your mailbox in the app's access policy.",
  },
} as const;

export type OwnEvent = { event: MSGraph.Event | null; gateway: GraphGateway } | { denied: true };

/**
 * The caller's copy, in UTC with its immutable id: read with the caller's own rights when
 * on-behalf-of is configured (no application access policy applies to those), else — or when
 * Entra ID or Graph refuses them — with the app's. `event` null: not in the caller's mailbox (404)
 * or a malformed id (400); `denied`: the app may not read this mailbox (403) either.
 */
export async function readOwnEvent(
  graph: GraphGateway,
  caller: AddinCaller,
  itemId: string,
  deps: Pick<AddinLoanDeps, 'graphAsUser' | 'logger'>,
): Promise<OwnEvent> {
  try {
    const asUser = await deps.graphAsUser?.(caller.assertion);
    if (asUser) return { event: await readEvent(asUser, caller, itemId), gateway: asUser };
  } catch (error) {
    // A refused OBO token or delegated read: say so once, and try the app's own rights.
    if (!(
      error instanceof EntraError ||
      (error instanceof GraphCallError && (error.forbidden || error.graphStatus === 401))
    ))
      throw error;
    deps.logger?.warn(
      { event: 'addin.obo_failed', user: caller.oid, code: error.code, reason: error.message },
      'on-behalf-of read refused; reading with the app permissions',
    );
  }
  try {
    return { event: await readEvent(graph, caller, itemId), gateway: graph };
  } catch (error) {
    if (error instanceof GraphCallError && error.forbidden) return { denied: true };
    throw error;
  }
}

async function readEvent(graph: GraphGateway, caller: AddinCaller, itemId: string) {
  try {
    return await graph.getEvent(caller.oid, itemId);
  } catch (error) {
    if (error instanceof GraphCallError && error.graphStatus === 400) return null;
    throw error;
  }
}
