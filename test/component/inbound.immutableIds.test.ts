import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Loan } from '../../contract/hector';
import type { Service } from '../../server/main';
import { hashClientState } from '../../server/store/subscriptionDirectory';
import { IMMUTABLE_IDS_UPGRADE } from '../../server/sync/immutableIds';
import { SAMPLE_PERMISSIONS } from '../../emulator/seed';
import { graphClientFor } from '../emulator/support';
import { startTestService } from '../support/service';
import { at, startStack, waitFor, type Stack } from '../support/stack';

// Immutable ids (issue 13, part 5). Graph names items in notifications by immutable id only when
// the subscription was created with `Prefer: IdType="ImmutableId"`; GETs honour the header per
// request (GDC concepts/outlook-immutable-id.md). The service asks for them everywhere, links by
// the id its read returns, and an upgraded store (regular ids, subscriptions without the header)
// is brought over once at start-up.
jest.setTimeout(90_000);

const A101 = 'salle-a101@universite.test';
const B101 = 'salle-b101@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };

let stack: Stack;
let graph: Client;
/** The service running now: the stack's, then the upgraded one. */
let service: Service;

beforeAll(async () => {
  stack = await startStack({ label: 'immutable-ids' });
  service = stack.service;
  graph = await graphClientFor(stack.emulator);
}, 60_000);

afterAll(async () => {
  if (service !== stack?.service) await service?.close().catch(() => undefined);
  await stack?.close();
});

const control = () => stack.emulator.control;
const db = () => service.database.db;

async function loansOf(iCalUId: string): Promise<Loan[]> {
  const ids = [...new Set((await stack.journal({ iCalUId })).map((e) => e.loanId).filter(Boolean))];
  const all = await stack.loans();
  return ids.map((id) => all.find((l) => l.id === id)!).filter(Boolean);
}
const roomCopyOf = (meeting: MSGraph.Event, room: string): MSGraph.Event =>
  control()
    .findEventsByICalUId(meeting.iCalUId!)
    .find((e) => e.mailbox === room)!.event;
const immutableIdOf = async (mailbox: string, id: string): Promise<string> =>
  ((await graph.api(`/users/${mailbox}/events/${id}?$select=id`).headers(IMMUTABLE).get()) as MSGraph.Event)
    .id!;
const copyRows = (iCalUId: string) =>
  db().selectFrom('sync_room_copy').selectAll().where('ical_uid', '=', iCalUId).execute();

/**
 * A subscription as the previous version made it — no Prefer header, so its notifications name
 * copies by regular id — known to the service's store under a clientState we choose.
 */
async function subscribeWithRegularIds(room: string, clientState: string): Promise<string> {
  const created: MSGraph.Subscription = await graph.api('/subscriptions').post({
    changeType: 'created,updated,deleted',
    notificationUrl: `${service.url}/webhooks/graph`,
    lifecycleNotificationUrl: `${service.url}/webhooks/graph/lifecycle`,
    resource: `/users/${room}/events`,
    expirationDateTime: new Date(control().clock.nowMs() + 4000 * 60_000).toISOString(),
    clientState,
  });
  const now = new Date();
  await db()
    .insertInto('graph_subscriptions')
    .values({
      id: created.id!,
      room_email: room,
      resource: `/users/${room}/events`,
      client_state_hash: hashClientState(clientState),
      expires_at: new Date(created.expirationDateTime!),
      confirmed_at: now,
      created_at: new Date(now.getTime() - 86_400_000),
      id_type: null,
    })
    .execute();
  return created.id!;
}

describe('notifications naming one copy by both ids', () => {
  it('E1/OC1/OX1: a notification carrying a regular id and one carrying an immutable id for the same copy land on the same loan', async () => {
    // Both subscriptions live at once, as during an upgrade: each change reaches the service twice,
    // once under each id of A-101's copy.
    const legacy = await subscribeWithRegularIds(A101, 'legacy-state-a101');
    try {
      const meeting = control()
        .person(HUGO)
        .createMeeting({ subject: 'Jury', start: at(3, '09:00'), end: at(3, '10:00'), rooms: [A101] });
      const copy = roomCopyOf(meeting, A101);
      const immutable = await immutableIdOf(A101, copy.id!);
      expect(immutable).not.toBe(copy.id);
      await control().flushNotifications();
      const deliveredTo = (id: string) =>
        control()
          .deliveries()
          .some((d) => d.subscriptionIds.includes(id) && d.status === 202);
      await waitFor(async () => deliveredTo(legacy), { what: 'the regular-id notification' });

      const [loan] = await waitFor(async () => {
        const found = await loansOf(meeting.iCalUId!);
        return found.length === 1 && found[0].status === 'new' ? found : undefined;
      });
      // Both jobs have run: the copy is linked once, under the id the reads return.
      await waitFor(
        async () =>
          (await stack.journal({ iCalUId: meeting.iCalUId!, roomEmail: A101 })).length >= 2
            ? true
            : undefined,
        { what: 'both notifications applied' },
      );
      expect((await copyRows(meeting.iCalUId!)).map((r) => [r.room_email, r.event_id, r.state])).toEqual([
        [A101, immutable, 'live'],
      ]);

      control()
        .person(HUGO)
        .moveMeeting(meeting.id!, { start: at(3, '11:00'), end: at(3, '12:00') });
      await waitFor(async () => {
        const [now] = await loansOf(meeting.iCalUId!);
        return now && new Date(now.start).toISOString() === at(3, '11:00') ? now : undefined;
      });
      control().person(HUGO).cancelMeeting(meeting.id!);
      const after = await waitFor(async () => {
        const found = await loansOf(meeting.iCalUId!);
        return found.every((l) => l.status === 'cancelled') ? found : undefined;
      });
      expect(after.map((l) => l.id)).toEqual([loan.id]);
      // The copy's state is recorded just after the loan is written: wait for it, do not race it.
      await waitFor(async () => (await copyRows(meeting.iCalUId!)).every((r) => r.state === 'gone'), {
        what: 'the copy recorded gone',
      });
      expect((await copyRows(meeting.iCalUId!)).map((r) => [r.event_id, r.state])).toEqual([
        [immutable, 'gone'],
      ]);
    } finally {
      await graph.api(`/subscriptions/${legacy}`).delete();
      await db().deleteFrom('graph_subscriptions').where('id', '=', legacy).execute();
    }
  });
});

/**
 * Yesterday's data, today's version: two meetings become loans, the store is left as the previous
 * version left it, the new version starts on it; then one meeting moves and the other is cancelled.
 * `refuseTranslation`: the tenant refuses translateExchangeIds to the app (the current Learn page
 * lists no application permission for it), so the ids are translated by reading each event.
 */
async function upgradeScenario(day: number, refuseTranslation: boolean): Promise<void> {
  // Yesterday: two meetings became loans while the previous version ran…
  const moved = control()
    .person(HUGO)
    .createMeeting({ subject: 'Conseil', start: at(day, '09:00'), end: at(day, '10:00'), rooms: [A101] });
  const cancelled = control()
    .person(LEA)
    .createMeeting({ subject: 'Atelier', start: at(day, '14:00'), end: at(day, '15:00'), rooms: [B101] });
  const loanOf = (m: MSGraph.Event) =>
    waitFor(async () => {
      const found = await loansOf(m.iCalUId!);
      return found.length === 1 && found[0].status === 'new' ? found[0] : undefined;
    });
  const movedLoan = await loanOf(moved);
  const cancelledLoan = await loanOf(cancelled);
  await control().flushNotifications();

  // …and left the store as that version did: room copies linked under their regular ids,
  // subscriptions made without the header, no upgrade done.
  for (const m of [moved, cancelled]) {
    for (const row of await copyRows(m.iCalUId!)) {
      await db()
        .updateTable('sync_room_copy')
        .set({ event_id: roomCopyOf(m, row.room_email).id! })
        .where('room_email', '=', row.room_email)
        .where('event_id', '=', row.event_id)
        .execute();
    }
  }
  const rows = await db().selectFrom('graph_subscriptions').selectAll().execute();
  for (const row of rows) {
    await subscribeWithRegularIds(row.room_email, `legacy-${row.room_email}`);
    await graph.api(`/subscriptions/${row.id}`).delete();
    await db().deleteFrom('graph_subscriptions').where('id', '=', row.id).execute();
  }
  await db().deleteFrom('app_state').where('key', '=', IMMUTABLE_IDS_UPGRADE).execute();
  expect(
    control()
      .state()
      .subscriptions.every((s) => !s.immutableIds),
  ).toBe(true);

  // Today: the new version starts on that store, at the same public URL.
  const permissions = refuseTranslation ? withoutTranslation() : null;
  const port = service.port;
  await service.close();
  service = await startTestService(stack.storage, {
    GRAPH_BASE_URL: stack.emulator.graphUrl,
    AUTHORITY_URL: stack.emulator.authorityUrl,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });

  // Once at start-up: each subscription replaced by one naming copies by immutable id…
  await waitFor(
    async () => {
      const subs = control().state().subscriptions;
      return subs.length === rows.length && subs.every((s) => s.immutableIds);
    },
    { what: 'the subscriptions to be replaced', timeoutMs: 30_000 },
  );
  // …and the stored ids translated (translateExchangeIds).
  await waitFor(
    async () =>
      (await db()
        .selectFrom('app_state')
        .select('key')
        .where('key', '=', IMMUTABLE_IDS_UPGRADE)
        .executeTakeFirst())
        ? true
        : undefined,
    { what: 'the id upgrade', timeoutMs: 30_000 },
  );
  if (permissions) control().setPermissions(control().clientId, permissions);
  for (const [m, room] of [
    [moved, A101],
    [cancelled, B101],
  ] as const) {
    const immutable = await immutableIdOf(room, roomCopyOf(m, room).id!);
    expect((await copyRows(m.iCalUId!)).map((r) => r.event_id)).toEqual([immutable]);
  }
  expect(
    (await db().selectFrom('graph_subscriptions').select('id_type').execute()).map((r) => r.id_type),
  ).toEqual(rows.map(() => 'immutable'));

  // A later change lands on the same loan (no duplicate)…
  control()
    .person(HUGO)
    .moveMeeting(moved.id!, { start: at(day, '10:00'), end: at(day, '11:00') });
  const movedAfter = await waitFor(async () => {
    const found = await loansOf(moved.iCalUId!);
    return found.length === 1 && new Date(found[0].start).toISOString() === at(day, '10:00')
      ? found
      : undefined;
  });
  expect(movedAfter.map((l) => [l.id, l.status])).toEqual([[movedLoan.id, 'new']]);
  // …and a cancellation, whose notification names a copy the service never read under that id,
  // cancels its loan at once (before: "gone before we ever saw it", left to reconcile).
  control().person(LEA).cancelMeeting(cancelled.id!);
  const cancelledAfter = await waitFor(async () => {
    const found = await loansOf(cancelled.iCalUId!);
    return found.length === 1 && found[0].status === 'cancelled' ? found : undefined;
  });
  expect(cancelledAfter.map((l) => l.id)).toEqual([cancelledLoan.id]);
}

/** Takes User.Read.All (what translateExchangeIds needs) from the app; returns the grants to restore. */
function withoutTranslation(): string[] {
  const before = SAMPLE_PERMISSIONS.slice();
  control().setPermissions(
    control().clientId,
    before.filter((p) => p !== 'User.Read.All'),
  );
  return before;
}

describe('upgrading a store of the previous version', () => {
  it('OU1/OX1: with yesterday’s data (regular ids, subscriptions without the header), later changes land on the same loans', async () => {
    await upgradeScenario(5, false);
  });

  it('OU1/OX1: the same when the tenant refuses translateExchangeIds to the app: each event is read with the header', async () => {
    await upgradeScenario(6, true);
  });
});
