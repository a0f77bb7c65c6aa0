import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { OUTBOUND_LOAN_QUEUE } from '../../server/sync/jobs';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../../server/sync/outbound/rules';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

/**
 * `npm run bench -- outbound [loans] [pace-ms]`: loans are made in Hector through the REST API,
 * then moved, then given a change Outlook does not show (notes); for each phase, the time from the
 * loan's commit (createdAt / updatedAt) to the event created / modified in the emulator
 * (createdDateTime / lastModifiedDateTime), p50 / p99, and the Graph writes per loan change (the
 * emulator counts them). Set DATABASE_URL to run it on PostgreSQL.
 */
const LOANS = Number(process.argv[2] ?? 200);
const PACE_MS = Number(process.argv[3] ?? 10);

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface LoanBody {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  requester: { email: string };
}

function eventsByLoan(stack: Stack, mailboxes: string[]): Map<string, MSGraph.Event> {
  const out = new Map<string, MSGraph.Event>();
  for (const m of mailboxes) {
    for (const e of stack.emulator.control.eventsOf(m)) {
      const id = e.isOrganizer
        ? e.singleValueExtendedProperties?.find((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID)?.value
        : undefined;
      if (id) out.set(id, e);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const stack = await startStack({ label: 'bench-outbound', env: { LOG_LEVEL: 'silent' } });
  try {
    const control = stack.emulator.control;
    const places = [...(await stack.places()).values()].sort((a, b) => a.id.localeCompare(b.id));
    const people = control
      .state()
      .users.filter(
        (u) => u.purpose === 'user' && u.accountEnabled !== false && u.mail?.endsWith('@universite.test'),
      )
      .map((u) => u.mail!.toLowerCase())
      .slice(0, 10);
    const api = () => request(stack.service.url);
    // Loan i: room i % rooms, its own hour; a move goes to the same hour a week of working days later.
    const slot = (i: number, moved: number) => {
      const n = Math.floor(i / places.length);
      const day = 1 + Math.floor(n / 8) + moved * 5;
      const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
      return { start: at(day, hh(7 + (n % 8))), end: at(day, hh(8 + (n % 8))) };
    };

    const loans: LoanBody[] = [];
    const phase = async (
      name: string,
      change: (i: number) => Promise<LoanBody>,
      visible: (loan: LoanBody, event: MSGraph.Event | undefined) => number | undefined,
    ): Promise<string> => {
      control.resetStats();
      const changed: LoanBody[] = [];
      for (let i = 0; i < LOANS; i++) {
        changed.push(await change(i));
        if (PACE_MS > 0) await new Promise((r) => setTimeout(r, PACE_MS));
      }
      const latencies = await waitFor(
        async () => {
          const events = eventsByLoan(stack, people);
          const out: number[] = [];
          for (const loan of changed) {
            const ms = visible(loan, events.get(loan.id));
            if (ms === undefined) return undefined;
            out.push(ms);
          }
          return out;
        },
        { timeoutMs: 300_000, intervalMs: 200, what: `${name}: every event` },
      );
      // The jobs of the phase have run (a change with nothing to write is not visible otherwise).
      await waitFor(async () => (await stack.service.queue.size(OUTBOUND_LOAN_QUEUE)) === 0, {
        timeoutMs: 300_000,
        what: 'the outbound queue to drain',
      });
      await new Promise((r) => setTimeout(r, 1000)); // running jobs, room checks and echoes settle
      latencies.sort((a, b) => a - b);
      const stats = control.stats();
      return (
        `  ${name}: commit → event visible p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms; ` +
        `Graph writes per loan change ${(stats.writes / LOANS).toFixed(2)} (requests ${(stats.requests / LOANS).toFixed(2)}, 429s ${stats.throttled429})`
      );
    };

    const lines = [
      `outbound bench on ${stack.service.database.kind}: ${LOANS} loans over ${places.length} rooms and ${people.length} requesters, one change every ${PACE_MS} ms`,
    ];
    lines.push(
      await phase(
        'create',
        async (i) => {
          const res = await api()
            .post('/api/hector/loans')
            .set(ADMIN)
            .send({
              requester: { email: people[i % people.length] },
              ...slot(i, 0),
              items: [{ kind: 'place', id: places[i % places.length].id }],
            })
            .expect(201);
          loans.push(res.body);
          return res.body;
        },
        (loan, e) =>
          e?.createdDateTime ? Date.parse(e.createdDateTime) - Date.parse(loan.createdAt) : undefined,
      ),
    );
    lines.push(
      await phase(
        'move (dates)',
        async (i) => {
          const res = await api()
            .patch(`/api/hector/loans/${loans[i].id}`)
            .set(ADMIN)
            .send({ ...slot(i, 1), version: loans[i].version })
            .expect(200);
          loans[i] = res.body;
          return res.body;
        },
        (loan, e) => {
          if (!e?.lastModifiedDateTime || !e.start?.dateTime) return undefined;
          const start = new Date(`${e.start.dateTime.replace(/Z$/, '')}Z`).getTime();
          const want = Date.parse((loan as LoanBody & { start: string }).start);
          return start === want ? Date.parse(e.lastModifiedDateTime) - Date.parse(loan.updatedAt) : undefined;
        },
      ),
    );
    lines.push(
      await phase(
        'notes only (no Outlook change)',
        async (i) => {
          const res = await api()
            .patch(`/api/hector/loans/${loans[i].id}`)
            .set(ADMIN)
            .send({ notes: `bench ${i}`, version: loans[i].version })
            .expect(200);
          loans[i] = res.body;
          return res.body;
        },
        () => 0,
      ),
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
