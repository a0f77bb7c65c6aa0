/**
 * B6: what a failed job's error means — worth a retry (throttling, Graph down, a conflict) or not
 * (a permission, a mailbox, a refused request, the settings), and, when not, what it is about.
 * Pure: the error and what the job was doing in, a cause out; wording.ts puts it in words.
 */
import { AppError } from '../../errors';
import { EntraError, GraphCallError } from '../../graph/errors';

/** What a job did with Graph when it failed: reading a calendar or writing one. */
export type CalendarAccess = 'read' | 'write';

export type FailureCause =
  /** 403 that is not an access policy's: the app lacks the permission the call needs. */
  | { code: 'permission_missing'; permission: string; mailbox: string | null; access: CalendarAccess }
  /** 403 "Access to OData is disabled.": the mailbox is outside the app's access policy. */
  | { code: 'outside_access_policy'; mailbox: string | null }
  /** 404 of the mailbox itself (not of an item): the address is not a mailbox Graph knows. */
  | { code: 'mailbox_not_found'; mailbox: string | null; detail: string }
  /** Entra ID refused the app's credentials, or the integration is not set up. */
  | { code: 'settings_refused'; detail: string }
  /** Graph (400) or Hector (422, 409 not editable…) refused the request as it is. */
  | { code: 'request_refused'; by: 'graph' | 'hector'; detail: string }
  /** Anything else: throttling, 5xx, the network, a conflict — retried, journaled when given up. */
  | { code: 'transient'; detail: string };

export type FailureCode = FailureCause['code'];

/** Graph's codes for a `/users/{id}` that names no mailbox (GF "Mailbox addressing", docs#3979). */
const MAILBOX_NOT_FOUND = new Set([
  'ErrorInvalidUser',
  'MailboxNotEnabledForRESTAPI',
  'ResourceNotFound',
  'Request_ResourceNotFound',
]);

/** Hector's refusals that the same request will meet again, whatever the number of tries. */
const HECTOR_REFUSALS = new Set([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'RULE_VIOLATION',
  'FORBIDDEN_TRANSITION',
  'LOAN_NOT_EDITABLE',
]);
const SETTINGS = new Set(['INTEGRATION_NOT_CONFIGURED', 'INTEGRATION_DISABLED', 'DEFAULT_USER_NOT_FOUND']);

/**
 * The permission a calendar call lacks: a read needs Calendars.Read (the room copy's extended
 * property and body are beyond Calendars.ReadBasic.All), a write Calendars.ReadWrite (S2).
 * Graph's 403 never names it ("Access is denied. Check credentials and try again.").
 */
export const permissionFor = (access: CalendarAccess): string =>
  access === 'write' ? 'Calendars.ReadWrite' : 'Calendars.Read';

export function classifyFailure(
  error: unknown,
  context: { mailbox: string | null; access: CalendarAccess },
): FailureCause {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof EntraError) return { code: 'settings_refused', detail };
  if (error instanceof GraphCallError) {
    if (error.accessPolicyDenied) return { code: 'outside_access_policy', mailbox: context.mailbox };
    // Authorization_RequestDenied is the directory's 403 (users, places): a permission too.
    if (error.graphStatus === 403 || error.graphCode === 'Authorization_RequestDenied') {
      return {
        code: 'permission_missing',
        permission: permissionFor(context.access),
        mailbox: context.mailbox,
        access: context.access,
      };
    }
    if (error.graphStatus === 404 && MAILBOX_NOT_FOUND.has(error.graphCode)) {
      return { code: 'mailbox_not_found', mailbox: context.mailbox, detail };
    }
    if (error.graphStatus === 400) return { code: 'request_refused', by: 'graph', detail };
    return { code: 'transient', detail: `Graph answered ${error.graphStatus} (${error.graphCode})` };
  }
  if (error instanceof AppError) {
    if (SETTINGS.has(error.code)) return { code: 'settings_refused', detail };
    if (HECTOR_REFUSALS.has(error.code)) return { code: 'request_refused', by: 'hector', detail };
  }
  return { code: 'transient', detail };
}

export const isPermanent = (cause: FailureCause): boolean => cause.code !== 'transient';
