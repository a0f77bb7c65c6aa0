import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS } from '../../emulator';
import type { JournalEntry, JournalPage } from '../../contract/journal';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// Issue 15, "messages in the admin's language" (B4): real decisions of the sync — inbound created,
// updated, cancelled and ignored, a series line, an outbound decision and an error — each read
// back in French with ?lang=fr and in English with ?lang=en, the stored English unchanged.
jest.setTimeout(90_000);

const HUGO = 'hugo.bernard@universite.test';
const A001 = 'salle-a001@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A103 = 'salle-a103@universite.test';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const DAY = 86_400_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'journal-i18n' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const person = (upn: string) => stack.emulator.control.person(upn);

async function journalIn(lang: 'fr' | 'en', query: Record<string, string>): Promise<JournalEntry[]> {
  const res = await request(stack.service.url)
    .get('/api/admin/journal')
    .query({ limit: '1000', ...query, lang })
    .set(ADMIN);
  expect(res.status).toBe(200);
  return (res.body as JournalPage).items;
}

/** The entry `pick` finds, once it is there, in English and in French (same id). */
async function bothLanguages(
  query: Record<string, string>,
  pick: (e: JournalEntry) => boolean,
  what: string,
): Promise<{ en: JournalEntry; fr: JournalEntry }> {
  const en = await waitFor(async () => (await journalIn('en', query)).find(pick), { what });
  const fr = (await journalIn('fr', query)).find((e) => e.id === en.id);
  expect(fr).toBeDefined();
  expect(en.code).toBeTruthy();
  return { en, fr: fr! };
}

/** The next Saturday (UTC) after tomorrow at hh:mm: outside Hector's default opening schedule. */
function nextSaturday(hhmm: string): string {
  const d = new Date(Date.now() + 2 * DAY);
  while (d.getUTCDay() !== 6) d.setUTCDate(d.getUTCDate() + 1);
  const [h, m] = hhmm.split(':').map(Number);
  d.setUTCHours(h!, m!, 0, 0);
  return d.toISOString();
}

describe('B4 issue 15: decisions in the admin language', () => {
  it('B4: an inbound created, updated and cancelled decision read in French and in English', async () => {
    const org = person(HUGO);
    const meeting = org.createMeeting({
      subject: 'Réunion de labo',
      start: at(2, '09:00'),
      end: at(2, '10:00'),
      rooms: [A001],
    });
    const q = { iCalUId: meeting.iCalUId! };
    const created = await bothLanguages(q, (e) => e.kind === 'created', 'the created entry');
    const n = created.en.params?.loan;
    expect(typeof n).toBe('number');
    expect(created.en.code).toBe('inbound.created');
    expect(created.en.message).toBe(`Created loan #${n} from Salle A-001's copy`);
    expect(created.fr.message).toBe(`Prêt #${n} créé depuis la copie de Salle A-001`);

    org.moveMeeting(meeting.id!, { start: at(2, '09:30'), end: at(2, '10:30') });
    const updated = await bothLanguages(q, (e) => e.kind === 'updated', 'the updated entry');
    expect(updated.en.message).toMatch(new RegExp(`^Updated loan #${n} \\(start .+ → .+; end .+ → .+\\)$`));
    expect(updated.fr.message).toMatch(new RegExp(`^Prêt #${n} modifié \\(début .+ → .+ ; fin .+ → .+\\)$`));

    await settled(stack);
    org.cancelMeeting(meeting.id!);
    const cancelled = await bothLanguages(q, (e) => e.kind === 'cancelled', 'the cancelled entry');
    // The organizer's cancel reaches the room's copy first: the room left the meeting.
    expect(cancelled.en.message).toBe(
      `Cancelled loan #${n}: Salle A-001 left the meeting (its copy is gone: removed, declined or ` +
        'cancelled); no synced room is left',
    );
    expect(cancelled.fr.message).toBe(
      `Prêt #${n} annulé : Salle A-001 a quitté la réunion (sa copie a disparu : retirée, refusée ou ` +
        'annulée) ; il ne reste aucune salle synchronisée',
    );

    // No lang: the Accept-Language's; the stored text stays the English one.
    const res = await request(stack.service.url)
      .get('/api/admin/journal')
      .query({ ...q, kind: 'cancelled' })
      .set(ADMIN)
      .set('Accept-Language', 'fr-FR,fr;q=0.9,en;q=0.5');
    expect((res.body as JournalPage).items[0]!.message).toBe(cancelled.fr.message);
  });

  it('B4: an ignored decision with a Hector rule reason: the sentence in French, the rule code kept', async () => {
    const meeting = person(HUGO).createMeeting({
      subject: 'Samedi',
      start: nextSaturday('10:00'),
      end: nextSaturday('11:00'),
      rooms: [A101],
    });
    const ignored = await bothLanguages(
      { iCalUId: meeting.iCalUId! },
      (e) => e.kind === 'ignored',
      'the ignored entry',
    );
    expect(ignored.en.code).toBe('inbound.ignored');
    expect(ignored.en.message).toMatch(/^Not synced: .*The loan is outside the opening schedule of /);
    expect(ignored.fr.message).toMatch(/^Non synchronisé : .*Hors des horaires d’ouverture de /);
    expect(ignored.fr.message).not.toMatch(/outside the opening schedule/);
  });

  it('B4 B3: a series line read in French and in English', async () => {
    const start = at(6, '15:00');
    const series = person(HUGO).createMeeting({
      subject: 'Séminaire',
      start,
      end: new Date(Date.parse(start) + 3_600_000).toISOString(),
      rooms: [A102],
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [WEEKDAYS[new Date(start).getUTCDay()]!] },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: start.slice(0, 10) },
      },
    });
    const line = await bothLanguages(
      { iCalUId: series.iCalUId!, kind: 'series' },
      (e) => e.kind === 'series' && e.params?.created === 3,
      'the series line',
    );
    expect(line.en.code).toBe('series.pass');
    expect(line.en.message).toBe(
      'Series in Salle A-102: 3 occurrences in the booking window — 3 loans created.',
    );
    expect(line.fr.message).toBe(
      'Série dans Salle A-102 : 3 occurrences dans la fenêtre de réservation — 3 prêts créés.',
    );
  });

  it('B4: an outbound decision read in French and in English', async () => {
    const places = await stack.places();
    const loan = (
      await request(stack.service.url)
        .post('/api/hector/loans')
        .set(ADMIN)
        .send({
          requester: { email: HUGO, name: 'Hugo Bernard' },
          start: at(7, '14:00'),
          end: at(7, '15:00'),
          items: [{ kind: 'place', id: places.get(A103)!.id }],
        })
        .expect(201)
    ).body as { id: string; number: number };
    const created = await bothLanguages(
      { loanId: loan.id, kind: 'created' },
      (e) => e.code === 'outbound.created',
      'the outbound created entry',
    );
    expect(created.en.message).toBe(
      `Outlook: created the event of loan #${loan.number} in ${HUGO}'s calendar`,
    );
    expect(created.fr.message).toBe(
      `Outlook : événement du prêt #${loan.number} créé dans le calendrier de ${HUGO}`,
    );
  });

  it('B4 B6: an error entry read in French and in English', async () => {
    const control = stack.emulator.control;
    control.setPermissions(
      SAMPLE_CLIENT_ID,
      SAMPLE_PERMISSIONS.filter((p) => !p.startsWith('Calendars.')),
    );
    try {
      control.person(HUGO).createMeeting({
        subject: 'Soutenance',
        start: at(4, '10:00'),
        end: at(4, '11:00'),
        rooms: [A101],
      });
      const error = await bothLanguages(
        { roomEmail: A101, kind: 'error' },
        (e) => e.kind === 'error',
        'the error entry',
      );
      expect(error.en.code).toBe('failure.permission_missing');
      expect(error.en.message).toBe(
        "Hector cannot read Salle A-101's calendar: the app lacks Calendars.Read — grant it in Entra ID " +
          '(API permissions, admin consent) and press Re-sync in the admin page',
      );
      expect(error.fr.message).toBe(
        'Hector ne peut pas lire le calendrier de Salle A-101 : il manque à l’application la permission ' +
          'Calendars.Read — accordez-la dans Entra ID (autorisations d’API, consentement administrateur) ' +
          'et cliquez sur Resynchroniser dans la page d’administration',
      );
    } finally {
      control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
    }
  });
});
