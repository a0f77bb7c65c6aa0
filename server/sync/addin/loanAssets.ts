import { AppError, notFound } from '../../errors';
import type { ItemRef, Loan } from '../../hector/port';
import type { AddinCaller } from './addinLoan';
import { toLoanView, type Language } from './loanView';
import { meetingLoans, requireLoans, requireOrganizer } from './meetingLoans';
import type { AddinActionDeps } from './meetingLoans';
import { localizeReason } from './reasonWording';
import type { AddinAsset, AddinAssetsResponse, LoanItemsChanged, LoanScope } from '../../../contract/addin';

/**
 * B7: Hector's assets on the meeting's loan. The list shows each active asset of the loan's store
 * with its availability over the loan's dates (V4, the loan itself excluded); the organizer adds
 * and removes them. A change is written with origin `hector`: it is Hector's change to an
 * Outlook-made loan, so outbound writes the loan's items into the organizer's event body (HC4).
 */
export async function listMeetingAssets(
  caller: AddinCaller,
  itemId: string,
  language: Language,
  deps: AddinActionDeps,
): Promise<AddinAssetsResponse> {
  const found = await meetingLoans(caller, itemId, undefined, deps);
  // A series shows its next occurrence's loan: each change can reach every upcoming one.
  const loan = found.loans[0] ?? null;
  const assets = (await deps.hector.listAssets()).filter(
    (a) => a.active && (!loan || a.storeId === loan.store.id),
  );
  const onLoan = new Set(
    (loan?.items ?? []).filter((i) => i.kind === 'asset' && i.status === 'active').map((i) => i.id),
  );
  const conflicts =
    loan && assets.length > 0
      ? (
          await deps.hector.checkAvailability(
            assets.map((a) => ({ kind: 'asset' as const, id: a.id })),
            loan.start,
            loan.end,
            loan.id,
          )
        ).conflicts
      : [];
  const items = assets.map((asset): AddinAsset => {
    const taken = conflicts.filter((c) => c.itemId === asset.id);
    if (!loan) {
      return {
        id: asset.id,
        name: asset.name,
        category: asset.category,
        available: false,
        reason: text.noLoan[language],
        onLoan: false,
      };
    }
    if (taken.length === 0) {
      return {
        id: asset.id,
        name: asset.name,
        category: asset.category,
        available: true,
        onLoan: onLoan.has(asset.id),
      };
    }
    const numbers = [...new Set(taken.map((c) => `#${c.loanNumber}`))].join(', ');
    return {
      id: asset.id,
      name: asset.name,
      category: asset.category,
      available: false,
      reason: localizeReason(`${asset.name} is taken by loan ${numbers}`, language),
      onLoan: false,
    };
  });
  return { items, canChange: found.isOrganizer && loan !== null };
}

export async function addMeetingAsset(
  caller: AddinCaller,
  input: { itemId: string; assetId: string; scope?: LoanScope },
  language: Language,
  deps: AddinActionDeps,
): Promise<LoanItemsChanged> {
  const found = await meetingLoans(caller, input.itemId, input.scope, deps);
  requireOrganizer(found);
  const loans = requireLoans(found);
  const asset = (await deps.hector.listAssets()).find((a) => a.id === input.assetId.toLowerCase());
  if (!asset || !asset.active) throw notFound(`No asset with id ${input.assetId}.`);
  const targets = loans.filter((loan) => !activeAssetIds(loan).includes(asset.id));
  // V4 over every loan first: either each upcoming occurrence gets the asset, or none does.
  for (const loan of targets) {
    const { conflicts } = await deps.hector.checkAvailability(
      [{ kind: 'asset', id: asset.id }],
      loan.start,
      loan.end,
      loan.id,
    );
    if (conflicts.length > 0) {
      const numbers = [...new Set(conflicts.map((c) => c.loanNumber))].map((n) => `#${n}`).join(', ');
      throw new AppError(
        'LOAN_CONFLICT',
        `${asset.name} is not available: it is already lent by loan ${numbers} over these dates.`,
        { loanNumber: conflicts[0].loanNumber, conflicts },
      );
    }
  }
  const changed: Loan[] = [];
  for (const loan of loans) {
    changed.push(
      targets.includes(loan)
        ? await deps.hector.updateLoan(
            loan.id,
            { items: [...activeRefs(loan), { kind: 'asset', id: asset.id }] },
            'hector',
          )
        : loan,
    );
  }
  return { loans: changed.map((l) => toLoanView(l, language, deps.loanUrl)) };
}

export async function removeMeetingAsset(
  caller: AddinCaller,
  input: { itemId: string; assetId: string; scope?: LoanScope },
  deps: AddinActionDeps,
): Promise<void> {
  const found = await meetingLoans(caller, input.itemId, input.scope, deps);
  requireOrganizer(found);
  const assetId = input.assetId.toLowerCase();
  const loans = requireLoans(found).filter((loan) => activeAssetIds(loan).includes(assetId));
  if (loans.length === 0) throw notFound('This asset is not on the meeting’s loan.');
  for (const loan of loans) {
    await deps.hector.updateLoan(
      loan.id,
      { items: activeRefs(loan).filter((r) => !(r.kind === 'asset' && r.id === assetId)) },
      'hector',
    );
  }
}

const activeAssetIds = (loan: Loan): string[] =>
  loan.items.filter((i) => i.kind === 'asset' && i.status === 'active').map((i) => i.id);

const activeRefs = (loan: Loan): ItemRef[] =>
  loan.items.filter((i) => i.status === 'active').map((i) => ({ kind: i.kind, id: i.id }));

const text = {
  noLoan: {
    fr: 'La réunion n’a pas encore de prêt Hector : enregistrez-la avec une salle synchronisée.',
    en: 'The meeting has no Hector loan yet: save it with a synced room.',
  },
} as const;
