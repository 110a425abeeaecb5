// One pre-debit balance check: which account the debit hits, whether its stored balance is fresh enough,
// a refresh (run or joined) within the caller's deadline when it is not, then the decision. Balance figures
// stay in the activities and Postgres; history holds ids, the decision and timestamps.
import { workflowInfo } from '@temporalio/workflow';
import { refreshActivities } from './activity-proxies';
import type { BalanceCheckResult, CheckBalanceInput, PaymentResolutionFailure } from './balance-check-definitions';
import type { RefreshAttempt } from './check-definitions';
import { refreshForCheck } from './refresh-for-check';

export async function checkBalanceWorkflow(input: CheckBalanceInput): Promise<BalanceCheckResult> {
  const startedAtMs = Date.now();
  const { workflowId } = workflowInfo();
  const { stripe, db } = refreshActivities();
  const { checkId, target, amount, currency, maxAgeSeconds } = input;
  const request = {
    checkId,
    workflowId,
    paymentIntentId: target.type === 'payment_intent' ? target.id : null,
    paymentMethodId: target.type === 'payment_method' ? target.id : null,
    amount,
    currency,
    maxAgeSeconds,
  };

  async function unresolved(outcome: PaymentResolutionFailure | 'account_not_found', accountId: string | null, refresh: RefreshAttempt | null): Promise<BalanceCheckResult> {
    const { message } = await db.recordUnresolvedBalanceCheck({ ...request, accountId, outcome, refresh });
    return { ...request, outcome, accountId, decision: 'unknown', reason: outcome, message, basis: null, refresh };
  }

  let accountId = target.id;
  if (target.type !== 'account') {
    const resolution = await stripe.resolvePaymentAccount(target);
    request.paymentMethodId = resolution.paymentMethodId;
    if (!resolution.resolved) return unresolved(resolution.failure, null, null);
    accountId = resolution.accountId;
  }

  // A fresh stored balance, or an inactive or disconnected account, answers at once: no Stripe call, no refresh.
  const stored = await db.assessStoredBalance({ accountId, maxAgeSeconds });
  let refresh: RefreshAttempt | null = null;
  if (!stored.answersNow) {
    refresh = await refreshForCheck({ accountId, feature: 'balance', checkStartedAtMs: startedAtMs, deadlineAtMs: startedAtMs + input.deadlineSeconds * 1000 });
    if (refresh.status === 'account_not_found') return unresolved('account_not_found', accountId, refresh);
  }
  const decided = await db.decideBalanceCheck({ ...request, accountId, refresh });
  return { ...request, outcome: 'decided', accountId, ...decided, refresh };
}
