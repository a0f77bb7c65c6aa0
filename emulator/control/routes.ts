/** The control API over HTTP under /_emulator (no auth, JSON): a thin mapping onto EmulatorControl. */
import express from 'express';
import { GraphError } from '../errors';
import type { LifecycleEvent } from '../notify/notifier';
import { isSeedName } from '../seed';
import { accessPolicyRouter } from './accessPolicies';
import type { AppSecretChange } from './appSecrets';
import type {
  ApiAppChange,
  EmulatorControl,
  MeetingChange,
  MeetingInput,
  NewRoomInput,
  RoomChange,
  SeedName,
} from './control';

export function controlRouter(control: EmulatorControl): express.Router {
  const router = express.Router();
  router.use(express.json());

  // No seed (or tenant) in the body: back to the tenant the emulator started with.
  const seedOf = (req: express.Request): SeedName | undefined => {
    const body = (req.body ?? {}) as { seed?: unknown; tenant?: unknown };
    const name = body.tenant ?? body.seed;
    if (name === undefined) return undefined;
    if (!isSeedName(name))
      throw new GraphError(
        400,
        'ErrorInvalidRequest',
        `Unknown tenant '${String(name)}': use 'sample' or 'empty'.`,
      );
    return name;
  };

  router.post('/reset', (req, res) => {
    control.reset(seedOf(req));
    control.resetFaults();
    control.resetStats();
    res.json({ ok: true });
  });
  router.post('/seed', (req, res) => {
    control.reset(seedOf(req));
    res.json({ ok: true });
  });

  router.get('/clock', (_req, res) => {
    res.json({ now: control.clock.now().toISOString() });
  });
  router.post('/clock', (req, res) => {
    const body = (req.body ?? {}) as { advanceMs?: number; set?: string };
    if (body.set) control.clock.set(body.set);
    if (body.advanceMs) control.clock.advance(body.advanceMs);
    res.json({ now: control.clock.now().toISOString() });
  });

  router.get('/faults', (_req, res) => {
    res.json(control.faults());
  });
  router.put('/faults', (req, res) => {
    res.json(control.setFaults(req.body ?? {}));
  });
  router.delete('/faults', (_req, res) => {
    res.json(control.resetFaults());
  });

  router.get('/state', (_req, res) => {
    res.json(control.state());
  });
  router.get('/stats', (_req, res) => {
    res.json({ ...control.stats(), deliveries: control.deliveries() });
  });
  router.delete('/stats', (_req, res) => {
    control.resetStats();
    res.status(204).end();
  });
  router.get('/msal', (_req, res) => {
    res.json(control.msalAuthOptions());
  });

  router.post('/rooms', (req, res) => {
    res.status(201).json(control.addRoom((req.body ?? {}) as NewRoomInput));
  });
  router.put('/rooms/:email', (req, res) => {
    const room = control.updateRoom(req.params.email, (req.body ?? {}) as RoomChange);
    res.json(room ?? { removed: true });
  });
  router.put('/permissions/:clientId', (req, res) => {
    const body = req.body as { permissions?: string[] } | string[];
    control.setPermissions(req.params.clientId, Array.isArray(body) ? body : (body.permissions ?? []));
    res.json({ ok: true });
  });
  router.get('/apps/:clientId', (req, res) => {
    const api = control.apiApp();
    if (req.params.clientId.toLowerCase() === api.clientId.toLowerCase()) {
      res.json(api);
      return;
    }
    const app = control.app(req.params.clientId);
    if (!app) throw new GraphError(404, 'NotFound', `No app '${req.params.clientId}'.`);
    res.json(app);
  });
  // {secretExpiresAt}: a service app's secret (appSecrets.ts); anything else: the add-in API app.
  router.put('/apps/:clientId', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if ('secretExpiresAt' in body) {
      if (Object.keys(body).length > 1)
        throw new GraphError(
          400,
          'ErrorInvalidRequest',
          "Change secretExpiresAt alone: the other fields are the add-in API app's.",
        );
      res.json(control.setSecretExpiry(req.params.clientId, body as unknown as AppSecretChange));
      return;
    }
    res.json(control.configureApiApp(req.params.clientId, body as ApiAppChange));
  });
  router.post('/tokens/user', async (req, res) => {
    res.json({ access_token: await control.issueUserToken(req.body ?? {}) });
  });

  router.post('/subscriptions/:id/lifecycle', async (req, res) => {
    const event = ((req.body ?? {}) as { event?: LifecycleEvent }).event ?? 'missed';
    const delivery = await control.sendLifecycle(req.params.id, event);
    res
      .status(delivery ? 200 : 404)
      .json(
        delivery ?? { error: { code: 'NotFound', message: 'No such subscription or no lifecycle URL.' } },
      );
  });
  router.post('/subscriptions/:id/expire', (req, res) => {
    res.status(control.expireSubscription(req.params.id) ? 204 : 404).end();
  });
  router.post('/delta/expire', (_req, res) => {
    control.expireDeltaTokens();
    res.status(204).end();
  });
  router.post('/notifications/flush', async (_req, res) => {
    await control.flushNotifications();
    res.status(204).end();
  });

  router.get('/people/:upn/events', (req, res) => {
    res.json({ value: control.eventsOf(req.params.upn) });
  });
  router.post('/people/:upn/meetings', (req, res) => {
    res.status(201).json(control.person(req.params.upn).createMeeting(req.body as MeetingInput));
  });
  router.patch('/people/:upn/meetings/:eventId', (req, res) => {
    res.json(control.person(req.params.upn).updateMeeting(req.params.eventId, req.body as MeetingChange));
  });
  router.get('/people/:upn/meetings/:eventId/occurrences', (req, res) => {
    const { from, to, originalStart } = req.query as Record<string, string | undefined>;
    const person = control.person(req.params.upn);
    if (originalStart) {
      res.json(person.occurrence(req.params.eventId, originalStart));
      return;
    }
    if (!from || !to)
      throw new GraphError(400, 'ErrorInvalidRequest', 'Give from and to (ISO instants), or originalStart.');
    res.json({ value: person.occurrences(req.params.eventId, from, to) });
  });
  router.post('/people/:upn/meetings/:eventId/cancel', (req, res) => {
    control.person(req.params.upn).cancelMeeting(req.params.eventId);
    res.status(204).end();
  });
  router.post('/people/:upn/meetings/:eventId/:response', (req, res) => {
    const map = {
      accept: 'accepted',
      decline: 'declined',
      tentativelyAccept: 'tentativelyAccepted',
    } as const;
    const response = map[req.params.response as keyof typeof map];
    if (!response) throw new GraphError(404, 'NotFound', `Unknown action '${req.params.response}'.`);
    control.person(req.params.upn).respond(req.params.eventId, response);
    res.status(204).end();
  });
  router.delete('/people/:upn/meetings/:eventId', (req, res) => {
    control.person(req.params.upn).deleteMeeting(req.params.eventId);
    res.status(204).end();
  });
  router.get('/events/by-ical/:iCalUId', (req, res) => {
    res.json({ value: control.findEventsByICalUId(req.params.iCalUId) });
  });

  // Application access policies (issue 13), in a file of their own.
  router.use(accessPolicyRouter(control));

  return router;
}
