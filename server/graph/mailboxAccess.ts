import type { GraphGateway } from './gateway';
import { isAccessPolicyDenial } from './errors';

/** Mailboxes probed at once: each is its own mailbox for throttling, but stay polite. */
const CONCURRENCY = 6;

/**
 * Which of these mailboxes an application access policy keeps the app out of (GDC
 * concepts/auth-limit-mailbox-access.md: 403 ErrorAccessDenied "Access to OData is disabled."):
 * one read of each calendar's first event. Any other failure is not the policy's and is left to
 * the permission probes. Sorted, lower-case.
 */
export async function mailboxesOutsidePolicy(graph: GraphGateway, mailboxes: string[]): Promise<string[]> {
  const queue = [...new Set(mailboxes.map((m) => m.toLowerCase()))];
  const blocked: string[] = [];
  const worker = async (): Promise<void> => {
    for (let mailbox = queue.shift(); mailbox; mailbox = queue.shift()) {
      try {
        await graph.probe(`/users/${encodeURIComponent(mailbox)}/events?$top=1&$select=id`);
      } catch (error) {
        if (isAccessPolicyDenial(error)) blocked.push(mailbox);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return blocked.sort();
}
