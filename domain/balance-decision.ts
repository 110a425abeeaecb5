/**
 * Pure sufficient-funds decision for an ACH Direct Debit, from a stored
 * Financial Connections balance. No I/O, deterministic.
 *
 * Stripe docs (financial-connections/balances, "Balance data details"):
 *
 * > For the `cash` balance type, use the `available` sub-object to confirm
 * > sufficient funds exist prior to initiating an ACH Direct Debit payment. If an
 * > `available` balance is null, you might want to use the `current` balance to
 * > confirm sufficient funds prior to initiating an ACH Direct Debit, but be
 * > mindful that this amount ignores events that have yet to post to an account
 * > such as incoming transfers, outgoing transfers, and other holds.
 *
 * > For credit balances, `current` and `used` amounts use the same sign
 * > convention used for cash balances: a positive amount means funds owed *to*
 * > the account holder, a negative amount means funds owed *by* the account
 * > holder. In most cases a credit balance has negative amounts.
 *
 * > In rare cases [...] Stripe can't retrieve balance data [...] in which case
 * > the `balance` object is `null`. The balance object is also `null` if the
 * > account has been disconnected. In some instances only a `current` balance
 * > is returned, or a balance that is up to 24 hours stale.
 *
 * > The `as_of` field on a balance is the date and time that the financial
 * > institution calculated this balance. This isn't the same as the date and
 * > time of balance data retrieval.
 */
import type { AccountLifecycle } from '../common/stripe-account';

/** Balance as persisted from `financial_connections.account.balance`. Amounts are minor units keyed by currency. */
export type StoredBalance = {
  type: 'cash' | 'credit';
  /** `balance.as_of`: when the institution calculated the balance (unix seconds). */
  asOf: number;
  current: Record<string, number>;
  /** `balance.cash.available`; null when the institution does not report it. */
  cashAvailable: Record<string, number> | null;
  /** `balance.credit.used`; null for cash balances. */
  creditUsed: Record<string, number> | null;
};

export type BalanceDecisionReason =
  | 'available_covers_amount'
  | 'available_below_amount'
  | 'only_current_covers_amount'
  | 'only_current_below_amount'
  | 'credit_balance_not_assessable'
  | 'no_balance'
  | 'no_balance_permission'
  | 'account_disconnected'
  | 'account_inactive'
  | 'currency_not_present'
  | 'invalid_amount'
  | 'invalid_currency';

export type BalanceDecision = {
  decision: 'sufficient' | 'insufficient' | 'unknown';
  basis: 'cash_available' | 'current' | 'credit' | null;
  /** True when `current` stood in for a missing `available` (the docs' weaker fallback). */
  weaker: boolean;
  /** The balance figure compared against `amount` (minor units), or null when nothing was compared. */
  availableAmount: number | null;
  reason: BalanceDecisionReason;
  message: string;
};

export type SufficientFundsInput = {
  /** The account's status as last seen from Stripe; absent means active. */
  accountStatus?: AccountLifecycle;
  balance: StoredBalance | null;
  /** Debit amount in minor units (positive integer). */
  amount: number;
  currency: string;
  hasBalancePermission: boolean;
};

/**
 * Decide whether `balance` covers an ACH debit of `amount` in `currency`.
 *
 * Order of checks (first hit wins):
 * 0. a disconnected or inactive account → unknown / `account_disconnected` | `account_inactive`, whatever the stored
 *    balance's age: the ACH guide's point is not to debit closed or inactive accounts, and Stripe nulls the balance
 *    of a disconnected one;
 * 1. no `balances` permission → unknown / `no_balance_permission` (a stored
 *    balance, if any, may predate a revoked permission and must not be used);
 * 2. invalid amount/currency → unknown (never guess on malformed input);
 * 3. `balance` null (institution unsupported or account disconnected) → unknown / `no_balance`;
 * 4. `type: 'credit'` → unknown / `credit_balance_not_assessable` (see below);
 * 5. cash: `available[currency]` when present → sufficient iff available ≥ amount;
 * 6. cash: otherwise `current[currency]` → same comparison, `weaker: true`;
 * 7. currency in neither → unknown / `currency_not_present`.
 *
 * Credit rule: the docs only prescribe a funds check for `cash` balances. A
 * credit balance (`current`/`used`, normally negative = owed *by* the holder)
 * says how much is owed, not how much can still be drawn: Stripe does not
 * return a credit limit, so there is no "available" figure to compare an ACH
 * debit with. An NSF (R01) judgement on a credit-card/line-of-credit account
 * would be invented, so we return `unknown` and let policy decide. Even a
 * positive credit balance (holder overpaid) is not treated as spendable funds.
 */
export function decideSufficientFunds(input: SufficientFundsInput): BalanceDecision {
  const { balance, amount, hasBalancePermission } = input;
  const currency = normalizeCurrency(input.currency);

  if (input.accountStatus === 'disconnected') {
    return unknown('account_disconnected', 'The account was disconnected: its balance is no longer reported and it must not be debited.');
  }
  if (input.accountStatus === 'inactive') {
    return unknown('account_inactive', 'The account is inactive: its balance cannot be refreshed and it should not be debited until it is reactivated.');
  }
  if (!hasBalancePermission) {
    return unknown('no_balance_permission', 'The balances permission was not granted for this account; cannot check funds.');
  }
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    return unknown('invalid_amount', 'Amount must be a positive integer in minor units.');
  }
  if (currency === null) {
    return unknown('invalid_currency', 'Currency must be a three-letter ISO code.');
  }
  if (balance === null) {
    return unknown('no_balance', 'No balance is available (unsupported institution, disconnected account, or never refreshed).');
  }

  if (balance.type === 'credit') {
    return {
      decision: 'unknown',
      basis: 'credit',
      weaker: false,
      availableAmount: null,
      reason: 'credit_balance_not_assessable',
      message: 'Credit balances report amounts owed, not funds available; sufficiency for an ACH debit cannot be judged.',
    };
  }

  const available = balance.cashAvailable === null ? null : lookupAmount(balance.cashAvailable, currency);
  if (available !== null) {
    const ok = available >= amount;
    return {
      decision: ok ? 'sufficient' : 'insufficient',
      basis: 'cash_available',
      weaker: false,
      availableAmount: available,
      reason: ok ? 'available_covers_amount' : 'available_below_amount',
      message: ok
        ? `Available ${currency} balance covers the debit.`
        : `Available ${currency} balance is below the debit amount.`,
    };
  }

  const current = lookupAmount(balance.current, currency);
  if (current !== null) {
    const ok = current >= amount;
    return {
      decision: ok ? 'sufficient' : 'insufficient',
      basis: 'current',
      weaker: true,
      availableAmount: current,
      reason: ok ? 'only_current_covers_amount' : 'only_current_below_amount',
      message:
        (ok ? `Current ${currency} balance covers the debit` : `Current ${currency} balance is below the debit amount`) +
        ' (no available balance; current ignores pending transfers and holds).',
    };
  }

  const present = listCurrencies(balance);
  return unknown(
    'currency_not_present',
    present.length === 0
      ? `Balance has no amounts; cannot check ${currency}.`
      : `Balance has no ${currency} amount (present: ${present.join(', ')}).`,
  );
}

function unknown(reason: BalanceDecisionReason, message: string): BalanceDecision {
  return { decision: 'unknown', basis: null, weaker: false, availableAmount: null, reason, message };
}

/** Stripe uses lowercase ISO 4217 codes; accept any case and surrounding whitespace. */
export function normalizeCurrency(currency: string): string | null {
  const c = currency.trim().toLowerCase();
  return /^[a-z]{3}$/.test(c) ? c : null;
}

/**
 * Case-insensitive lookup. An exact lowercase key wins over other spellings so
 * that a (malformed) map holding both `usd` and `USD` resolves deterministically.
 * Non-finite values are treated as absent rather than compared.
 */
function lookupAmount(amounts: Record<string, number>, currency: string): number | null {
  const exact = Object.prototype.hasOwnProperty.call(amounts, currency) ? amounts[currency] : undefined;
  if (exact !== undefined) return Number.isFinite(exact) ? exact : null;
  for (const key of Object.keys(amounts).sort()) {
    if (key.trim().toLowerCase() === currency) {
      const v = amounts[key];
      return v !== undefined && Number.isFinite(v) ? v : null;
    }
  }
  return null;
}

function listCurrencies(balance: StoredBalance): string[] {
  const keys = new Set<string>();
  for (const map of [balance.current, balance.cashAvailable, balance.creditUsed]) {
    if (map) for (const k of Object.keys(map)) keys.add(k.trim().toLowerCase());
  }
  return [...keys].sort();
}

// ---------------------------------------------------------------------------
// Freshness
// ---------------------------------------------------------------------------

/** Timestamps further than this in the future are treated as bad data, not as "very fresh". */
export const CLOCK_SKEW_TOLERANCE_SECONDS = 300;

export type BalanceFreshnessInput = {
  /** When our balance refresh completed (`balance_refresh` reached `succeeded`), unix seconds; null if never. */
  completedAt: number | null;
  /** `balance.as_of`: when the institution calculated the balance, unix seconds; null if no balance. */
  asOf: number | null;
  now: number;
  maxAgeSeconds: number;
};

export type BalanceFreshness = {
  fresh: boolean;
  /** now − min(asOf, completedAt); null when it could not be computed. */
  ageSeconds: number | null;
  reason: 'fresh' | 'never_refreshed' | 'no_as_of' | 'stale' | 'future_timestamp' | 'invalid_input';
};

/**
 * A balance is fresh only if BOTH the refresh that fetched it and the
 * institution's calculation (`as_of`) are within `maxAgeSeconds` of `now`.
 *
 * Why both: `as_of` alone can be hours old right after a successful refresh
 * ("certain institutions only update balance data once per day"; "a balance
 * that is up to 24 hours stale"), so a recent `completedAt` proves nothing about
 * the money. Conversely a recent-looking `as_of` is only trustworthy if we
 * actually fetched it recently. We therefore age the balance by the OLDER of
 * the two timestamps. A timestamp in the future beyond clock-skew tolerance is
 * treated as unreliable (not fresh) rather than as age 0.
 */
export function assessBalanceFreshness(input: BalanceFreshnessInput): BalanceFreshness {
  const { completedAt, asOf, now, maxAgeSeconds } = input;
  if (!Number.isFinite(now) || !Number.isFinite(maxAgeSeconds) || maxAgeSeconds < 0) {
    return { fresh: false, ageSeconds: null, reason: 'invalid_input' };
  }
  if (completedAt === null || !Number.isFinite(completedAt)) {
    return { fresh: false, ageSeconds: null, reason: 'never_refreshed' };
  }
  if (asOf === null || !Number.isFinite(asOf)) {
    return { fresh: false, ageSeconds: null, reason: 'no_as_of' };
  }
  if (Math.max(asOf, completedAt) > now + CLOCK_SKEW_TOLERANCE_SECONDS) {
    return { fresh: false, ageSeconds: null, reason: 'future_timestamp' };
  }
  // Within skew tolerance a slightly-future timestamp counts as age 0.
  const ageSeconds = Math.max(0, now - Math.min(asOf, completedAt));
  return ageSeconds <= maxAgeSeconds
    ? { fresh: true, ageSeconds, reason: 'fresh' }
    : { fresh: false, ageSeconds, reason: 'stale' };
}

export function isBalanceFresh(input: BalanceFreshnessInput): boolean {
  return assessBalanceFreshness(input).fresh;
}
