/**
 * Application access policies (README Azure step 7; GF "Real tenants"): the app may reach only the
 * mailboxes of the policy's group (the rooms and the default user). A call on any other mailbox
 * answers 403 "Access to OData is disabled." — permanent until an admin changes the group, so the
 * flows degrade (room copy, default user) and journal it once instead of failing and retrying.
 */
import { GraphCallError, isAccessPolicyDenial } from '../graph/errors';
import type { GraphGateway } from '../graph/gateway';

/** A policy's refusal, with the mailbox it is about (Graph's error does not name it). */
export class OutsideAccessPolicy extends GraphCallError {
  constructor(
    readonly mailbox: string,
    cause: GraphCallError,
  ) {
    super(cause.graphStatus, cause.graphCode, cause.message);
    this.name = 'OutsideAccessPolicy';
  }
}

export const isOutsideAccessPolicy = (error: unknown): error is OutsideAccessPolicy =>
  error instanceof OutsideAccessPolicy;

/**
 * Any other refusal of a mailbox call, with the mailbox and the call (B6: the journal says whose
 * calendar could not be read or written, and so which permission is missing).
 */
export class MailboxCallFailed extends GraphCallError {
  constructor(
    readonly mailbox: string,
    readonly call: string,
    cause: GraphCallError,
  ) {
    super(cause.graphStatus, cause.graphCode, cause.message);
    this.name = 'MailboxCallFailed';
  }
}

/** "the default user's mailbox (x) is outside the app's access policy" — the words admins see. */
export function outsideAccessPolicy(mailbox: string, defaultUserEmail: string | null): string {
  const whose =
    defaultUserEmail && mailbox.toLowerCase() === defaultUserEmail.toLowerCase()
      ? `the default user's mailbox (${mailbox})`
      : `the mailbox of ${mailbox}`;
  return `${whose} is outside the app's access policy`;
}

/** The gateway calls whose first argument is the mailbox they read or write. */
const MAILBOX_CALLS = [
  'getMailboxSettings',
  'getEvent',
  'listEvents',
  'createEvent',
  'updateEvent',
  'deleteEvent',
  'getEventWithProperty',
  'findEventsByICalUId',
  'declineEvent',
  'calendarDelta',
] as const satisfies ReadonlyArray<keyof GraphGateway>;

/**
 * The same gateway, whose mailbox calls throw OutsideAccessPolicy(mailbox) on a policy's refusal
 * and MailboxCallFailed(mailbox, call) on any other Graph refusal (same status, code and message).
 */
export function namingBlockedMailboxes(graph: GraphGateway): GraphGateway {
  const named: GraphGateway = { ...graph };
  for (const name of MAILBOX_CALLS) {
    // The methods differ in their other arguments; each is passed through untouched.
    const original = graph[name] as (mailbox: string, ...rest: unknown[]) => Promise<unknown>;
    const wrapped = async (mailbox: string, ...rest: unknown[]): Promise<unknown> => {
      try {
        return await original.call(graph, mailbox, ...rest);
      } catch (error) {
        if (isAccessPolicyDenial(error) && !isOutsideAccessPolicy(error))
          throw new OutsideAccessPolicy(mailbox, error);
        if (
          error instanceof GraphCallError &&
          !isOutsideAccessPolicy(error) &&
          !(error instanceof MailboxCallFailed)
        )
          throw new MailboxCallFailed(mailbox, name, error);
        throw error;
      }
    };
    Object.assign(named, { [name]: wrapped });
  }
  return named;
}
