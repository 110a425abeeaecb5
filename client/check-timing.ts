// How long a check may take: the caller's refresh deadline, then a margin for the decision itself.

export const DEFAULT_CHECK_DEADLINE_SECONDS = 60;
/** A check answers a caller about to debit: waiting longer than an hour for a refresh helps nobody. */
export const MAX_DEADLINE_SECONDS = 3600;

/** Past the refresh deadline the decision takes seconds; a check still running this much later is abandoned. */
const DECISION_MARGIN_SECONDS = 120;

export function checkExecutionTimeout(deadlineSeconds: number): string {
  return `${deadlineSeconds + DECISION_MARGIN_SECONDS} seconds`;
}
