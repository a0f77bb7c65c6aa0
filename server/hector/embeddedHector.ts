import { notFound } from '../errors';
import { findConflicts } from './availability';
import { Catalog } from './catalog';
import { checkIn, releaseUncheckedRooms, type ReleasedLoan } from './checkIn';
import type { Db } from './db';
import { ruleViolation } from './errors';
import { distinctItems, resolveItems } from './items';
import { readLoans } from './loanReader';
import { LoanCommands } from './loans';
import { markDispatched, pendingOutbox } from './outbox';
import type {
  Asset,
  AssetInput,
  Availability,
  HectorService,
  ItemRef,
  Loan,
  LoanFilter,
  LoanPatch,
  NewLoan,
  Origin,
  OutboxEntry,
  Place,
  PlaceInput,
  RoomInput,
  Store,
  StoreInput,
  User,
} from './port';
import { checkDates, checkLoanRules, type RuleViolation } from './rules';
import { advanceLoanStatuses } from './statusTick';
import { ACTION_TARGET } from './statuses';

/** Hector's loans core embedded in the service, on its own database (PGlite or PostgreSQL). */
export class EmbeddedHector implements HectorService {
  private readonly catalog: Catalog;
  private readonly commands: LoanCommands;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {
    this.catalog = new Catalog(db, now);
    this.commands = new LoanCommands(db, this.catalog, now);
  }

  // ── loans ──
  async getLoan(id: string): Promise<Loan | null> {
    const [loan] = await readLoans(this.db, { ids: [id] });
    return loan ?? null;
  }

  findLoans(filter: LoanFilter): Promise<Loan[]> {
    return readLoans(this.db, filter);
  }

  async createLoan(input: NewLoan, origin: Origin): Promise<Loan> {
    return this.requireLoan(await this.commands.create(input, origin));
  }

  async updateLoan(id: string, patch: LoanPatch, origin: Origin, expectedVersion?: number): Promise<Loan> {
    await this.commands.update(id, patch, origin, expectedVersion);
    return this.requireLoan(id);
  }

  cancelLoan(id: string, origin: Origin): Promise<Loan> {
    return this.act(id, ACTION_TARGET.cancel, origin);
  }

  refuseLoan(id: string, origin: Origin): Promise<Loan> {
    return this.act(id, ACTION_TARGET.refuse, origin);
  }

  checkOut(id: string, origin: Origin): Promise<Loan> {
    return this.act(id, ACTION_TARGET['check-out'], origin);
  }

  returnLoan(id: string, origin: Origin): Promise<Loan> {
    return this.act(id, ACTION_TARGET.return, origin);
  }

  async cancelItem(loanId: string, itemId: string, origin: Origin): Promise<Loan> {
    await this.commands.cancelItem(loanId, itemId, origin);
    return this.requireLoan(loanId);
  }

  async checkAvailability(
    items: ItemRef[],
    start: string,
    end: string,
    excludeLoanId?: string,
  ): Promise<Availability> {
    const refs = distinctItems(items);
    if (new Date(end).getTime() <= new Date(start).getTime()) {
      throw ruleViolation(
        checkDates(new Date(start), new Date(end)).filter((v) => v.rule !== 'QUARTER_HOUR_BLOCKS'),
      );
    }
    await resolveItems(this.db, refs, { lock: false }); // unknown items are a 404, not "available"
    const conflicts = await findConflicts(this.db, refs, new Date(start), new Date(end), excludeLoanId);
    return { available: conflicts.length === 0, conflicts };
  }

  async validateLoan(input: { start: string; end: string; items: ItemRef[] }): Promise<RuleViolation[]> {
    const start = new Date(input.start);
    const end = new Date(input.end);
    const dateViolations = checkDates(start, end);
    if (dateViolations.length > 0) return dateViolations;
    const items = await resolveItems(this.db, distinctItems(input.items), { lock: false });
    return checkLoanRules({ start, end, items, now: this.now() });
  }

  async checkIn(loanId: string): Promise<Loan> {
    await checkIn(this.db, this.commands, loanId, this.now());
    return this.requireLoan(loanId);
  }

  releaseUncheckedRooms(now: Date): Promise<ReleasedLoan[]> {
    return releaseUncheckedRooms(this.db, this.commands, now);
  }

  advanceLoanStatuses(now: Date): Promise<number> {
    return advanceLoanStatuses(this.db, this.commands, now);
  }

  // ── outbox ──
  pendingOutbox(limit: number): Promise<OutboxEntry[]> {
    return pendingOutbox(this.db, limit);
  }

  markDispatched(ids: string[]): Promise<void> {
    return markDispatched(this.db, ids, this.now());
  }

  // ── catalogue ──
  ensureUser(email: string, displayName: string | undefined, source: Origin): Promise<User> {
    return this.catalog.ensureUser(email, displayName, source);
  }
  upsertPlaceByEmail(room: RoomInput): Promise<Place> {
    return this.catalog.upsertPlaceByEmail(room);
  }
  deactivatePlacesNotIn(emails: string[]): Promise<number> {
    return this.catalog.deactivatePlacesNotIn(emails);
  }
  listPlaces(filter?: { active?: boolean; synced?: boolean }): Promise<Place[]> {
    return this.catalog.listPlaces(filter);
  }
  getPlace(id: string): Promise<Place | null> {
    return this.catalog.getPlace(id);
  }
  createPlace(input: PlaceInput): Promise<Place> {
    return this.catalog.createPlace(input);
  }
  updatePlace(id: string, patch: Partial<PlaceInput>): Promise<Place> {
    return this.catalog.updatePlace(id, patch);
  }
  listStores(): Promise<Store[]> {
    return this.catalog.listStores();
  }
  getStore(id: string): Promise<Store | null> {
    return this.catalog.getStore(id);
  }
  createStore(input: StoreInput): Promise<Store> {
    return this.catalog.createStore(input);
  }
  updateStore(id: string, patch: Partial<StoreInput>): Promise<Store> {
    return this.catalog.updateStore(id, patch);
  }
  listAssets(): Promise<Asset[]> {
    return this.catalog.listAssets();
  }
  getAsset(id: string): Promise<Asset | null> {
    return this.catalog.getAsset(id);
  }
  createAsset(input: AssetInput): Promise<Asset> {
    return this.catalog.createAsset(input);
  }
  updateAsset(id: string, patch: Partial<AssetInput>): Promise<Asset> {
    return this.catalog.updateAsset(id, patch);
  }

  private async act(
    id: string,
    to: (typeof ACTION_TARGET)[keyof typeof ACTION_TARGET],
    origin: Origin,
  ): Promise<Loan> {
    await this.commands.changeStatus(id, to, origin);
    return this.requireLoan(id);
  }

  private async requireLoan(id: string): Promise<Loan> {
    const loan = await this.getLoan(id);
    if (!loan) throw notFound(`No loan with id ${id}.`);
    return loan;
  }
}
