import type { AccountState } from '../../workflows/account-definitions';
import type { AccountListing, AccountReport, RegisteredAccount } from '../accounts';

// Human-readable lines for the accounts commands; --json prints the typed objects instead.

export function describeRegistration(registered: RegisteredAccount): string {
  return `${registered.accountId} ${registered.alreadyRegistered ? 'was already registered' : 'registered'} (workflow ${registered.workflowId})`;
}

export function describeAccountState(state: AccountState): string {
  const subscriptions = state.subscriptions.length > 0 ? state.subscriptions.join(', ') : 'none';
  return `lifecycle: ${state.lifecycle} · subscriptions: ${subscriptions} · lifecycle events applied: ${state.eventsApplied}`;
}

export function describeAccountReport(report: AccountReport): string {
  const lines = [`${report.accountId}  ${report.execution}  workflow ${report.workflowId}  since ${report.startedAt.toISOString()}`];
  if (report.state) lines.push(`  ${describeAccountState(report.state)}`);
  else if (report.failure) lines.push(`  failed: ${report.failure}`);
  else if (report.execution === 'running') lines.push('  (no worker answered the state query)');
  return lines.join('\n');
}

export function describeAccountListing(listing: AccountListing): string {
  return `${listing.accountId.padEnd(32)} ${listing.execution.padEnd(10)} registered ${listing.startedAt.toISOString()}`;
}
