import type { EmulatorControl } from '../../emulator';
import type { ListOf, Loan, NewLoan, Place } from '../../contract/hector';
import type { ApiClient } from './client';
import { addMinutes, describeSlot, workingDay } from './time';

/**
 * `--activity`: people book, move and cancel rooms in the emulator (as in Outlook) and a few
 * loans are made and cancelled in Hector through its API, one step every few seconds. Each step
 * prints one line; the sync's decisions are printed by the journal feed.
 */
const PEOPLE = [
  'camille.martin',
  'lea.dubois',
  'hugo.bernard',
  'chloe.thomas',
  'lucas.petit',
  'manon.robert',
].map((n) => `${n}@universite.test`);
const ROOMS = ['a001', 'a102', 'a201', 'b102', 'b201', 'b202'].map((n) => `salle-${n}@universite.test`);
const SUBJECTS = ['Cours de statistiques', 'Réunion de labo', 'Jury de master', 'Séminaire', 'Atelier'];

interface BookedMeeting {
  organizer: string;
  eventId: string;
  room: string;
  subject: string;
  start: Date;
}

export interface ActivityDeps {
  control: EmulatorControl;
  api: ApiClient;
  print: (line: string) => void;
  intervalMs?: number;
}

export function playActivity(deps: ActivityDeps): { stop(): void } {
  const { control, api, print } = deps;
  const meetings: BookedMeeting[] = [];
  const loans: Loan[] = [];
  let step = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
  const known = new Set(control.state().users.map((u) => u.userPrincipalName?.toLowerCase()));
  const people = PEOPLE.filter((p) => known.has(p));

  // Slots in days 3–7 ahead, on the hour, 08:00–15:00 UTC: clear of the ready-made meetings.
  const slot = (): Date => workingDay(3 + (step % 5), `${String(8 + ((step * 3) % 8)).padStart(2, '0')}:00`);
  const name = (email: string) => email.split('@')[0];

  const book = (): void => {
    const organizer = pick(people);
    const room = pick(ROOMS);
    const subject = pick(SUBJECTS);
    const start = slot();
    const event = control.person(organizer).createMeeting({
      subject,
      start: start.toISOString(),
      end: addMinutes(start, 60).toISOString(),
      rooms: [room],
      attendees: [pick(people.filter((p) => p !== organizer))],
    });
    meetings.push({ organizer, eventId: event.id!, room, subject, start });
    print(
      `▶ Outlook  ${name(organizer)} books ${name(room)} for "${subject}", ${describeSlot(start, addMinutes(start, 60))}`,
    );
  };
  const move = (): void => {
    const meeting = meetings.length ? pick(meetings) : undefined;
    if (!meeting) return book();
    meeting.start = addMinutes(meeting.start, 60);
    control.person(meeting.organizer).moveMeeting(meeting.eventId, {
      start: meeting.start.toISOString(),
      end: addMinutes(meeting.start, 60).toISOString(),
    });
    print(
      `▶ Outlook  ${name(meeting.organizer)} moves "${meeting.subject}" to ${describeSlot(meeting.start, addMinutes(meeting.start, 60))}`,
    );
  };
  const cancel = (): void => {
    const meeting = meetings.shift();
    if (!meeting) return book();
    control.person(meeting.organizer).cancelMeeting(meeting.eventId);
    print(`▶ Outlook  ${name(meeting.organizer)} cancels "${meeting.subject}"`);
  };
  const lend = async (): Promise<void> => {
    const { items } = await api.get<ListOf<Place>>('/api/hector/places?synced=true&active=true');
    const place = pick(items.filter((p) => ROOMS.includes(p.email?.toLowerCase() ?? '')));
    if (!place) return;
    const requester = pick(people);
    const start = addMinutes(slot(), 30);
    const loan = await api.send<Loan>('POST', '/api/hector/loans', {
      requester: { email: requester },
      start: start.toISOString(),
      end: addMinutes(start, 30).toISOString(),
      items: [{ kind: 'place', id: place.id }],
    } satisfies NewLoan);
    loans.push(loan);
    print(
      `▶ Hector   loan #${loan.number} of ${place.name} for ${name(requester)}, ${describeSlot(loan.start, loan.end)}`,
    );
  };
  const cancelLoan = async (): Promise<void> => {
    const loan = loans.shift();
    if (!loan) return lend();
    await api.send('POST', `/api/hector/loans/${loan.id}/cancel`);
    print(`▶ Hector   loan #${loan.number} cancelled in Hector`);
  };

  const script: Array<() => void | Promise<void>> = [
    book,
    book,
    lend,
    move,
    book,
    cancel,
    lend,
    cancelLoan,
    move,
  ];
  const tick = (): void => {
    if (stopped) return;
    const action = script[step % script.length];
    step++;
    Promise.resolve()
      .then(action)
      .catch((error: unknown) =>
        print(`▶ (that step failed: ${error instanceof Error ? error.message : String(error)})`),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.intervalMs ?? 6000);
      });
  };
  timer = setTimeout(tick, 1000);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
