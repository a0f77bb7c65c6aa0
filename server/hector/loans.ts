import { AppError, notFound } from '../errors';
import { findConflicts } from './availability';
import type { Catalog } from './catalog';
import { isUuid, type Db } from './db';
import { forbiddenTransition, loanConflict, notEditable, ruleViolation, versionConflict } from './errors';
import { distinctItems, resolveItems, type ResolvedItem } from './items';
import { recordChange } from './outbox';
import type { ItemRef, LoanChange, LoanPatch, NewLoan, Origin } from './port';
import { checkDates, checkLoanRules } from './rules';
import { canTransition, isEditable, isLoanStatus, type LoanStatus } from './statuses';

/**
 * Every write to a loan, each in one transaction with its outbox row: either the loan and its
 * change are both written, or nothing is (a rule or a conflict throws before any write commits).
 */
export class LoanCommands {
  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly now: () => Date,
  ) {}

  /** Returns the new loan's id. */
  async create(input: NewLoan, origin: Origin): Promise<string> {
    const start = new Date(input.start);
    const end = new Date(input.end);
    const dateViolations = checkDates(start, end);
    if (dateViolations.length > 0) throw ruleViolation(dateViolations);
    const refs = distinctItems(input.items);

    return this.db.transaction().execute(async (trx) => {
      const items = await resolveItems(trx, refs, { lock: true });
      await this.checkBookable(trx, items, start, end);
      const storeId = input.storeId
        ? (await this.catalog.requireStore(input.storeId, trx)).id
        : (items[0]?.storeId ?? (await this.catalog.defaultStore(trx)).id);
      const requester = await this.catalog.ensureUser(
        input.requester.email,
        input.requester.name,
        origin,
        trx,
      );
      const now = this.now();
      // The number is drawn only now, after every check, so refused requests leave no gap.
      const loan = await trx
        .insertInto('hector_loan')
        .values({
          requester_id: requester.id,
          store_id: storeId,
          start_at: start,
          end_at: end,
          status: input.status ?? 'new',
          origin,
          notes: input.notes ?? null,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'number'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('hector_loan_item')
        .values(
          items.map((item, position) => ({
            loan_id: loan.id,
            kind: item.kind,
            place_id: item.kind === 'place' ? item.id : null,
            asset_id: item.kind === 'asset' ? item.id : null,
            status: 'active' as const,
            position,
          })),
        )
        .execute();
      await recordChange(trx, loan.id, origin, { type: 'created', number: Number(loan.number) });
      return loan.id;
    });
  }

  async update(id: string, patch: LoanPatch, origin: Origin, expectedVersion?: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const loan = await this.lockLoan(trx, id);
      if (expectedVersion !== undefined && expectedVersion !== loan.version) {
        throw versionConflict(expectedVersion, loan.version);
      }
      const start = patch.start !== undefined ? new Date(patch.start) : loan.start_at;
      const end = patch.end !== undefined ? new Date(patch.end) : loan.end_at;
      const changed: string[] = [];
      if (start.getTime() !== loan.start_at.getTime()) changed.push('start');
      if (end.getTime() !== loan.end_at.getTime()) changed.push('end');

      const current = await trx
        .selectFrom('hector_loan_item')
        .selectAll()
        .where('loan_id', '=', id)
        .orderBy('position')
        .execute();
      const keyOf = (row: { kind: string; place_id: string | null; asset_id: string | null }) =>
        `${row.kind}:${row.place_id ?? row.asset_id}`;
      let target: ItemRef[] | undefined;
      let toCancel: typeof current = [];
      let toReactivate: typeof current = [];
      let toAdd: ItemRef[] = [];
      if (patch.items) {
        target = distinctItems(patch.items).map((r) => ({ kind: r.kind, id: r.id.toLowerCase() }));
        const wanted = new Set(target.map((r) => `${r.kind}:${r.id}`));
        const existing = new Map(current.map((row) => [keyOf(row), row]));
        toCancel = current.filter((row) => row.status === 'active' && !wanted.has(keyOf(row)));
        toReactivate = current.filter((row) => row.status === 'cancelled' && wanted.has(keyOf(row)));
        toAdd = target.filter((r) => !existing.has(`${r.kind}:${r.id}`));
        if (toCancel.length + toReactivate.length + toAdd.length > 0) changed.push('items');
      }

      let requesterId = loan.requester_id;
      if (patch.requester) {
        const requester = await this.catalog.ensureUser(
          patch.requester.email,
          patch.requester.name,
          origin,
          trx,
        );
        if (requester.id !== loan.requester_id) changed.push('requester');
        requesterId = requester.id;
      }
      const notes = patch.notes !== undefined ? patch.notes : loan.notes;
      if (notes !== loan.notes) changed.push('notes');

      const statusChange =
        patch.status !== undefined && patch.status !== loan.status ? patch.status : undefined;
      if (statusChange && !canTransition(loan.status, statusChange))
        throw forbiddenTransition(loan.status, statusChange);
      if (changed.some((c) => c !== 'notes') && !isEditable(loan.status)) throw notEditable(loan.status);

      if (changed.includes('start') || changed.includes('end') || changed.includes('items')) {
        const dateViolations = checkDates(start, end);
        if (dateViolations.length > 0) throw ruleViolation(dateViolations);
        const activeRefs: ItemRef[] =
          target ??
          current
            .filter((row) => row.status === 'active')
            .map((row) => ({ kind: row.kind, id: (row.place_id ?? row.asset_id) as string }));
        const items = await resolveItems(trx, activeRefs, { lock: true });
        await this.checkBookable(trx, items, start, end, id);
      }
      if (changed.length === 0 && !statusChange) return;

      const now = this.now();
      if (changed.length > 0) {
        for (const row of toCancel) {
          await trx
            .updateTable('hector_loan_item')
            .set({ status: 'cancelled' })
            .where('id', '=', row.id)
            .execute();
        }
        for (const row of toReactivate) {
          await trx
            .updateTable('hector_loan_item')
            .set({ status: 'active' })
            .where('id', '=', row.id)
            .execute();
        }
        if (toAdd.length > 0) {
          await trx
            .insertInto('hector_loan_item')
            .values(
              toAdd.map((ref, i) => ({
                loan_id: id,
                kind: ref.kind,
                place_id: ref.kind === 'place' ? ref.id : null,
                asset_id: ref.kind === 'asset' ? ref.id : null,
                status: 'active' as const,
                position: current.length + i,
              })),
            )
            .execute();
        }
        await recordChange(trx, id, origin, { type: 'updated', changed });
      }
      if (statusChange)
        await recordChange(trx, id, origin, { type: 'status', from: loan.status, to: statusChange });
      await trx
        .updateTable('hector_loan')
        .set({
          start_at: start,
          end_at: end,
          requester_id: requesterId,
          notes,
          status: statusChange ?? loan.status,
          updated_at: now,
          version: loan.version + 1,
        })
        .where('id', '=', id)
        .execute();
    });
  }

  /** A named action (cancel, refuse, check-out, return): allowed only from the statuses that lead there. */
  async changeStatus(
    id: string,
    to: LoanStatus,
    origin: Origin,
    change?: Partial<LoanChange>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const loan = await this.lockLoan(trx, id);
      if (!canTransition(loan.status, to)) throw forbiddenTransition(loan.status, to);
      await this.writeStatus(trx, id, loan.version, loan.status, to, origin, change);
    });
  }

  /** OU2: one item leaves the loan; with no active item left, the loan itself is cancelled. */
  async cancelItem(loanId: string, itemId: string, origin: Origin): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const loan = await this.lockLoan(trx, loanId);
      const items = await trx
        .selectFrom('hector_loan_item')
        .selectAll()
        .where('loan_id', '=', loanId)
        .execute();
      const wanted = itemId.toLowerCase();
      const item = items.find(
        (row) => row.place_id === wanted || row.asset_id === wanted || row.id === wanted,
      );
      if (!item) throw notFound(`Loan ${loan.number} has no item ${itemId}.`);
      if (item.status === 'cancelled') {
        throw new AppError('FORBIDDEN_TRANSITION', 'This item is already cancelled from the loan.');
      }
      if (!isEditable(loan.status)) throw notEditable(loan.status);
      await trx
        .updateTable('hector_loan_item')
        .set({ status: 'cancelled' })
        .where('id', '=', item.id)
        .execute();
      await recordChange(trx, loanId, origin, {
        type: 'item_cancelled',
        itemKind: item.kind,
        itemId: (item.place_id ?? item.asset_id) as string,
      });
      const stillActive = items.some((row) => row.id !== item.id && row.status === 'active');
      if (!stillActive && canTransition(loan.status, 'cancelled')) {
        await this.writeStatus(trx, loanId, loan.version, loan.status, 'cancelled', origin);
      } else {
        await trx
          .updateTable('hector_loan')
          .set({ updated_at: this.now(), version: loan.version + 1 })
          .where('id', '=', loanId)
          .execute();
      }
    });
  }

  async writeStatus(
    trx: Db,
    id: string,
    version: number,
    from: LoanStatus,
    to: LoanStatus,
    origin: Origin,
    change?: Partial<LoanChange>,
  ): Promise<void> {
    await trx
      .updateTable('hector_loan')
      .set({ status: to, updated_at: this.now(), version: version + 1 })
      .where('id', '=', id)
      .execute();
    await recordChange(trx, id, origin, { type: 'status', from, to, ...change } as LoanChange);
  }

  /** Locks the loan row: concurrent changes to one loan apply one after the other. */
  async lockLoan(trx: Db, id: string) {
    if (!isUuid(id)) throw notFound(`No loan with id ${id}.`);
    const row = await trx
      .selectFrom('hector_loan')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`No loan with id ${id}.`);
    if (!isLoanStatus(row.status)) throw new Error(`loan ${id} has an unknown status ${row.status}`);
    return { ...row, status: row.status };
  }

  /** K2 rules, then V4 availability; the items must already be locked. */
  private async checkBookable(
    trx: Db,
    items: ResolvedItem[],
    start: Date,
    end: Date,
    excludeLoanId?: string,
  ): Promise<void> {
    const violations = checkLoanRules({ start, end, items, now: this.now() });
    if (violations.length > 0) throw ruleViolation(violations);
    const conflicts = await findConflicts(trx, items, start, end, excludeLoanId);
    if (conflicts.length > 0) throw loanConflict(conflicts);
  }
}
