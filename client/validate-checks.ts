import { normalizeCurrency } from '../domain/balance-decision';
import { InvalidInputError } from './errors';

// Checked before anything reaches Temporal or Postgres, as client/validate.ts does for refreshes.

const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9_]+$/;
const PAYMENT_METHOD_ID = /^pm_[A-Za-z0-9_]+$/;
/** Long enough for any real name or address; bounds what a caller can write into Postgres. */
const MAX_EXPECTED_LENGTH = 500;

export function parsePaymentIntentId(value: string): string {
  if (!PAYMENT_INTENT_ID.test(value)) throw new InvalidInputError('paymentIntent', `"${value}" is not a PaymentIntent id (pi_…)`);
  return value;
}

export function parsePaymentMethodId(value: string): string {
  if (!PAYMENT_METHOD_ID.test(value)) throw new InvalidInputError('paymentMethod', `"${value}" is not a PaymentMethod id (pm_…)`);
  return value;
}

/** A debit amount: a positive integer in minor units (1000 = $10.00). */
export function parseAmount(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidInputError('amount', `amount must be a positive integer in minor units, got ${value}`);
  return value;
}

/** Stripe's lowercase ISO 4217 code; any case is accepted. */
export function parseCurrency(value: string): string {
  const currency = normalizeCurrency(value);
  if (currency === null) throw new InvalidInputError('currency', `"${value}" is not a three-letter currency code`);
  return currency;
}

export function parseSeconds(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidInputError(field, `${field} must be a whole number of seconds from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** An expected owner value: trimmed; blank means "not provided". The value itself never goes into the message. */
export function parseExpectedValue(field: string, value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > MAX_EXPECTED_LENGTH) throw new InvalidInputError(field, `${field} is longer than ${MAX_EXPECTED_LENGTH} characters`);
  return trimmed === '' ? null : trimmed;
}
