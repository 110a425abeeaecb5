// Linked accounts as other services see them: each is one long-running workflow (fc-account/<id>) that this module
// starts, queries and updates. The client talks to Temporal only; Stripe is reached by the workflow's activities.
import type { Client } from '@temporalio/client';
import { accountWorkflowId } from '../common/workflow-ids';
import { ACCOUNT_WORKFLOW_TYPE, type AccountWorkflow } from '../common/workflow-types';
import {
  accountStateQuery,
  subscribeTransactionsUpdate,
  unsubscribeTransactionsUpdate,
  type AccountState,
} from '../workflows/account-definitions';
import { AccountInactiveError, AccountNotRegisteredError } from './errors';
import { readLatestRun, type ExecutionState } from './latest-run';
import { startOrJoin } from './start-or-join';
import { toAccountError, toUnavailableError } from './temporal-errors';
import { parseAccountId, parsePositiveInteger } from './validate';

const ACCOUNT_WORKFLOW_ID_PREFIX = accountWorkflowId('');

export type AccountExecutionState = ExecutionState;

export interface RegisteredAccount {
  accountId: string;
  workflowId: string;
  runId: string;
  /** True when the account's workflow was already running: registering is idempotent. */
  alreadyRegistered: boolean;
}

export interface AccountReport {
  accountId: string;
  workflowId: string;
  runId: string;
  execution: AccountExecutionState;
  startedAt: Date;
  closedAt: Date | null;
  /** Running: the `accountState` query (null when no worker answered in time). Completed (disconnected): its result. */
  state: AccountState | null;
  /** Why the workflow failed, e.g. Stripe has no such account; null otherwise. */
  failure: string | null;
}

export interface AccountListing {
  accountId: string;
  workflowId: string;
  runId: string;
  execution: AccountExecutionState;
  startedAt: Date;
}

/**
 * Registers a linked account: starts its entity workflow, which loads the account from Stripe and from then on
 * follows its lifecycle events. A second registration joins the running workflow (startOrJoin tells which).
 */
export async function registerAccount(client: Client, options: { accountId: string; taskQueue: string }): Promise<RegisteredAccount> {
  const accountId = parseAccountId(options.accountId);
  const workflowId = accountWorkflowId(accountId);
  try {
    const { runId, joined } = await startOrJoin<AccountWorkflow>(client, ACCOUNT_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: options.taskQueue,
      args: [{ accountId }],
      staticSummary: `linked account ${accountId}`,
    });
    return { accountId, workflowId, runId, alreadyRegistered: joined };
  } catch (err) {
    throw toAccountError(err, accountId, 'register');
  }
}

/** The account's latest workflow run and what it knows; AccountNotRegisteredError when there has never been one. */
export async function getAccountState(client: Client, accountId: string): Promise<AccountReport> {
  const account = parseAccountId(accountId);
  const workflowId = accountWorkflowId(account);
  try {
    return { accountId: account, workflowId, ...(await readLatestRun<AccountWorkflow, AccountState>(client, workflowId, accountStateQuery)) };
  } catch (err) {
    throw toAccountError(err, account, 'show');
  }
}

/**
 * Registered accounts on this task queue, from Temporal visibility (running ones first; it may lag a start by up to
 * a second). One row per account: its latest run, continued-as-new runs left out.
 */
export async function listAccounts(client: Client, options: { taskQueue: string; limit?: number }): Promise<AccountListing[]> {
  const limit = options.limit === undefined ? 100 : parsePositiveInteger('limit', options.limit);
  const query = `WorkflowType = '${ACCOUNT_WORKFLOW_TYPE}' AND TaskQueue = '${quoteLiteral(options.taskQueue)}' AND ExecutionStatus != 'ContinuedAsNew'`;
  const listings = new Map<string, AccountListing>();
  try {
    for await (const execution of client.workflow.list({ query })) {
      if (!execution.workflowId.startsWith(ACCOUNT_WORKFLOW_ID_PREFIX) || listings.has(execution.workflowId)) continue;
      listings.set(execution.workflowId, {
        accountId: execution.workflowId.slice(ACCOUNT_WORKFLOW_ID_PREFIX.length),
        workflowId: execution.workflowId,
        runId: execution.runId,
        execution: execution.status.name.toLowerCase() as AccountExecutionState,
        startedAt: execution.startTime,
      });
      if (listings.size >= limit) break;
    }
  } catch (err) {
    throw toUnavailableError(err);
  }
  return [...listings.values()];
}

/**
 * Subscribes the account to Stripe's daily transaction refreshes (the account workflow's `subscribeTransactions`
 * update). Stripe starts a transaction refresh on subscribing, which the workflow follows and syncs. Resolves with
 * the account's state once Stripe has answered; AccountInactiveError when the account is inactive or disconnected.
 */
export async function subscribeTransactions(client: Client, accountId: string): Promise<AccountState> {
  return changeSubscription(client, accountId, 'subscribe');
}

/** Ends the daily transaction refreshes; the daily scheduled sync then refreshes the account itself. */
export async function unsubscribeTransactions(client: Client, accountId: string): Promise<AccountState> {
  return changeSubscription(client, accountId, 'unsubscribe');
}

async function changeSubscription(client: Client, accountId: string, action: 'subscribe' | 'unsubscribe'): Promise<AccountState> {
  const account = parseAccountId(accountId);
  const handle = client.workflow.getHandle<AccountWorkflow>(accountWorkflowId(account));
  try {
    return await handle.executeUpdate(action === 'subscribe' ? subscribeTransactionsUpdate : unsubscribeTransactionsUpdate);
  } catch (err) {
    const mapped = toAccountError(err, account, action);
    throw mapped instanceof AccountNotRegisteredError ? await closedAccountError(client, account, action, mapped) : mapped;
  }
}

/** An update cannot reach a closed run: a disconnected account's workflow has ended, which is not "never registered". */
async function closedAccountError(client: Client, accountId: string, action: string, notFound: AccountNotRegisteredError): Promise<Error> {
  const report = await getAccountState(client, accountId).catch(() => null);
  return report?.state?.lifecycle === 'disconnected' ? new AccountInactiveError(accountId, 'disconnected', action) : notFound;
}

/** Visibility queries are SQL-like: a quote inside a string literal is escaped with a backslash. */
function quoteLiteral(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
}
