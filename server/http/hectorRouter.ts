import { Router, type Request, type Response } from 'express';
import type { Asset, Availability, ListOf, Loan as LoanAnswer, Place, Store } from '../../contract/hector';
import { notFound } from '../errors';
import type { HectorService, Loan } from '../hector/port';
import { allowedCommands, allowedItemActions, allowedNext } from '../hector/statuses';
import { requireAdminToken } from './adminAuth';
import { jsonBody } from './app';
import {
  assetBody,
  assetPatchBody,
  availabilityQuery,
  listParam,
  loanPatchBody,
  loanQuery,
  newLoanBody,
  parse,
  placeBody,
  placePatchBody,
  storeBody,
  storePatchBody,
} from './hectorSchemas';

/**
 * /api/hector: Hector's stores, places, assets, loans and availability, for admins
 * (Authorization: Bearer <ADMIN_TOKEN>). Parses, authorizes and calls the loans core; every
 * rule lives there. Changes made here have origin "hector".
 */
export function hectorRouter(deps: {
  hector: HectorService;
  adminToken: string;
  jsonBodyLimit: string;
}): Router {
  const { hector } = deps;
  const router = Router();
  router.use(requireAdminToken(deps.adminToken));
  router.use(jsonBody(deps.jsonBodyLimit));

  const param = (req: Request, name: string): string => String(req.params[name]);
  const found = <T>(value: T | null, what: string, id: string): T => {
    if (value === null) throw notFound(`No ${what} with id ${id}.`);
    return value;
  };
  // The transitions go out with each loan, so that no client keeps its own copy of the table.
  const loanJson = (loan: Loan): LoanAnswer => ({
    ...loan,
    allowedStatuses: [...allowedNext(loan.status)],
    allowedActions: allowedCommands(loan.status),
    allowedItemActions: Object.fromEntries(
      loan.items.map((item) => [item.id, allowedItemActions(loan.status, item)]),
    ),
  });

  // ── stores ──
  router.get('/stores', async (_req, res: Response<ListOf<Store>>) => {
    res.json({ items: await hector.listStores() });
  });
  router.post('/stores', async (req, res: Response<Store>) => {
    res.status(201).json(await hector.createStore(parse(storeBody, req.body)));
  });
  router.get('/stores/:id', async (req, res: Response<Store>) => {
    res.json(found(await hector.getStore(param(req, 'id')), 'store', param(req, 'id')));
  });
  router.patch('/stores/:id', async (req, res: Response<Store>) => {
    res.json(await hector.updateStore(param(req, 'id'), parse(storePatchBody, req.body)));
  });

  // ── places ──
  router.get('/places', async (req, res: Response<ListOf<Place>>) => {
    const bool = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : undefined);
    res.json({
      items: await hector.listPlaces({ active: bool(req.query.active), synced: bool(req.query.synced) }),
    });
  });
  router.post('/places', async (req, res: Response<Place>) => {
    res.status(201).json(await hector.createPlace(parse(placeBody, req.body)));
  });
  router.get('/places/:id', async (req, res: Response<Place>) => {
    res.json(found(await hector.getPlace(param(req, 'id')), 'place', param(req, 'id')));
  });
  router.patch('/places/:id', async (req, res: Response<Place>) => {
    res.json(await hector.updatePlace(param(req, 'id'), parse(placePatchBody, req.body)));
  });

  // ── assets ──
  router.get('/assets', async (_req, res: Response<ListOf<Asset>>) => {
    res.json({ items: await hector.listAssets() });
  });
  router.post('/assets', async (req, res: Response<Asset>) => {
    res.status(201).json(await hector.createAsset(parse(assetBody, req.body)));
  });
  router.get('/assets/:id', async (req, res: Response<Asset>) => {
    res.json(found(await hector.getAsset(param(req, 'id')), 'asset', param(req, 'id')));
  });
  router.patch('/assets/:id', async (req, res: Response<Asset>) => {
    res.json(await hector.updateAsset(param(req, 'id'), parse(assetPatchBody, req.body)));
  });

  // ── loans ──
  router.get('/loans', async (req, res: Response<ListOf<LoanAnswer>>) => {
    const q = req.query;
    const filter = parse(
      loanQuery,
      {
        from: q.from,
        to: q.to,
        placeId: q.placeId,
        status: q.status === undefined ? undefined : listParam(q.status),
        requesterEmail: q.requesterEmail,
        limit: q.limit,
      },
      'query',
    );
    res.json({ items: (await hector.findLoans(filter)).map(loanJson) });
  });
  router.post('/loans', async (req, res: Response<LoanAnswer>) => {
    res.status(201).json(loanJson(await hector.createLoan(parse(newLoanBody, req.body), 'hector')));
  });
  router.get('/loans/:id', async (req, res: Response<LoanAnswer>) => {
    res.json(loanJson(found(await hector.getLoan(param(req, 'id')), 'loan', param(req, 'id'))));
  });
  router.patch('/loans/:id', async (req, res: Response<LoanAnswer>) => {
    const { version, ...patch } = parse(loanPatchBody, req.body);
    res.json(loanJson(await hector.updateLoan(param(req, 'id'), patch, 'hector', version)));
  });
  router.post('/loans/:id/cancel', async (req, res: Response<LoanAnswer>) => {
    res.json(loanJson(await hector.cancelLoan(param(req, 'id'), 'hector')));
  });
  router.post('/loans/:id/refuse', async (req, res: Response<LoanAnswer>) => {
    res.json(loanJson(await hector.refuseLoan(param(req, 'id'), 'hector')));
  });
  router.post('/loans/:id/check-out', async (req, res: Response<LoanAnswer>) => {
    res.json(loanJson(await hector.checkOut(param(req, 'id'), 'hector')));
  });
  router.post('/loans/:id/return', async (req, res: Response<LoanAnswer>) => {
    res.json(loanJson(await hector.returnLoan(param(req, 'id'), 'hector')));
  });
  router.post('/loans/:id/items/:itemId/cancel', async (req, res: Response<LoanAnswer>) => {
    res.json(loanJson(await hector.cancelItem(param(req, 'id'), param(req, 'itemId'), 'hector')));
  });

  // ── availability ──
  router.get('/availability', async (req, res: Response<Availability>) => {
    const q = req.query;
    const query = parse(
      availabilityQuery,
      {
        placeId: listParam(q.placeId),
        assetId: listParam(q.assetId),
        from: q.from,
        to: q.to,
        excludeLoanId: q.excludeLoanId,
      },
      'query',
    );
    const items = [
      ...query.placeId.map((id) => ({ kind: 'place' as const, id })),
      ...query.assetId.map((id) => ({ kind: 'asset' as const, id })),
    ];
    res.json(await hector.checkAvailability(items, query.from, query.to, query.excludeLoanId));
  });

  return router;
}
