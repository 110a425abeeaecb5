// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// The three Financial Connections data features a refresh can target, and the names Stripe uses for each.
export const FEATURES = ['balance', 'ownership', 'transactions'] as const;
export type Feature = (typeof FEATURES)[number];

export function isFeature(value: string): value is Feature {
  return (FEATURES as readonly string[]).includes(value);
}

/** The account field holding each feature's refresh hash (`balance_refresh`, ...). */
export const REFRESH_FIELD = {
  balance: 'balance_refresh',
  ownership: 'ownership_refresh',
  transactions: 'transaction_refresh',
} as const satisfies Record<Feature, string>;

/** The webhook Stripe sends when a refresh of the feature completes. */
export const REFRESHED_EVENT = {
  balance: 'financial_connections.account.refreshed_balance',
  ownership: 'financial_connections.account.refreshed_ownership',
  transactions: 'financial_connections.account.refreshed_transactions',
} as const satisfies Record<Feature, string>;

export function featureOfRefreshedEvent(type: string): Feature | undefined {
  return FEATURES.find((feature) => REFRESHED_EVENT[feature] === type);
}

/** The permission an account must carry for each feature's refresh. */
export const FEATURE_PERMISSION = {
  balance: 'balances',
  ownership: 'ownership',
  transactions: 'transactions',
} as const satisfies Record<Feature, string>;
