import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ownershipCheckWorkflowId } from '../common/check-workflow-ids';
import type { Queryable } from '../db/pool';
import { insertOwnershipCheckRequest, type ExpectedOwnerValues } from '../db/queries/ownership-checks';
import type { OwnershipCheckResult, VerifyOwnershipInput } from '../workflows/ownership-check-definitions';
import { CheckFailedError } from './check-errors';
import { checkExecutionTimeout, DEFAULT_CHECK_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS } from './check-timing';
import { VERIFY_OWNERSHIP_WORKFLOW_TYPE, type VerifyOwnershipWorkflow } from '../common/workflow-types';
import { InvalidInputError } from './errors';
import { toUnavailableError } from './temporal-errors';
import { parseAccountId } from './validate';
import { parseExpectedValue, parseSeconds } from './validate-checks';

export interface VerifyOwnershipOptions {
  account: string;
  /** What the business knows about the account holder; at least one. */
  name?: string;
  email?: string;
  phone?: string;
  /** One line, e.g. "510 Townsend St, San Francisco, CA 94103". */
  address?: string;
  /** Ownership stored longer ago than this (or never) is refreshed first. */
  maxAgeSeconds: number;
  /** Longest wait for that refresh before comparing with what is stored (flagged stale); default 60. */
  deadlineSeconds?: number;
  taskQueue: string;
}

/**
 * Compares the expected owner with the owners the bank reports, refreshing them when stale. The expected values
 * are PII: they are written to fc_ownership_checks here, and the workflow only ever sees the row's id.
 * `overall` is match (score ≥ OWNERSHIP_MATCH_THRESHOLD, 0.85, with the name compared), review
 * (≥ OWNERSHIP_REVIEW_THRESHOLD, 0.6, or nothing comparable) or no_match: domain/ownership-match.ts.
 * Stripe's own Ownership Match API is a private preview; this works on the refreshed ownership data instead.
 */
export async function verifyOwnership(client: Client, db: Queryable, options: VerifyOwnershipOptions): Promise<OwnershipCheckResult> {
  const accountId = parseAccountId(options.account);
  const expected: ExpectedOwnerValues = {
    name: parseExpectedValue('name', options.name),
    email: parseExpectedValue('email', options.email),
    phone: parseExpectedValue('phone', options.phone),
    address: parseExpectedValue('address', options.address),
  };
  if (Object.values(expected).every((value) => value === null)) {
    throw new InvalidInputError('name', 'give at least one of name, email, phone or address to verify');
  }
  const deadlineSeconds = parseSeconds('deadlineSeconds', options.deadlineSeconds ?? DEFAULT_CHECK_DEADLINE_SECONDS, 1, MAX_DEADLINE_SECONDS);
  const input: VerifyOwnershipInput = {
    checkId: randomUUID(),
    accountId,
    maxAgeSeconds: parseSeconds('maxAgeSeconds', options.maxAgeSeconds, 0),
    deadlineSeconds,
  };
  await insertOwnershipCheckRequest(db, { id: input.checkId, accountId, maxAgeSeconds: input.maxAgeSeconds, expected });
  const workflowId = ownershipCheckWorkflowId(accountId, input.checkId);
  try {
    return await client.workflow.execute<VerifyOwnershipWorkflow>(VERIFY_OWNERSHIP_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: options.taskQueue,
      args: [input],
      workflowExecutionTimeout: checkExecutionTimeout(deadlineSeconds),
      staticSummary: `ownership verification of ${accountId}`,
    });
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new CheckFailedError('ownership', input.checkId, workflowId, err);
    throw toUnavailableError(err);
  }
}
