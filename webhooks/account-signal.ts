import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { accountWorkflowId } from '../common/workflow-ids';
import { accountEventSignal, type AccountEventSignal } from '../workflows/account-definitions';

/**
 * Tells the account's entity workflow (fc-account/<id>) about a lifecycle event, if it is running. An account
 * without one (never registered, or before that workflow was deployed) is not an error: fc_accounts already holds
 * the new status, and the workflow loads it from Stripe when it starts.
 */
export async function signalAccountWorkflow(temporal: Client, accountId: string, signal: AccountEventSignal): Promise<'signalled' | 'no_workflow'> {
  try {
    await temporal.workflow.getHandle(accountWorkflowId(accountId)).signal(accountEventSignal, signal);
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no_workflow';
    throw err;
  }
}
