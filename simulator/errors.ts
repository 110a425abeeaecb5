import type { StripeErrorBody } from './types';

// Stripe's error envelope: {error: {type, code?, message, param?, doc_url?}} with Stripe's HTTP statuses.
// The SDK picks its error class from the status (400/404 -> StripeInvalidRequestError, 401 ->
// StripeAuthenticationError, 429 -> StripeRateLimitError, 5xx -> StripeAPIError) and from
// type=idempotency_error, so both must match what api.stripe.com sends.

export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'idempotency_error';

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
    /** Extra response headers (e.g. Stripe-Should-Retry). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'StripeApiError';
  }

  toBody(): StripeErrorBody {
    const error: StripeErrorBody['error'] = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}`;
    }
    if (this.param) error.param = this.param;
    return { error };
  }
}

const invalid = (status: number, message: string, code?: string, param?: string): StripeApiError =>
  new StripeApiError(status, 'invalid_request_error', message, code, param);

export const errors = {
  missingApiKey: () =>
    invalid(
      401,
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    ),
  invalidApiKey: (key: string) =>
    invalid(401, `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`, 'api_key_invalid'),
  unknownParameter: (param: string) =>
    invalid(400, `Received unknown parameter: ${param}`, 'parameter_unknown', param),
  missingParameter: (param: string) =>
    invalid(400, `Missing required param: ${param}.`, 'parameter_missing', param),
  emptyParameter: (param: string) =>
    invalid(
      400,
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      'parameter_invalid_empty',
      param,
    ),
  invalidInteger: (param: string, value: string) =>
    invalid(400, `Invalid integer: ${value}`, 'parameter_invalid_integer', param),
  invalidValue: (param: string, message: string) => invalid(400, message, undefined, param),
  invalidEnum: (param: string, value: string, allowed: readonly string[]) =>
    invalid(400, `Invalid ${param}: must be one of ${allowed.join(', ')} (got '${value}')`, undefined, param),
  notAHash: (param: string) => invalid(400, `Invalid ${param}: must be a hash`, undefined, param),
  notAnArray: (param: string) => invalid(400, `Invalid array: ${param}`, undefined, param),
  resourceMissing: (what: string, id: string, param = 'id', status = 404) =>
    invalid(status, `No such ${what}: '${id}'`, 'resource_missing', param),
  cannotExpand: (path: string) =>
    invalid(400, `This property cannot be expanded (${path}).`, undefined, 'expand'),
  accountInactive: (id: string, action: string) =>
    invalid(
      400,
      `The Financial Connections account ${id} is not active, so it cannot ${action}. Refreshes and subscriptions aren't allowed on inactive accounts.`,
      'financial_connections_account_inactive',
    ),
  missingPermission: (id: string, feature: string, permission: string) =>
    invalid(
      400,
      `You cannot refresh ${feature} on account ${id} because the account holder did not grant the '${permission}' permission. Collect the account again requesting the '${permission}' permission.`,
      undefined,
      'features',
    ),
  noSuccessfulTransactionRefresh: (id: string) =>
    invalid(
      400,
      `There are no successful transaction refreshes for account ${id}. Initiate a transaction refresh and wait for it to succeed before listing transactions.`,
      'financial_connections_no_successful_transaction_refresh',
      'account',
    ),
  unrecognizedUrl: (method: string, url: string) =>
    invalid(
      404,
      `Unrecognized request URL (${method}: ${url}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    ),
  idempotencyMismatch: (key: string) =>
    new StripeApiError(
      400,
      'idempotency_error',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    ),
  idempotencyInUse: (key: string) =>
    new StripeApiError(
      409,
      'idempotency_error',
      `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      'idempotency_key_in_use',
    ),
  /**
   * Stripe's 429: code `rate_limit` and `Stripe-Rate-Limited-Reason` (docs.stripe.com/rate-limits). No
   * `Stripe-Should-Retry` and no `Retry-After`: Stripe documents neither for rate limiting, so stripe-node
   * (which retries a 429 only on `Stripe-Should-Retry: true`) hands the StripeRateLimitError to the caller.
   */
  rateLimited: (reason: 'global-rate' | 'endpoint-rate' = 'global-rate') =>
    new StripeApiError(
      429,
      'invalid_request_error',
      'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
      'rate_limit',
      undefined,
      { 'stripe-rate-limited-reason': reason },
    ),
  apiError: (status = 500) =>
    new StripeApiError(status, 'api_error', 'An unknown error occurred, please try again. (simulated fault)'),
  malformedBody: (detail: string) => invalid(400, `Invalid request body: ${detail}`),
  /** Control API (/_simulator) misuse: same envelope so every client parses one shape. */
  control: (message: string, status = 400) => invalid(status, message, undefined),
};

/** Any thrown value becomes a Stripe error; unexpected ones are 500 api_error, never a crash. */
export function toStripeError(err: unknown): StripeApiError {
  if (err instanceof StripeApiError) return err;
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const status = Number((err as { statusCode: unknown }).statusCode);
    const message = err instanceof Error ? err.message : 'Invalid request';
    if (status === 413) return invalid(413, 'Request body too large.');
    if (status >= 400 && status < 500) return errors.malformedBody(message);
  }
  return new StripeApiError(500, 'api_error', 'An unknown error occurred.');
}
