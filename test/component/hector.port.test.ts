import { EmbeddedHector } from '../../server/hector/embeddedHector';
import type { Loan, Place } from '../../server/hector/port';
import { STATUS_TICK_QUEUE } from '../../server/hector/statusTick';
import type { Service } from '../../server/main';
import { startTestService } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Starting PGlite, migrating and starting pg-boss take seconds on a busy 2-core machine.
const HOOK_TIMEOUT_MS = 60_000;

/** HectorPort as the sync uses it: rooms import, origins in the outbox, and the K1 clock. */
const clock = { now: new Date('2026-11-25T08:00:00Z') };
let storage: TestStorage;
let service: Service;
let hector: EmbeddedHector;
let curie: Place;

beforeAll(async () => {
  storage = await createTestStorage('hector-port');
  // No workers: the test drives the clock and calls advanceLoanStatuses itself.
  service = await startTestService(storage, {}, { now: () => clock.now, workers: false });
  hector = new EmbeddedHector(service.database.db, () => clock.now);
  curie = await hector.upsertPlaceByEmail({
    email: 'Curie@contoso.fr',
    name: 'Salle Curie',
    address: '1 rue A',
  });
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await service?.close();
  await storage?.drop();
}, HOOK_TIMEOUT_MS);

describe('rooms import (R1)', () => {
  it('R1: upserts places by e-mail, case-insensitively, marking them synced', async () => {
    expect(curie).toMatchObject({
      name: 'Salle Curie',
      email: 'Curie@contoso.fr',
      synced: true,
      active: true,
    });
    const again = await hector.upsertPlaceByEmail({
      email: 'curie@CONTOSO.fr',
      name: 'Salle Marie Curie',
      capacity: 10,
    });
    expect(again.id).toBe(curie.id);
    expect(again).toMatchObject({ name: 'Salle Marie Curie', address: '1 rue A', capacity: 10 });
  });

  it('R1: deactivates synced places missing from the import, never manual ones, and reactivates on return', async () => {
    const gone = await hector.upsertPlaceByEmail({ email: 'gone@contoso.fr', name: 'Salle Partie' });
    const manual = await hector.createPlace({ name: 'Local vélo' });
    expect(await hector.deactivatePlacesNotIn(['CURIE@contoso.fr'])).toBe(1);
    const places = new Map((await hector.listPlaces()).map((p) => [p.id, p]));
    expect(places.get(gone.id)?.active).toBe(false);
    expect(places.get(curie.id)?.active).toBe(true);
    expect(places.get(manual.id)?.active).toBe(true);
    expect((await hector.listPlaces({ synced: true, active: true })).map((p) => p.id)).toEqual([curie.id]);
    expect((await hector.upsertPlaceByEmail({ email: 'gone@contoso.fr', name: 'Salle Partie' })).active).toBe(
      true,
    );
  });
});

describe('origin and outbox', () => {
  it('records each change with its origin so outbound sync can skip what came from Outlook', async () => {
    const loan = await hector.createLoan(
      {
        requester: { email: 'organizer@contoso.fr', name: 'Org' },
        start: '2026-12-01T09:00:00Z',
        end: '2026-12-01T10:00:00Z',
        items: [{ kind: 'place', id: curie.id }],
      },
      'outlook',
    );
    expect(loan.origin).toBe('outlook');
    await hector.updateLoan(loan.id, { end: '2026-12-01T10:30:00Z' }, 'outlook', 1);
    await hector.cancelLoan(loan.id, 'hector');
    const pending = (await hector.pendingOutbox(100)).filter((e) => e.loanId === loan.id);
    expect(pending.map((e) => [e.origin, e.change])).toEqual([
      ['outlook', { type: 'created', number: loan.number }],
      ['outlook', { type: 'updated', changed: ['end'] }],
      ['hector', { type: 'status', from: 'new', to: 'cancelled' }],
    ]);
    await hector.markDispatched(pending.map((e) => e.id));
    expect((await hector.pendingOutbox(100)).filter((e) => e.loanId === loan.id)).toEqual([]);
  });

  it('writes nothing when an update changes nothing (sync convergence)', async () => {
    const loan = await hector.createLoan(
      {
        requester: { email: 'organizer@contoso.fr' },
        start: '2026-12-02T09:00:00Z',
        end: '2026-12-02T10:00:00Z',
        items: [{ kind: 'place', id: curie.id }],
      },
      'outlook',
    );
    const same = await hector.updateLoan(
      loan.id,
      { start: loan.start, end: loan.end, items: [{ kind: 'place', id: curie.id }] },
      'outlook',
    );
    expect(same.version).toBe(1);
    expect((await hector.pendingOutbox(100)).filter((e) => e.loanId === loan.id)).toHaveLength(1);
  });

  it('V4: checkAvailability excludes the loan itself and validateLoan reports rules without writing', async () => {
    const [loan] = await hector.findLoans({ from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z' });
    const busy = await hector.checkAvailability([{ kind: 'place', id: curie.id }], loan.start, loan.end);
    expect(busy.conflicts).toEqual([
      { itemId: curie.id, itemName: 'Salle Marie Curie', loanId: loan.id, loanNumber: loan.number },
    ]);
    const self = await hector.checkAvailability(
      [{ kind: 'place', id: curie.id }],
      loan.start,
      loan.end,
      loan.id,
    );
    expect(self).toEqual({ available: true, conflicts: [] });
    const rules = await hector.validateLoan({
      start: '2026-12-05T09:00:00Z',
      end: '2026-12-05T09:20:00Z',
      items: [{ kind: 'place', id: curie.id }],
    });
    expect(rules.map((r) => r.rule)).toEqual(['QUARTER_HOUR_BLOCKS']);
  });
});

describe('K1: advanceLoanStatuses with an injected clock', () => {
  let automated: Loan;
  let manual: Loan;

  beforeAll(async () => {
    // Settle the loans of the tests above (1 and 2 December) so only the two below can move.
    await hector.advanceLoanStatuses(new Date('2026-12-02T23:00:00Z'));
    const lab = await hector.createPlace({ name: 'Labo', autoCheckOut: false, autoClose: false });
    automated = await hector.createLoan(
      {
        requester: { email: 'a@contoso.fr' },
        start: '2026-12-03T09:00:00Z',
        end: '2026-12-03T10:00:00Z',
        items: [{ kind: 'place', id: curie.id }],
      },
      'hector',
    );
    manual = await hector.createLoan(
      {
        requester: { email: 'b@contoso.fr' },
        start: '2026-12-03T09:00:00Z',
        end: '2026-12-03T10:00:00Z',
        items: [{ kind: 'place', id: lab.id }],
      },
      'hector',
    );
  });

  const statusOf = async (loan: Loan) => (await hector.getLoan(loan.id))?.status;

  it('K1: nothing moves before the start', async () => {
    expect(await hector.advanceLoanStatuses(new Date('2026-12-03T08:59:00Z'))).toBe(0);
  });

  it('K1: automatic check-out at start (store option), not on the place that turned it off', async () => {
    expect(await hector.advanceLoanStatuses(new Date('2026-12-03T09:00:00Z'))).toBe(1);
    expect(await statusOf(automated)).toBe('out');
    expect(await statusOf(manual)).toBe('new');
  });

  it('K1: automatic close at end; a loan checked out by hand turns overdue 15 minutes after end', async () => {
    await hector.checkOut(manual.id, 'hector');
    expect(await hector.advanceLoanStatuses(new Date('2026-12-03T10:00:00Z'))).toBe(1);
    expect(await statusOf(automated)).toBe('completed');
    expect(await statusOf(manual)).toBe('out');
    expect(await hector.advanceLoanStatuses(new Date('2026-12-03T10:14:00Z'))).toBe(0);
    expect(await hector.advanceLoanStatuses(new Date('2026-12-03T10:15:00Z'))).toBe(1);
    expect(await statusOf(manual)).toBe('overdue');
    expect(await hector.advanceLoanStatuses(new Date('2026-12-03T11:00:00Z'))).toBe(0);
    const changes = (await hector.pendingOutbox(500))
      .filter((e) => e.loanId === automated.id)
      .map((e) => e.change);
    expect(changes).toContainEqual({ type: 'status', from: 'new', to: 'out', automatic: true });
    expect(changes).toContainEqual({ type: 'status', from: 'out', to: 'completed', automatic: true });
  });

  it('K1: a completed loan no longer blocks its slot', async () => {
    const slot = await hector.checkAvailability(
      [{ kind: 'place', id: curie.id }],
      automated.start,
      automated.end,
    );
    expect(slot.available).toBe(true);
  });

  it('K1: the tick is a pg-boss cron schedule, once a minute', async () => {
    const rows = await service.database.executeSql('SELECT name, cron FROM pgboss.schedule WHERE name = $1', [
      STATUS_TICK_QUEUE,
    ]);
    expect(rows.rows).toEqual([{ name: STATUS_TICK_QUEUE, cron: '* * * * *' }]);
  });
});
