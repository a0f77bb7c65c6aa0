import type { EmulatorControl } from '../../emulator';
import type { Loan } from '../../contract/hector';
import type { JournalPage } from '../../contract/journal';
import type { ApiClient } from './client';
import { addMinutes, workingDay } from './time';

/**
 * The ready-made meetings: created in the emulator at every run (its calendars live in memory),
 * so the add-in harness always has something to show — two that become loans, and two that do
 * not, each for a reason the add-in explains (a room declined; only an ignored room).
 */
export interface ReadyMeeting {
  key: string;
  subject: string;
  organizer: string;
  attendee: string;
  rooms: string[];
  start: Date;
  end: Date;
  /** Whether the sync should make a loan of it. */
  expectLoan: boolean;
  /** Why not, in words, when expectLoan is false. */
  note?: string;
  iCalUId?: string;
  organizerEventId?: string;
  attendeeEventId?: string;
  loan?: Loan;
}

const domain = 'universite.test';
const upn = (name: string) => `${name}@${domain}`;

export function readyMeetingPlan(now: Date = new Date()): ReadyMeeting[] {
  const team = workingDay(1, '09:00', now);
  const defence = workingDay(2, '13:00', now);
  return [
    {
      key: 'team',
      subject: "Réunion d'équipe",
      organizer: upn('camille.martin'),
      attendee: upn('lea.dubois'),
      rooms: [upn('salle-a101')],
      start: team,
      end: addMinutes(team, 60),
      expectLoan: true,
    },
    {
      key: 'defence',
      subject: 'Soutenance de thèse',
      organizer: upn('hugo.bernard'),
      attendee: upn('camille.martin'),
      rooms: [upn('salle-b001'), upn('salle-b101')],
      start: defence,
      end: addMinutes(defence, 120),
      expectLoan: true,
    },
    {
      key: 'declined',
      subject: 'Point projet (salle déjà prise)',
      organizer: upn('lea.dubois'),
      attendee: upn('hugo.bernard'),
      rooms: [upn('salle-a101')],
      start: addMinutes(team, 30),
      end: addMinutes(team, 90),
      expectLoan: false,
      note: 'Salle A-101 declines: it is already booked',
    },
    {
      key: 'ignored',
      subject: 'Café des doctorants',
      organizer: upn('hugo.bernard'),
      attendee: upn('lea.dubois'),
      rooms: [upn('salle-b103')],
      start: addMinutes(defence, -120),
      end: addMinutes(defence, -60),
      expectLoan: false,
      note: 'its only room, Salle B-103, is tagged non-hector',
    },
  ];
}

/** Creates the meetings as their organizers would in Outlook; fills in the ids. */
export function createReadyMeetings(control: EmulatorControl, plan: ReadyMeeting[]): ReadyMeeting[] {
  for (const meeting of plan) {
    const event = control.person(meeting.organizer).createMeeting({
      subject: meeting.subject,
      start: meeting.start.toISOString(),
      end: meeting.end.toISOString(),
      rooms: meeting.rooms,
      attendees: [meeting.attendee],
      body: 'Réunion créée par la démo de hector-outlook.',
    });
    meeting.iCalUId = event.iCalUId ?? undefined;
    meeting.organizerEventId = event.id ?? undefined;
  }
  return plan;
}

/**
 * Fills in the attendees' copies: they arrive with the rooms' answers, seconds after the
 * organizer saved (the demo's emulator answers late, as Exchange does).
 */
export async function findAttendeeCopies(control: EmulatorControl, plan: ReadyMeeting[]): Promise<void> {
  await control.flushNotifications(); // waits for the rooms' (and the attendees') processing
  for (const meeting of plan) {
    meeting.attendeeEventId =
      control.eventsOf(meeting.attendee).find((e) => e.iCalUId === meeting.iCalUId)?.id ?? undefined;
  }
}

/** Waits until every meeting that should become a loan has one (or the time is up). */
export async function waitForReadyLoans(
  api: ApiClient,
  plan: ReadyMeeting[],
  timeoutMs: number,
): Promise<ReadyMeeting[]> {
  const deadline = Date.now() + timeoutMs;
  const waiting = () => plan.filter((m) => m.expectLoan && !m.loan && m.iCalUId);
  while (waiting().length > 0 && Date.now() < deadline) {
    for (const meeting of waiting()) {
      const { items } = await api
        .get<JournalPage>(`/api/admin/journal?iCalUId=${encodeURIComponent(meeting.iCalUId!)}&limit=20`)
        .catch((): JournalPage => ({ items: [], nextCursor: null }));
      const loanId = items.find((i) => i.loanId)?.loanId;
      if (loanId) meeting.loan = await api.get<Loan>(`/api/hector/loans/${loanId}`).catch(() => undefined);
    }
    if (waiting().length > 0) await new Promise((r) => setTimeout(r, 250));
  }
  return plan;
}
