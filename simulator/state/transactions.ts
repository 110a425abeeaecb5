import { inRange, type RangeFilter } from '../http/params';
import type { FcTransaction } from '../types';
import { DAY_SECONDS } from './clock';
import type { AccountRecord, RefreshRecord } from './accounts';
import { derivedId } from './ids';

// Transactions (transactions.md). A successful transaction refresh:
//  - the first one delivers the account's history (`transactionCount` transactions, one per day
//    before the refresh, capped at 90 days; the newest two still `pending`);
//  - later ones add `newTransactionsPerRefresh` transactions dated since the previous refresh (even
//    positions `pending`, odd `posted`) and settle the `updatesPerRefresh` oldest pending ones
//    (pending -> posted, every `voidEvery`th -> void), setting status_transitions and `updated`.
// Every transaction created or changed is tagged with that refresh's id (`transaction_refresh`), which
// is what `transaction_refresh[after]=fctxnref_X` filters on: transactions whose latest tagging refresh
// was initiated after X. Lists are ordered newest `transacted_at` first (ties: newest created first),
// like the account's other lists; the cursor is the transaction id. The order is kept per account between
// refreshes, and only a list's page is copied out, so a 100,000-transaction account lists a page cheaply.

interface TxRecord {
  json: FcTransaction;
  /** Creation order, for stable tie-breaks. */
  seq: number;
  /** seq of the refresh that last created or changed it. */
  refreshSeq: number;
}

export const DEBITS = ['Rocket Rides', 'Coffee Shop', 'Grocery Mart', 'Utility Co', 'Gas Station', 'Book Store', 'Airline'];
export const CREDITS = ['Payroll', 'Transfer from savings', 'Refund'];

export interface TransactionFilter {
  afterRefreshSeq?: number;
  transactedAt?: RangeFilter;
}

export class TransactionStore {
  private readonly byAccount = new Map<string, TxRecord[]>();
  private readonly byId = new Map<string, TxRecord>();
  /** Each account's records in list order, until its next refresh changes them. */
  private readonly ordered = new Map<string, TxRecord[]>();
  private nextSeq = 0;

  get(id: string): FcTransaction | undefined {
    const record = this.byId.get(id);
    return record ? structuredClone(record.json) : undefined;
  }

  /** Applies a successful transaction refresh, counting what it created and changed on the refresh record. */
  applyRefresh(account: AccountRecord, refresh: RefreshRecord, previousAsOf: number | null, now: number): void {
    const records = this.byAccount.get(account.id) ?? [];
    this.byAccount.set(account.id, records);
    this.ordered.delete(account.id);
    const asOf = Math.min(refresh.asOf ?? now, now);
    const { config, rng } = account;
    const make = (transactedAt: number, pending: boolean): void => {
      const credit = rng.chance(0.15);
      const json: FcTransaction = {
        account: account.id,
        amount: credit ? rng.int(1_000, 300_000) : -rng.int(100, 20_000),
        currency: config.currency,
        description: rng.pick(credit ? CREDITS : DEBITS),
        id: derivedId('fctxn', [account.id, records.length]),
        livemode: false,
        object: 'financial_connections.transaction',
        status: pending ? 'pending' : 'posted',
        status_transitions: { posted_at: pending ? null : Math.min(transactedAt + 3600, asOf), void_at: null },
        transacted_at: transactedAt,
        transaction_refresh: refresh.id ?? '',
        updated: now,
      };
      const record: TxRecord = { json, seq: this.nextSeq++, refreshSeq: refresh.seq };
      records.push(record);
      this.byId.set(json.id, record);
      refresh.created += 1;
    };

    if (previousAsOf === null) {
      const count = config.transactionCount;
      const span = Math.min(90, Math.max(count, 1)) * DAY_SECONDS;
      for (let i = count - 1; i >= 0; i--) {
        const transactedAt = asOf - Math.round(((i + 0.5) * span) / Math.max(count, 1)) - rng.int(0, 3600);
        make(transactedAt, i < 2);
      }
      return;
    }

    // Settle the oldest pending transactions first (those created by this refresh are not eligible).
    const pending = records
      .filter((r) => r.json.status === 'pending')
      .sort((a, b) => a.json.transacted_at - b.json.transacted_at || a.seq - b.seq)
      .slice(0, config.updatesPerRefresh);
    for (const record of pending) {
      account.transitions += 1;
      const toVoid = config.voidEvery > 0 && account.transitions % config.voidEvery === 0;
      record.json.status = toVoid ? 'void' : 'posted';
      record.json.status_transitions = toVoid ? { posted_at: null, void_at: asOf } : { posted_at: asOf, void_at: null };
      record.json.updated = now;
      record.json.transaction_refresh = refresh.id ?? '';
      record.refreshSeq = refresh.seq;
      refresh.changed += 1;
    }

    const from = previousAsOf < asOf ? previousAsOf : asOf - 3600;
    const times: number[] = [];
    for (let i = 0; i < config.newTransactionsPerRefresh; i++) times.push(rng.int(from + 1, asOf));
    times.sort((a, b) => a - b);
    times.forEach((t, i) => make(t, i % 2 === 0));
  }

  /** Copies of the account's transactions that pass the filter, in list order. */
  list(accountId: string, filter: TransactionFilter = {}): FcTransaction[] {
    return this.listShared(accountId, filter).map((t) => structuredClone(t));
  }

  /** The same, without copying: for the API route, which copies only the page it answers. Never modify them. */
  listShared(accountId: string, filter: TransactionFilter = {}): readonly FcTransaction[] {
    let ordered = this.ordered.get(accountId);
    if (!ordered) {
      ordered = [...(this.byAccount.get(accountId) ?? [])].sort((a, b) => b.json.transacted_at - a.json.transacted_at || b.seq - a.seq);
      this.ordered.set(accountId, ordered);
    }
    const out: FcTransaction[] = [];
    for (const r of ordered) {
      if (filter.afterRefreshSeq !== undefined && r.refreshSeq <= filter.afterRefreshSeq) continue;
      if (!inRange(r.json.transacted_at, filter.transactedAt)) continue;
      out.push(r.json);
    }
    return out;
  }

  clear(): void {
    this.byAccount.clear();
    this.byId.clear();
    this.ordered.clear();
  }
}
