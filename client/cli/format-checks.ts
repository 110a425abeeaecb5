import type { BalanceCheckResult } from '../../workflows/balance-check-definitions';
import type { RefreshAttempt } from '../../workflows/check-definitions';
import type { OwnershipCheckResult } from '../../workflows/ownership-check-definitions';

// Human-readable check results; --json prints the typed objects instead.

export function describeBalanceCheck(result: BalanceCheckResult): string {
  const subject = [result.accountId, result.paymentIntentId, result.paymentMethodId].filter((id) => id !== null).join(' / ');
  const lines = [`${result.decision}: ${result.message}`, `  check ${result.checkId} of ${subject || 'no account'} for ${result.amount} ${result.currency} (${result.reason})`];
  const basis = result.basis;
  if (basis) {
    const figure = basis.figure ? `${basis.figure}${basis.weaker ? ' (weaker: current stood in for available)' : ''}` : 'no figure compared';
    const age = basis.asOf === null ? 'no balance stored' : `balance as of ${isoSeconds(basis.asOf)}, ${basis.data}${basis.ageSeconds === null ? '' : `, ${basis.ageSeconds}s old`}`;
    lines.push(`  basis: ${figure}; ${age}; ${basis.stale ? `STALE (${basis.staleReason ?? 'unknown'})` : 'fresh'}`);
  }
  if (result.refresh) lines.push(`  ${describeRefresh(result.refresh)}`);
  return lines.join('\n');
}

export function describeOwnershipCheck(result: OwnershipCheckResult): string {
  const score = result.score === null ? 'no score' : `score ${result.score}`;
  const lines = [
    `${result.overall}: ${score} (match ≥ ${result.thresholds.match}, review ≥ ${result.thresholds.review}; ${result.reason}) for ${result.accountId}`,
  ];
  if (result.fields) {
    lines.push(`  ${Object.entries(result.fields).map(([field, value]) => `${field} ${value.status}${value.score === null ? '' : ` ${value.score}`}`).join(', ')}`);
  }
  const basis = result.basis;
  const stored = basis.refreshedAt === null ? 'no ownership stored' : `ownership ${basis.ownershipId ?? 'none'} (${basis.ownersCompared} owner(s)) stored ${isoSeconds(basis.refreshedAt)}, ${basis.data}`;
  lines.push(`  basis: ${stored}; ${basis.stale ? `STALE (${basis.staleReason ?? 'unknown'})` : 'fresh'}`);
  if (result.refresh) lines.push(`  ${describeRefresh(result.refresh)}`);
  return lines.join('\n');
}

function describeRefresh(refresh: RefreshAttempt): string {
  const parts = [`refresh ${refresh.workflowId}${refresh.joined ? ' (joined)' : ''}: ${refresh.status.replaceAll('_', ' ')}`];
  if (refresh.nextRefreshAvailableAt !== null) parts.push(`next available ${isoSeconds(refresh.nextRefreshAvailableAt)}`);
  return parts.join(', ');
}

function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
