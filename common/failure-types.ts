// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// The `type` of every ApplicationFailure fc-refresh throws: what callers branch on (the client maps them to typed
// errors, refresh outcomes record them as error codes), so each name is written once, here.
export const FailureType = {
  /** Stripe refuses the request because the account is inactive or disconnected; details[0] names the lifecycle. */
  AccountInactive: 'AccountInactive',
  /** Stripe has no Financial Connections account with the id the account workflow was started for. */
  AccountNotFound: 'AccountNotFound',
  /** An ownership check's request row is missing (or names another account). */
  OwnershipCheckNotFound: 'OwnershipCheckNotFound',
  /** Stripe no longer knows the stored transactions cursor: retried, the activity resyncs the account in full. */
  UnknownTransactionCursor: 'UnknownTransactionCursor',
} as const;

/** A request Stripe rejected for good, by Stripe's error code (or type when it has none), e.g. `Stripe:resource_missing`. */
export const stripeFailureType = (codeOrType: string): string => `Stripe:${codeOrType}`;

/** A statement Postgres refused for good, by SQLSTATE, e.g. `Postgres:23514`. */
export const postgresFailureType = (sqlState: string): string => `Postgres:${sqlState}`;
