import type { Service } from '../../server/main';
import { waitFor, type Stack } from './stack';

/**
 * What the service still has to do now: outbox rows not handed to a job yet, and jobs that are
 * due or running on any of its queues. Dead letters wait for an operator, pg-boss's own queues
 * (`__pgboss__send-it`: cron hand-overs) are not work of ours, and jobs scheduled for later (a
 * deferred room copy, the next look at the rooms' answers, a retry's backoff) are not due: a test
 * that must see those waits for their outcome instead.
 */
export async function workLeft(service: Service): Promise<number> {
  const { rows } = await service.database.executeSql(
    `SELECT (SELECT count(*) FROM hector_outbox WHERE dispatched_at IS NULL)
          + (SELECT count(*) FROM pgboss.job
              WHERE name NOT LIKE '%-dead' AND name NOT LIKE '\\_\\_pgboss\\_\\_%'
                AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now()))) AS n`,
  );
  return Number(rows[0].n);
}

/**
 * Resolves once everything set off so far has run to its recorded outcome: the emulator has
 * delivered every notification, and the service has nothing left to do now — twice in a row, so
 * that a job finishing between the delivery and the look (its writes make new notifications) is
 * seen to. Instead of a fixed sleep before asserting that something did *not* happen: what the
 * test reads afterwards is final, however slow the machine.
 */
export async function settled(stack: Stack, { timeoutMs = 15_000 } = {}): Promise<void> {
  const idle = async (): Promise<boolean> => {
    await stack.emulator.control.flushNotifications();
    return (await workLeft(stack.service)) === 0;
  };
  await waitFor(async () => (await idle()) && idle(), { timeoutMs, what: 'the service to settle' });
}
