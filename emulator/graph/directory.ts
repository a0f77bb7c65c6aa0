/** Users, mailbox settings and places (rooms, room lists). GRAPH-FACTS "Rooms". */
import express from 'express';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorContext } from '../context';
import { badRequest, GraphError } from '../errors';
import { READ_MAILBOX_SETTINGS, READ_PLACES, READ_USERS, requirePermission } from './auth';
import { pageOf, parseFilter, parseTop, project, query, selectFields } from './odata';

/** The default property set of GET /users: accountEnabled is NOT in it. */
const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

function presentUser(user: MSGraph.User, select: string[] | null): Partial<MSGraph.User> {
  return project(user, select ?? DEFAULT_USER_PROPERTIES);
}

/** The Places API's largest $top (the figure; larger asks are refused here, see README). */
const PLACES_MAX_TOP = 1000;

/**
 * One page of the Places API: 100 by default, `$top` and `$skip`, `$count=true` → `@odata.count`,
 * and never an `@odata.nextLink` (docs-contrib#341, docs#6427, docs#9923, msgraph-sdk-dotnet#2190):
 * a client that waits for one imports the first 100 rooms only.
 */
export function placesPage<T>(req: express.Request, items: T[]): { value: T[]; '@odata.count'?: number } {
  const topText = query(req, '$top');
  const top = topText === undefined ? 100 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > PLACES_MAX_TOP)
    throw badRequest(`Invalid value '${topText}' for $top: use 1 to ${PLACES_MAX_TOP}.`, 'BadRequest');
  const skipText = query(req, '$skip');
  const skip = skipText === undefined ? 0 : Number(skipText);
  if (!Number.isInteger(skip) || skip < 0)
    throw badRequest(`Invalid value '${skipText}' for $skip.`, 'BadRequest');
  const count = query(req, '$count')?.toLowerCase() === 'true';
  return {
    ...(count ? { '@odata.count': items.length } : {}),
    value: items.slice(skip, skip + top),
  };
}

export function directoryRouter(ctx: EmulatorContext): express.Router {
  const router = express.Router();
  const { state } = ctx;

  router.get('/users', (req, res) => {
    requirePermission(res, READ_USERS, 'directory');
    const filter = parseFilter(query(req, '$filter'));
    const select = selectFields(query(req, '$select'));
    const users = [...state.users.values()]
      .map((u) => u.user)
      .filter((u) => filter(u as Record<string, unknown>))
      .map((u) => presentUser(u, select));
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#users`,
      ...pageOf(req, users, parseTop(req) ?? 100, ctx.url()),
    });
  });

  router.get('/users/:id', (req, res) => {
    requirePermission(res, READ_USERS, 'directory');
    // id or UPN only: a mail that is not the UPN is not a key (docs#3979).
    const u = state.resolveUserKey(req.params.id);
    if (!u)
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#users/$entity`,
      ...presentUser(u.user, selectFields(query(req, '$select'))),
    });
  });

  router.get('/users/:id/mailboxSettings', (req, res) => {
    requirePermission(res, READ_MAILBOX_SETTINGS);
    const u = state.resolveUserKey(req.params.id);
    if (!u)
      throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${req.params.id}' is invalid.`);
    const settings: MSGraph.MailboxSettings = {
      timeZone: 'Romance Standard Time',
      language: { locale: 'fr-FR', displayName: 'français (France)' },
      dateFormat: 'dd/MM/yyyy',
      timeFormat: 'HH:mm',
      userPurpose: u.purpose,
      delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
      workingHours: {
        daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        startTime: '08:00:00.0000000',
        endTime: '18:00:00.0000000',
        timeZone: { name: 'Romance Standard Time' },
      },
    };
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#users('${u.user.id}')/mailboxSettings`,
      ...project(settings, selectFields(query(req, '$select')), []),
    });
  });

  router.get('/places/microsoft.graph.room', (req, res) => {
    requirePermission(res, READ_PLACES);
    const filter = parseFilter(query(req, '$filter'));
    const rooms = [...state.rooms.values()]
      .map((r) => ({ '@odata.type': '#microsoft.graph.room', ...r.place }))
      .filter((r) => filter(r as Record<string, unknown>))
      .map((r) => project(r, selectFields(query(req, '$select'))));
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#places/microsoft.graph.room`,
      ...placesPage(req, rooms),
    });
  });

  router.get('/places/microsoft.graph.roomlist', (req, res) => {
    requirePermission(res, READ_PLACES);
    const lists = state.roomLists.map((l) => ({ '@odata.type': '#microsoft.graph.roomList', ...l }));
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#places/microsoft.graph.roomList`,
      ...pageOf(req, lists, parseTop(req) ?? 100, ctx.url()),
    });
  });

  // Rooms of one list: /places/{listEmail}/microsoft.graph.roomlist/rooms
  router.get('/places/:list/microsoft.graph.roomlist/rooms', (req, res) => {
    requirePermission(res, READ_PLACES);
    const key = req.params.list.toLowerCase();
    const list = state.roomLists.find((l) => l.emailAddress?.toLowerCase() === key || l.id === key);
    if (!list) throw new GraphError(404, 'ErrorItemNotFound', 'The room list was not found.');
    const rooms = [...state.rooms.values()]
      .filter((r) => r.roomListEmail.toLowerCase() === list.emailAddress?.toLowerCase())
      .map((r) => ({ '@odata.type': '#microsoft.graph.room', ...r.place }));
    res.json(pageOf(req, rooms, parseTop(req) ?? 100, ctx.url()));
  });

  return router;
}
