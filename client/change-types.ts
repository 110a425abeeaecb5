import type { ChangeKind } from '../db/queries/changes';

// What the change feed hands to consumers (README "Change feed"). Times are unix seconds, as Stripe gives them;
// amounts are minor units.

/** A transaction's fields as fc_transactions stores them from Stripe. */
export interface TransactionFields {
  amount: number;
  currency: string;
  description: string | null;
  status: 'pending' | 'posted' | 'void';
  postedAt: number | null;
  voidAt: number | null;
  transactedAt: number;
  /** Stripe's `updated`. */
  updated: number;
}

export interface BalanceAmounts {
  type: 'cash' | 'credit';
  current: number | null;
  cashAvailable: number | null;
  creditUsed: number | null;
}

interface ChangeBase {
  /** Position in the feed: strictly increasing in commit order, without gaps. */
  seq: number;
  /** The cursor just after this change: resuming from it delivers the next change. */
  cursor: string;
  kind: ChangeKind;
  accountId: string;
  /** When the transaction that made the change started. */
  recordedAt: Date;
}

export interface TransactionAdded extends ChangeBase {
  kind: 'transaction.added';
  transactionId: string;
  transaction: TransactionFields;
}

export interface TransactionModified extends ChangeBase {
  kind: 'transaction.modified';
  transactionId: string;
  transaction: TransactionFields;
  /** The fields that changed (e.g. status, postedAt, updated) and their values before. */
  changed: (keyof TransactionFields)[];
  previous: Partial<TransactionFields>;
}

/** Stripe voided the transaction. */
export interface TransactionRemoved extends ChangeBase {
  kind: 'transaction.removed';
  transactionId: string;
  transaction: TransactionFields;
  changed: (keyof TransactionFields)[];
  previous: Partial<TransactionFields>;
}

export interface BalanceChanged extends ChangeBase {
  kind: 'balance.changed';
  asOf: number | null;
  previousAsOf: number | null;
  /** Per currency; null when Stripe reported no balance. */
  balance: Record<string, BalanceAmounts> | null;
  previous: Record<string, BalanceAmounts> | null;
  /** `<currency>.<field>` of each amount that differs from the previous balance. */
  changed: string[];
}

export interface OwnershipChanged extends ChangeBase {
  kind: 'ownership.changed';
  ownershipId: string | null;
  previousOwnershipId: string | null;
  /** Owners in the new snapshot (fc_owners rows). */
  owners: number;
  /** fcaown_ ids of new owners no owner of the previous snapshot matched (name, email, phone and address). */
  ownersAdded: string[];
  /** fcaown_ ids of previous owners no longer present. */
  ownersRemoved: string[];
}

export interface AccountStatusChanged extends ChangeBase {
  kind: 'account.status_changed';
  status: 'active' | 'inactive' | 'disconnected';
  /** null when fc-refresh first stored the account. */
  previousStatus: 'active' | 'inactive' | 'disconnected' | null;
  disconnectedAt: number | null;
}

export type Change = TransactionAdded | TransactionModified | TransactionRemoved | BalanceChanged | OwnershipChanged | AccountStatusChanged;

/** The groups `kinds` filters on. */
export type ChangeGroup = 'transactions' | 'balances' | 'ownership' | 'accounts';
export const CHANGE_GROUPS: Record<ChangeGroup, readonly ChangeKind[]> = {
  transactions: ['transaction.added', 'transaction.modified', 'transaction.removed'],
  balances: ['balance.changed'],
  ownership: ['ownership.changed'],
  accounts: ['account.status_changed'],
};

export interface SyncOptions {
  /** A registered consumer (`fc-refresh consumers add`). */
  consumer: string;
  /**
   * Where to continue: the `nextCursor` (or a change's `cursor`) of an earlier call. Passing it acknowledges every
   * change before it. Omitted: the consumer's last acknowledged cursor.
   */
  cursor?: string;
  accountId?: string;
  kinds?: ChangeGroup[];
  /** Changes per call, 1 to 1,000 (default 100). */
  limit?: number;
}

export interface SyncResult {
  added: TransactionAdded[];
  modified: TransactionModified[];
  removed: TransactionRemoved[];
  balances: BalanceChanged[];
  ownership: OwnershipChanged[];
  accounts: AccountStatusChanged[];
  /** Every change above, in feed order. */
  changes: Change[];
  /** Continue from here; with filters, it also skips the changes they left out. */
  nextCursor: string;
  /** More changes are ready: call again with nextCursor at once. */
  hasMore: boolean;
}
