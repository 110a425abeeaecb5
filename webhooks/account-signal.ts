import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { accountWorkflowId } from '../common/workflow-ids';
import { ACCOUNT_WORKFLOW_TYPE, type AccountWorkflow } from '../common/workflow-types';
import { accountEventSignal, type AccountEventSignal } from '../workflows/account-definitions';

const ACCOUNT_CREATED = 'financial_connections.account.created';

/**
 * Tells the account's entity workflow (fc-account/<id>) about a lifecycle event. `created` registers the account
 * (signal-with-start); other events reach it only if it runs: an account never registered is not an error, since
 * fc_accounts already holds the new status and registration loads it from Stripe.
 */
export async function signalAccountWorkflow(
  temporal: Client,
  taskQueue: string,
  accountId: string,
  signal: AccountEventSignal,
): Promise<'signalled' | 'registered' | 'no_workflow'> {
  if (signal.type === ACCOUNT_CREATED) {
    await temporal.workflow.signalWithStart<AccountWorkflow, [AccountEventSignal]>(ACCOUNT_WORKFLOW_TYPE, {
      workflowId: accountWorkflowId(accountId),
      taskQueue,
      args: [{ accountId }],
      signal: accountEventSignal,
      signalArgs: [signal],
    });
    return 'registered';
  }
  try {
    await temporal.workflow.getHandle(accountWorkflowId(accountId)).signal(accountEventSignal, signal);
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no_workflow';
    throw err;
  }
}
