import { FEATURES, isFeature, type Feature } from '../common/features';
import { isFcAccountId } from '../common/stripe-ids';
import { InvalidInputError } from './errors';

// Checked before anything reaches Temporal: a typo must fail fast, not start a workflow that Stripe rejects.

export function parseAccountId(value: string): string {
  if (!isFcAccountId(value)) {
    throw new InvalidInputError('accountId', `"${value}" is not a Financial Connections account id (fca_…)`);
  }
  return value;
}

export function parseFeature(value: string): Feature {
  if (!isFeature(value)) {
    throw new InvalidInputError('feature', `"${value}" is not a feature; use one of ${FEATURES.join(', ')}`);
  }
  return value;
}

export function parsePositiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidInputError(field, `${field} must be a positive integer, got ${value}`);
  }
  return value;
}
