import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorControl } from '../../emulator/control/control';
import type { Loan } from '../../contract/hector';

/**
 * What people do while the faults rain: in Outlook (the emulator's people book, move, re-room and
 * cancel single meetings; book weekly series and cancel an occurrence or the whole series) and in
 * Hector (staff create, move and cancel loans through the API, via the proxy). Each side books in
 * its own hours of the day, on 15-minute boundaries, so a clash is only ever with its own kind
 * (each side refuses those itself) — what is left is what the sync must carry across.
 */
export interface Workload {
  /** Changes that were accepted (N of the last line). */
  changes(): number;
  byKind(): Record<string, number>;
  stop(): Promise<void>;
}

interface Options {
  control: EmulatorControl;
  people: string[];
  /** Synced rooms: e-mail → Hector place id. */
  rooms: Map<string, string>;
  hectorUrl: string;
  adminToken: string;
  random: () => number;
  /** Mean pause between two actions of one actor. */
  paceMs: number;
  /** Concurrent actors per side. */
  actors: number;
}

const DAY_MS = 86_400_000;

/** A working day `d` days ahead (1 = the next) at hh:mm UTC. */
function workingDay(d: number, minutes: number): Date {
  const t = new Date();
  for (let left = d; left > 0;) {
    t.setUTCDate(t.getUTCDate() + 1);
    if (t.getUTCDay() !== 0 && t.getUTCDay() !== 6) left--;
  }
  t.setUTCHours(0, minutes, 0, 0);
  return t;
}

export function startWorkload(o: Options): Workload {
  const counts: Record<string, number> = {};
  const done = (kind: string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const pick = <T>(list: T[]): T => list[Math.floor(o.random() * list.length)];
  const roomEmails = [...o.rooms.keys()];
  let stopping = false;

  // Outlook singles 08:00–12:45, series 07:00, Hector 13:00–16:45 (UTC), 15-minute steps.
  const slot = (fromHour: number, toHour: number): { start: string; end: string } => {
    const day = 1 + Math.floor(o.random() * 18);
    const quarters = (toHour - fromHour) * 4 - 3;
    const startMin = fromHour * 60 + 15 * Math.floor(o.random() * quarters);
    const length = 15 * (2 + Math.floor(o.random() * 3));
    const start = workingDay(day, startMin);
    return { start: start.toISOString(), end: new Date(start.getTime() + length * 60_000).toISOString() };
  };

  const singles: Array<{ organizer: string; id: string }> = [];
  const series: Array<{ organizer: string; id: string; start: string }> = [];
  const loans: string[] = [];

  const outlookAction = (): void => {
    const who = pick(o.people);
    const roll = o.random();
    if (roll < 0.35 || singles.length < 5) {
      const rooms = o.random() < 0.25 ? [pick(roomEmails), pick(roomEmails)] : [pick(roomEmails)];
      const e = o.control
        .person(who)
        .createMeeting({ subject: 'Réunion', ...slot(8, 13), rooms: [...new Set(rooms)] });
      singles.push({ organizer: who, id: e.id! });
      done('outlook.create');
    } else if (roll < 0.55) {
      const m = pick(singles);
      o.control.person(m.organizer).moveMeeting(m.id, slot(8, 13));
      done('outlook.move');
    } else if (roll < 0.65) {
      const m = pick(singles);
      o.control.person(m.organizer).changeRooms(m.id, [pick(roomEmails)]);
      done('outlook.rooms');
    } else if (roll < 0.75) {
      const i = Math.floor(o.random() * singles.length);
      const [m] = singles.splice(i, 1);
      o.control.person(m.organizer).cancelMeeting(m.id);
      done('outlook.cancel');
    } else if (roll < 0.87 || series.length === 0) {
      const when = slot(7, 8);
      const start = new Date(when.start);
      const recurrence: MSGraph.PatternedRecurrence = {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: [
            ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][start.getUTCDay()],
          ] as MSGraph.DayOfWeek[],
        },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: when.start.slice(0, 10) },
      };
      const e = o.control.person(who).createMeeting({
        subject: 'Série',
        start: when.start,
        end: when.end,
        rooms: [pick(roomEmails)],
        recurrence,
      });
      series.push({ organizer: who, id: e.id!, start: when.start });
      done('outlook.series');
    } else if (roll < 0.95) {
      const s = pick(series);
      const second = new Date(Date.parse(s.start) + 7 * DAY_MS).toISOString();
      const occurrence = o.control.person(s.organizer).occurrence(s.id, second);
      o.control.person(s.organizer).cancelMeeting(occurrence.id!);
      done('outlook.cancelOccurrence');
    } else {
      const i = Math.floor(o.random() * series.length);
      const [s] = series.splice(i, 1);
      o.control.person(s.organizer).cancelMeeting(s.id);
      done('outlook.cancelSeries');
    }
  };

  const hector = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${o.hectorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${o.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };

  const hectorAction = async (): Promise<void> => {
    const roll = o.random();
    if (roll < 0.5 || loans.length < 3) {
      const room = pick(roomEmails);
      const r = await hector('POST', '/api/hector/loans', {
        requester: { email: pick(o.people) },
        ...slot(13, 17),
        items: [{ kind: 'place', id: o.rooms.get(room)! }],
      });
      if (r.status === 201) {
        loans.push((r.json as Loan).id);
        done('hector.create');
      }
    } else if (roll < 0.75) {
      const id = pick(loans);
      const current = await hector('GET', `/api/hector/loans/${id}`);
      if (current.status !== 200) return;
      const loan = current.json as Loan;
      if (!loan.allowedActions.includes('edit')) return;
      const r = await hector('PATCH', `/api/hector/loans/${id}`, { ...slot(13, 17), version: loan.version });
      if (r.status === 200) done('hector.move');
    } else {
      const i = Math.floor(o.random() * loans.length);
      const [id] = loans.splice(i, 1);
      const r = await hector('POST', `/api/hector/loans/${id}/cancel`, {});
      if (r.status === 200) done('hector.cancel');
    }
  };

  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, o.paceMs / 2 + o.random() * o.paceMs));

  const actor = async (act: () => void | Promise<void>): Promise<void> => {
    while (!stopping) {
      try {
        await act();
      } catch {
        // A meeting gone, a loan that moved on, an instance being killed: people try something else.
      }
      await pause();
    }
  };
  const running = [
    ...Array.from({ length: o.actors }, () => actor(outlookAction)),
    ...Array.from({ length: o.actors }, () => actor(hectorAction)),
  ];

  return {
    changes: () => Object.values(counts).reduce((a, b) => a + b, 0),
    byKind: () => ({ ...counts }),
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}
