import { GraphCallError } from '../graph/errors';
import type { GraphGateway } from '../graph/gateway';
import type { OrganizerStanding } from './rules/requester';

/**
 * V1: is the organizer an enabled user of the tenant? One Graph GET per organizer per TTL, so
 * that a burst of changes by the same people costs no extra Graph calls.
 */
export interface OrganizerDirectory {
  standing(graph: GraphGateway, email: string): Promise<OrganizerStanding>;
  /** Whether an application access policy refused the app this person's mailbox lately. */
  mailboxBlocked(email: string): boolean;
  /** Remembers such a refusal, so that the next pushes go to the default user at once. */
  noteMailboxBlocked(email: string): void;
}

/**
 * Policy changes take over an hour to reach Graph (GDC concepts/auth-limit-mailbox-access.md), so
 * a refusal is remembered for one: a person added to the policy's group is tried again after it.
 */
const BLOCKED_TTL_MS = 60 * 60_000;

export function createOrganizerDirectory(now: () => Date, ttlMs = 10 * 60_000): OrganizerDirectory {
  const cache = new Map<string, { standing: OrganizerStanding; at: number }>();
  const pending = new Map<string, Promise<OrganizerStanding>>();
  const blocked = new Map<string, number>();
  return {
    mailboxBlocked(email) {
      const at = blocked.get(email.toLowerCase());
      return at !== undefined && now().getTime() - at < BLOCKED_TTL_MS;
    },
    noteMailboxBlocked(email) {
      blocked.set(email.toLowerCase(), now().getTime());
    },
    async standing(graph, email) {
      const key = email.toLowerCase();
      const hit = cache.get(key);
      if (hit && now().getTime() - hit.at < ttlMs) return hit.standing;
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const lookup = (async (): Promise<OrganizerStanding> => {
        try {
          const user = await graph.getUser(key);
          const standing: OrganizerStanding = !user
            ? 'unknown'
            : user.accountEnabled === false
              ? 'disabled'
              : 'member';
          cache.set(key, { standing, at: now().getTime() });
          return standing;
        } catch (error) {
          // Without User.Read.All nobody can be checked: the default user stands in (not cached).
          if (error instanceof GraphCallError && error.forbidden) return 'unknown';
          throw error;
        } finally {
          pending.delete(key);
        }
      })();
      pending.set(key, lookup);
      return lookup;
    },
  };
}
