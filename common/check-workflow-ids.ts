// Workflow-safe: pure and deterministic, bundled into the workflow sandbox (eslint.config.js enforces its imports).
// Readable ids for checks: each request is its own workflow, findable in the Web UI by what it checked.

/** `subjectId` is what the caller named: an fca_, pi_ or pm_ id. */
export function balanceCheckWorkflowId(subjectId: string, checkId: string): string {
  return `fc-balance-check/${subjectId}/${checkId}`;
}

export function ownershipCheckWorkflowId(accountId: string, checkId: string): string {
  return `fc-ownership-check/${accountId}/${checkId}`;
}
