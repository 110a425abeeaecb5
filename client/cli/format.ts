import type { RefreshResult, RefreshStatus } from '../../workflows/refresh-definitions';
import type { RefreshStatusReport } from '../refresh-status';

// Human-readable lines; --json prints the typed objects instead.

export function describeProgress(status: RefreshStatus, nowMs: number): string {
  const parts = [`${status.feature} ${status.accountId}: ${status.phase.replaceAll('_', ' ')}`];
  if (status.attempts > 0) parts.push(`attempt ${status.attempts}`);
  if (status.waitingUntil !== null) parts.push(`until ${isoSeconds(status.waitingUntil)}`);
  parts.push(`${Math.max(0, Math.round(nowMs / 1000 - status.startedAt))}s`);
  return parts.join(' · ');
}

export function describeResult(result: RefreshResult): string {
  const lines = [`${result.feature} ${result.accountId}: ${result.outcome} after ${result.attempts} attempt(s)`];
  const stored = Object.entries(result.stored).filter(([, value]) => value !== undefined && value !== null);
  if (stored.length > 0) lines.push(`  stored: ${stored.map(([key, value]) => `${key}=${String(value)}`).join(', ')}`);
  if (result.error) lines.push(`  error: ${result.error.code}${result.error.message ? ` (${result.error.message})` : ''}`);
  if (result.nextRefreshAvailableAt !== null) lines.push(`  next refresh available at ${isoSeconds(result.nextRefreshAvailableAt)}`);
  return lines.join('\n');
}

export function describeReport(report: RefreshStatusReport): string {
  const head = `${report.feature.padEnd(12)} ${report.execution.padEnd(10)} ${report.workflowId} started ${report.startedAt.toISOString()}`;
  if (report.status === null) return report.execution === 'running' ? `${head}\n  (no worker answered the status query)` : head;
  return 'outcome' in report.status ? `${head}\n  ${describeResult(report.status).replaceAll('\n', '\n  ')}` : `${head}\n  ${describeProgress(report.status, Date.now())}`;
}

function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
