// Linked accounts for a benchmark: created in the simulator with its webhook endpoint switched off, so no
// account.created event registers an account workflow or stores a snapshot behind the measurement's back.
import { upsertAccountSnapshot } from '../db/queries/accounts';
import type { CreateAccountInput } from '../simulator/control-types';
import { inParallel } from './measure';
import type { ProductStack } from './stack';

/** Creates `count` accounts; with `backfill`, their snapshots are stored as an earlier sync would have left them. */
export async function linkAccounts(stack: ProductStack, count: number, input: CreateAccountInput, options: { backfill?: boolean } = {}): Promise<string[]> {
  const control = stack.simulator.control;
  await control.setWebhookEndpoint({ url: null });
  try {
    const accounts = await inParallel(Array.from({ length: count }, (_, i) => i), 16, () => control.createAccount(input));
    const ids = accounts.map((account) => account.id);
    if (options.backfill) await backfillSnapshots(stack, new Set(ids));
    return ids;
  } finally {
    await control.setWebhookEndpoint({ url: stack.webhookUrl, secret: stack.webhookSecret });
  }
}

async function backfillSnapshots(stack: ProductStack, ids: Set<string>): Promise<void> {
  // An hour old: older than the refresh workflow's 60 s snapshot reuse, as after a real daily cycle.
  const seenAt = new Date(Date.now() - 3600_000);
  const accounts = [];
  for await (const account of stack.stripe.financialConnections.accounts.list({ limit: 100 })) {
    if (ids.has(account.id)) accounts.push(account);
  }
  await inParallel(accounts, 8, (account) => upsertAccountSnapshot(stack.pool, account, seenAt));
}
