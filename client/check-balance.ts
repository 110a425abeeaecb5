import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { balanceCheckWorkflowId } from '../common/check-workflow-ids';
import type { BalanceCheckResult, BalanceCheckTarget, CheckBalanceInput } from '../workflows/balance-check-definitions';
import { CheckFailedError } from './check-errors';
import { checkExecutionTimeout, DEFAULT_CHECK_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS } from './check-timing';
import { CHECK_BALANCE_WORKFLOW_TYPE, type CheckBalanceWorkflow } from '../common/workflow-types';
import { InvalidInputError } from './errors';
import { toUnavailableError } from './temporal-errors';
import { parseAccountId } from './validate';
import { parseAmount, parseCurrency, parsePaymentIntentId, parsePaymentMethodId, parseSeconds } from './validate-checks';

/** Exactly one of the FC account, or the ACH PaymentIntent / PaymentMethod that will debit it. */
export type BalanceCheckSubject =
  | { account: string; paymentIntent?: undefined; paymentMethod?: undefined }
  | { account?: undefined; paymentIntent: string; paymentMethod?: undefined }
  | { account?: undefined; paymentIntent?: undefined; paymentMethod: string };

export type CheckBalanceOptions = BalanceCheckSubject & {
  /** Debit amount in minor units. */
  amount: number;
  currency: string;
  /** Use the stored balance when both its refresh and its `as_of` are at most this old. */
  maxAgeSeconds: number;
  /** Longest wait for a refresh before deciding on the stored balance (flagged stale); default 60. */
  deadlineSeconds?: number;
  taskQueue: string;
};

/**
 * Is there enough money for this ACH debit? Answers `sufficient | insufficient | unknown` with what it rests on.
 * Every answer, including a payment with no FC account behind it, is a result (recorded in fc_balance_checks);
 * CheckFailedError only when the check itself could not complete.
 */
export async function checkBalance(client: Client, options: CheckBalanceOptions): Promise<BalanceCheckResult> {
  const target = parseTarget(options);
  const deadlineSeconds = parseSeconds('deadlineSeconds', options.deadlineSeconds ?? DEFAULT_CHECK_DEADLINE_SECONDS, 1, MAX_DEADLINE_SECONDS);
  const input: CheckBalanceInput = {
    checkId: randomUUID(),
    target,
    amount: parseAmount(options.amount),
    currency: parseCurrency(options.currency),
    maxAgeSeconds: parseSeconds('maxAgeSeconds', options.maxAgeSeconds, 0),
    deadlineSeconds,
  };
  const workflowId = balanceCheckWorkflowId(target.id, input.checkId);
  try {
    return await client.workflow.execute<CheckBalanceWorkflow>(CHECK_BALANCE_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: options.taskQueue,
      args: [input],
      workflowExecutionTimeout: checkExecutionTimeout(deadlineSeconds),
      staticSummary: `balance check of ${target.id} for ${input.amount} ${input.currency}`,
    });
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new CheckFailedError('balance', input.checkId, workflowId, err);
    throw toUnavailableError(err);
  }
}

function parseTarget(subject: BalanceCheckSubject): BalanceCheckTarget {
  const given = [subject.account, subject.paymentIntent, subject.paymentMethod].filter((value) => value !== undefined);
  if (given.length !== 1) throw new InvalidInputError('account', 'give exactly one of account, paymentIntent or paymentMethod');
  if (subject.account !== undefined) return { type: 'account', id: parseAccountId(subject.account) };
  if (subject.paymentIntent !== undefined) return { type: 'payment_intent', id: parsePaymentIntentId(subject.paymentIntent) };
  return { type: 'payment_method', id: parsePaymentMethodId(subject.paymentMethod ?? '') };
}
