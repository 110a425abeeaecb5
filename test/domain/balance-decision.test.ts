import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_TOLERANCE_SECONDS,
  assessBalanceFreshness,
  decideSufficientFunds,
  isBalanceFresh,
  normalizeCurrency,
  type StoredBalance,
} from '../../domain/balance-decision';

const AS_OF = 1_651_516_592;

function cash(available: Record<string, number> | null, current: Record<string, number>): StoredBalance {
  return { type: 'cash', asOf: AS_OF, current, cashAvailable: available, creditUsed: null };
}
function credit(used: Record<string, number> | null, current: Record<string, number>): StoredBalance {
  return { type: 'credit', asOf: AS_OF, current, cashAvailable: null, creditUsed: used };
}
const decide = (balance: StoredBalance | null, amount: number, currency = 'usd', hasBalancePermission = true) =>
  decideSufficientFunds({ balance, amount, currency, hasBalancePermission });

describe('decideSufficientFunds: cash available (the documented primary check)', () => {
  it('matches the docs example: available 6000 covers a 2000 debit', () => {
    expect(decide(cash({ usd: 6000 }, { usd: 6000 }), 2000)).toEqual({
      decision: 'sufficient',
      basis: 'cash_available',
      weaker: false,
      availableAmount: 6000,
      reason: 'available_covers_amount',
      message: expect.any(String),
    });
  });

  it('treats an exactly equal available balance as sufficient', () => {
    expect(decide(cash({ usd: 2000 }, { usd: 2000 }), 2000).decision).toBe('sufficient');
  });

  it('one minor unit short is insufficient', () => {
    const d = decide(cash({ usd: 1999 }, { usd: 5000 }), 2000);
    expect(d).toMatchObject({ decision: 'insufficient', basis: 'cash_available', reason: 'available_below_amount', availableAmount: 1999 });
  });

  it('prefers available over a larger current (holds/pending debits make current optimistic)', () => {
    const d = decide(cash({ usd: 500 }, { usd: 100_000 }), 2000);
    expect(d).toMatchObject({ decision: 'insufficient', basis: 'cash_available', weaker: false });
  });

  it('prefers available over a smaller current (incoming holds released)', () => {
    expect(decide(cash({ usd: 5000 }, { usd: 100 }), 2000)).toMatchObject({ decision: 'sufficient', basis: 'cash_available' });
  });

  it('negative (overdrawn) available is insufficient', () => {
    expect(decide(cash({ usd: -2500 }, { usd: -2500 }), 1)).toMatchObject({ decision: 'insufficient', availableAmount: -2500 });
  });

  it('zero available is insufficient for any positive amount', () => {
    expect(decide(cash({ usd: 0 }, { usd: 0 }), 1).decision).toBe('insufficient');
  });
});

describe('decideSufficientFunds: current as the weaker fallback', () => {
  it('uses current when cash.available is null, flagged weaker', () => {
    expect(decide(cash(null, { usd: 6000 }), 2000)).toMatchObject({
      decision: 'sufficient',
      basis: 'current',
      weaker: true,
      availableAmount: 6000,
      reason: 'only_current_covers_amount',
    });
  });

  it('insufficient on current is still flagged weaker', () => {
    expect(decide(cash(null, { usd: 1000 }), 2000)).toMatchObject({
      decision: 'insufficient',
      basis: 'current',
      weaker: true,
      reason: 'only_current_below_amount',
    });
  });

  it('uses current when available exists but lacks this currency', () => {
    expect(decide(cash({ cad: 9000 }, { usd: 6000, cad: 9000 }), 2000)).toMatchObject({ basis: 'current', weaker: true });
  });

  it('the message warns that current ignores pending items', () => {
    expect(decide(cash(null, { usd: 6000 }), 2000).message).toMatch(/ignores pending/);
  });
});

describe('decideSufficientFunds: credit balances', () => {
  it('typical credit card (negative = owed by holder) → unknown, not insufficient', () => {
    expect(decide(credit({ usd: -12_000 }, { usd: -12_000 }), 2000)).toEqual({
      decision: 'unknown',
      basis: 'credit',
      weaker: false,
      availableAmount: null,
      reason: 'credit_balance_not_assessable',
      message: expect.any(String),
    });
  });

  it('positive credit balance (overpaid) is still not treated as spendable funds', () => {
    expect(decide(credit({ usd: 5000 }, { usd: 5000 }), 2000)).toMatchObject({ decision: 'unknown', basis: 'credit' });
  });

  it('credit with null used and no currency → still credit rule, not currency_not_present', () => {
    expect(decide(credit(null, {}), 2000).reason).toBe('credit_balance_not_assessable');
  });
});

describe('decideSufficientFunds: unknown cases', () => {
  it('null balance → no_balance', () => {
    expect(decide(null, 2000)).toEqual({
      decision: 'unknown',
      basis: null,
      weaker: false,
      availableAmount: null,
      reason: 'no_balance',
      message: expect.any(String),
    });
  });

  it('no balances permission wins even if a stored balance exists', () => {
    expect(decide(cash({ usd: 6000 }, { usd: 6000 }), 2000, 'usd', false)).toMatchObject({
      decision: 'unknown',
      reason: 'no_balance_permission',
      availableAmount: null,
    });
  });

  it('no permission and null balance → no_balance_permission (permission checked first)', () => {
    expect(decide(null, 2000, 'usd', false).reason).toBe('no_balance_permission');
  });

  it('other currency only → currency_not_present, listing present currencies', () => {
    const d = decide(cash({ eur: 6000 }, { eur: 6000 }), 2000);
    expect(d).toMatchObject({ decision: 'unknown', basis: null, reason: 'currency_not_present' });
    expect(d.message).toContain('eur');
  });

  it('empty maps → currency_not_present', () => {
    expect(decide(cash(null, {}), 2000).reason).toBe('currency_not_present');
  });

  it('non-finite stored amounts are ignored rather than compared', () => {
    expect(decide(cash({ usd: Number.NaN }, { usd: 6000 }), 2000)).toMatchObject({ basis: 'current', weaker: true });
    expect(decide(cash(null, { usd: Number.POSITIVE_INFINITY }), 2000).reason).toBe('currency_not_present');
  });

  it.each([0, -100, 12.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('invalid amount %s → unknown/invalid_amount', (amount) => {
    expect(decide(cash({ usd: 6000 }, { usd: 6000 }), amount)).toMatchObject({ decision: 'unknown', reason: 'invalid_amount' });
  });

  it.each(['', 'us', 'usdx', '12$'])('invalid currency %j → unknown/invalid_currency', (currency) => {
    expect(decide(cash({ usd: 6000 }, { usd: 6000 }), 2000, currency).reason).toBe('invalid_currency');
  });
});

describe('decideSufficientFunds: currency case-insensitivity', () => {
  it('accepts an upper-case request currency against Stripe lowercase keys', () => {
    expect(decide(cash({ usd: 6000 }, { usd: 6000 }), 2000, 'USD')).toMatchObject({ decision: 'sufficient', basis: 'cash_available' });
  });

  it('accepts upper-case stored keys', () => {
    expect(decide(cash({ USD: 6000 }, { USD: 6000 }), 2000, ' usd ')).toMatchObject({ decision: 'sufficient', availableAmount: 6000 });
  });

  it('an exact lowercase key wins over a differently-cased duplicate', () => {
    expect(decide(cash({ USD: 1, usd: 6000 }, {}), 2000).availableAmount).toBe(6000);
  });

  it('normalizeCurrency', () => {
    expect(normalizeCurrency(' UsD ')).toBe('usd');
    expect(normalizeCurrency('us')).toBeNull();
  });
});

describe('decideSufficientFunds: purity', () => {
  it('is deterministic and does not mutate its input', () => {
    const balance = cash({ usd: 6000 }, { usd: 6000 });
    const snapshot = structuredClone(balance);
    const a = decide(balance, 2000);
    const b = decide(balance, 2000);
    expect(a).toEqual(b);
    expect(balance).toEqual(snapshot);
  });
});

describe('assessBalanceFreshness / isBalanceFresh', () => {
  const now = 1_700_000_000;
  const base = { now, maxAgeSeconds: 3600 };

  it('fresh when both the refresh and as_of are recent; age measured from the older', () => {
    expect(assessBalanceFreshness({ ...base, completedAt: now - 60, asOf: now - 600 })).toEqual({
      fresh: true,
      ageSeconds: 600,
      reason: 'fresh',
    });
  });

  it('a just-completed refresh of a day-old as_of (institution updates daily) is stale', () => {
    expect(assessBalanceFreshness({ ...base, completedAt: now - 5, asOf: now - 86_400 })).toMatchObject({
      fresh: false,
      reason: 'stale',
      ageSeconds: 86_400,
    });
  });

  it('a recent as_of fetched long ago is stale (aged by completedAt when it is older)', () => {
    expect(assessBalanceFreshness({ ...base, completedAt: now - 7200, asOf: now - 60 })).toMatchObject({
      fresh: false,
      ageSeconds: 7200,
    });
  });

  it('exactly maxAgeSeconds old is still fresh; one second more is not', () => {
    expect(isBalanceFresh({ ...base, completedAt: now - 3600, asOf: now - 3600 })).toBe(true);
    expect(isBalanceFresh({ ...base, completedAt: now - 3601, asOf: now - 100 })).toBe(false);
  });

  it('never refreshed / no as_of → not fresh', () => {
    expect(assessBalanceFreshness({ ...base, completedAt: null, asOf: now }).reason).toBe('never_refreshed');
    expect(assessBalanceFreshness({ ...base, completedAt: now, asOf: null }).reason).toBe('no_as_of');
  });

  it('small future skew counts as age 0; beyond tolerance is unreliable', () => {
    expect(assessBalanceFreshness({ ...base, completedAt: now, asOf: now + 30 })).toMatchObject({ fresh: true, ageSeconds: 0 });
    expect(
      assessBalanceFreshness({ ...base, completedAt: now, asOf: now + CLOCK_SKEW_TOLERANCE_SECONDS + 1 }).reason,
    ).toBe('future_timestamp');
  });

  it('invalid maxAge/now → not fresh', () => {
    expect(assessBalanceFreshness({ now, maxAgeSeconds: -1, completedAt: now, asOf: now }).reason).toBe('invalid_input');
    expect(isBalanceFresh({ now: Number.NaN, maxAgeSeconds: 60, completedAt: now, asOf: now })).toBe(false);
  });

  it('maxAgeSeconds 0 accepts only same-second data', () => {
    expect(isBalanceFresh({ now, maxAgeSeconds: 0, completedAt: now, asOf: now })).toBe(true);
    expect(isBalanceFresh({ now, maxAgeSeconds: 0, completedAt: now, asOf: now - 1 })).toBe(false);
  });
});
