// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
import type Stripe from 'stripe';
import { FEATURE_PERMISSION, REFRESH_FIELD, type Feature } from './features';
import type { RefreshHash } from '../workflows/refresh-definitions';

export type FcAccount = Stripe.FinancialConnections.Account;
export type AccountLifecycle = 'active' | 'inactive' | 'disconnected';

export function accountLifecycle(account: Pick<FcAccount, 'status'>): AccountLifecycle {
  return account.status === 'active' ? 'active' : account.status === 'disconnected' ? 'disconnected' : 'inactive';
}

/** The feature's refresh hash in our shape, or null before the first refresh. */
export function refreshHashOf(account: FcAccount, feature: Feature): RefreshHash | null {
  const hash = account[REFRESH_FIELD[feature]];
  if (!hash) return null;
  const status: RefreshHash['status'] = hash.status === 'pending' ? 'pending' : hash.status === 'succeeded' ? 'succeeded' : 'failed';
  return {
    status,
    lastAttemptedAt: hash.last_attempted_at,
    nextRefreshAvailableAt: hash.next_refresh_available_at,
    id: 'id' in hash ? hash.id : null,
  };
}

/**
 * The refresh `error` hash is a Stripe private preview ("the `error` field on the refresh hash … provides the
 * cause of the failure"), so it is read defensively and absent in most accounts.
 */
export function refreshErrorOf(account: FcAccount, feature: Feature): { code: string; message: string } | null {
  const hash = account[REFRESH_FIELD[feature]] as { error?: { code?: unknown; message?: unknown } | null } | null;
  const error = hash?.error;
  if (!error) return null;
  return { code: typeof error.code === 'string' ? error.code : 'refresh_failed', message: typeof error.message === 'string' ? error.message : '' };
}

/** The id of the ownership an account points at, expanded or not. */
export function ownershipIdOf(account: Pick<FcAccount, 'ownership'>): string | null {
  return typeof account.ownership === 'string' ? account.ownership : (account.ownership?.id ?? null);
}

export function hasFeaturePermission(account: Pick<FcAccount, 'permissions'>, feature: Feature): boolean {
  return (account.permissions ?? []).includes(FEATURE_PERMISSION[feature]);
}
