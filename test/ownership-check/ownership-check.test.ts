import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { verifyOwnership, type VerifyOwnershipOptions } from '../../client/verify-ownership';
import type { FieldStatus, OwnershipOutcome } from '../../domain/ownership-match';
import type { OwnershipCheckResult } from '../../workflows/ownership-check-definitions';
import { fcRefreshInProcess } from '../helpers/cli';
import { historyText, maybeRecordHistory } from '../helpers/histories';
import { startStack, type Stack } from '../helpers/stack';
import { waitUntilStoredIsStale } from '../helpers/wait-for-age';

let stack: Stack;
let jointAccountId: string;

/** A joint account: the owner from Stripe's ownership docs and her spouse, as their bank reports them. */
const OWNERS = [
  { name: 'Jenny Rosen', email: 'jenny.rosen@example.com', phone: '+1 555-555-5555', raw_address: '510 Townsend San Francisco, CA 94103' },
  { name: 'MARCUS T ROSEN', email: 'marcus@rosen.family', phone: '+1 415 555 0142', raw_address: '510 Townsend San Francisco, CA 94103' },
];
const DAY = 86_400;

beforeAll(async () => {
  stack = await startStack();
  jointAccountId = (await stack.simulator.createAccount({ owners: OWNERS })).id;
});
afterAll(async () => {
  await stack?.close();
});

type Expected = Pick<VerifyOwnershipOptions, 'name' | 'email' | 'phone' | 'address'>;

// The deadline is far longer than a refresh takes even on a busy machine: only the tests about the deadline set a
// short one.
function verify(accountId: string, expected: Expected, options: Partial<Pick<VerifyOwnershipOptions, 'maxAgeSeconds' | 'deadlineSeconds'>> = {}): Promise<OwnershipCheckResult> {
  return verifyOwnership(stack.client, stack.pool, { account: accountId, maxAgeSeconds: DAY, deadlineSeconds: 120, taskQueue: stack.taskQueue, ...expected, ...options });
}

async function ownershipRefreshesInitiated(accountId: string): Promise<number> {
  return (await stack.simulator.counters()).refreshes[accountId]?.ownership.initiated ?? 0;
}

test('never refreshed: the ownership is refreshed first, then compared and recorded', async () => {
  const result = await verify(jointAccountId, { name: 'Jenny Rosen', email: 'jenny.rosen@example.com' });
  expect(result).toMatchObject({ overall: 'match', reason: 'scored', thresholds: { match: 0.85, review: 0.6 } });
  expect(result.basis).toMatchObject({ data: 'refreshed', fresh: true, ownersCompared: 2 });
  expect(result.refresh).toMatchObject({ status: 'refreshed', outcome: 'succeeded' });
  expect(await ownershipRefreshesInitiated(jointAccountId)).toBe(1);
  const truth = await stack.simulator.groundTruth(jointAccountId);
  const { rows } = await stack.pool.query('SELECT status, overall, score, fields, ownership_id, best_owner_id FROM fc_ownership_checks WHERE id = $1', [result.checkId]);
  expect(rows[0]).toMatchObject({ status: 'completed', overall: 'match', score: result.score, ownership_id: truth.ownership?.id, best_owner_id: truth.owners.find((o) => o.name === 'Jenny Rosen')?.id });
  expect(rows[0].fields).toEqual(result.fields);
  await maybeRecordHistory(stack.client, result.workflowId, 'ownership-check-refreshed');
});

describe('realistic pairs against the stored owners (fresh: no refresh)', () => {
  test.each<{ pair: string; expected: Expected; overall: OwnershipOutcome; fields: Partial<Record<'name' | 'email' | 'phone' | 'address', FieldStatus>> }>([
    {
      pair: 'every field, formatted as the business keeps them',
      expected: { name: 'Jenny Rosen', email: 'jenny.rosen@example.com', phone: '(555) 555-5555', address: '510 Townsend Street, San Francisco, CA 94103' },
      overall: 'match',
      fields: { name: 'match', email: 'match', phone: 'match', address: 'match' },
    },
    { pair: 'bank order "SURNAME, GIVEN" and email case', expected: { name: 'ROSEN, JENNY', email: 'Jenny.Rosen@Example.com' }, overall: 'match', fields: { name: 'match', email: 'match' } },
    { pair: 'the joint owner, middle initial dropped', expected: { name: 'Marcus Rosen', phone: '415-555-0142' }, overall: 'match', fields: { name: 'match', phone: 'match' } },
    { pair: 'plus-addressed email', expected: { name: 'Jenny Rosen', email: 'jenny.rosen+ach@example.com' }, overall: 'match', fields: { email: 'match' } },
    { pair: 'first initial only', expected: { name: 'J. Rosen' }, overall: 'review', fields: { name: 'partial' } },
    { pair: 'contact details only: the name was not compared', expected: { email: 'jenny.rosen@example.com', phone: '+15555555555' }, overall: 'review', fields: { name: 'not_provided' } },
    { pair: 'right name, moved house', expected: { name: 'Jenny Rosen', address: '99 Broadway, New York, NY 10006' }, overall: 'review', fields: { name: 'match', address: 'mismatch' } },
    {
      pair: 'household member: every contact detail but another name',
      expected: { name: 'Julia Rosen', email: 'jenny.rosen@example.com', phone: '555-555-5555', address: '510 Townsend St, San Francisco CA 94103' },
      overall: 'review',
      fields: { name: 'mismatch', email: 'match' },
    },
    {
      pair: 'somebody else entirely',
      expected: { name: 'John Smith', email: 'john.smith@example.org', phone: '+1 212 555 0199', address: '1 Infinite Loop, Cupertino, CA 95014' },
      overall: 'no_match',
      fields: { name: 'mismatch', email: 'mismatch', phone: 'mismatch' },
    },
    { pair: 'a nickname and another email', expected: { name: 'Bob Rosen', email: 'bob@example.net' }, overall: 'no_match', fields: { name: 'mismatch', email: 'mismatch' } },
  ])('$pair → $overall', async ({ expected, overall, fields }) => {
    const result = await verify(jointAccountId, expected);
    expect(result.overall).toBe(overall);
    expect(result.fields).toMatchObject(Object.fromEntries(Object.entries(fields).map(([field, status]) => [field, { status }])));
    expect(result).toMatchObject({ refresh: null, basis: { data: 'stored', fresh: true } });
  });

  test('none of the table refreshed the ownership again', async () => {
    expect(await ownershipRefreshesInitiated(jointAccountId)).toBe(1);
  });
});

test('older than max age: refreshed again and compared with the new snapshot', async () => {
  const accountId = (await stack.simulator.createAccount({ owners: [OWNERS[0]!] })).id;
  const first = await verify(accountId, { name: 'Jenny Rosen' });
  await waitUntilStoredIsStale(stack.pool, accountId, 'ownership', 1);
  const second = await verify(accountId, { name: 'Jenny Rosen' }, { maxAgeSeconds: 1 });
  // Not `fresh`: under a 1-second max age that would measure how fast the machine finished the refresh.
  expect(second).toMatchObject({ overall: 'match', basis: { data: 'refreshed' }, refresh: { status: 'refreshed' } });
  expect(second.basis.ownershipId).not.toBe(first.basis.ownershipId);
  expect(await ownershipRefreshesInitiated(accountId)).toBe(2);
});

test('cooldown longer than the deadline: compared with the stored ownership, flagged stale', async () => {
  const accountId = (await stack.simulator.createAccount({ owners: [OWNERS[0]!], cooldownSeconds: { ownership: 600 } })).id;
  await verify(accountId, { name: 'Jenny Rosen' });
  await waitUntilStoredIsStale(stack.pool, accountId, 'ownership', 1);
  const result = await verify(accountId, { name: 'Jenny Rosen' }, { maxAgeSeconds: 1, deadlineSeconds: 5 });
  expect(result).toMatchObject({ overall: 'match', basis: { data: 'stored', stale: true, staleReason: 'refresh_unavailable_before_deadline' } });
  expect(await ownershipRefreshesInitiated(accountId)).toBe(1);
});

test('no ownership permission: nothing to compare, so review, and no refresh attempted', async () => {
  const accountId = (await stack.simulator.createAccount({ owners: [OWNERS[0]!], permissions: ['payment_method', 'balances'] })).id;
  const result = await verify(accountId, { name: 'Jenny Rosen' });
  expect(result).toMatchObject({ overall: 'review', reason: 'no_owners', score: null, refresh: { status: 'permission_missing' }, basis: { ownersCompared: 0, stale: true, staleReason: 'permission_missing' } });
  expect(await ownershipRefreshesInitiated(accountId)).toBe(0);
});

describe('fc-refresh verify-ownership', () => {
  const env = (): Record<string, string> => ({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: stack.taskQueue, DATABASE_URL: stack.databaseUrl });

  test('exits 0 on match, 1 otherwise', async () => {
    const match = await fcRefreshInProcess(['verify-ownership', jointAccountId, '--name', 'Jenny Rosen', '--email', 'jenny.rosen@example.com', '--json'], env());
    expect(match.code, match.stderr).toBe(0);
    expect(JSON.parse(match.stdout)).toMatchObject({ overall: 'match', accountId: jointAccountId });
    const review = await fcRefreshInProcess(['verify-ownership', jointAccountId, '--name', 'J. Rosen'], env());
    expect(review.code, review.stderr).toBe(1);
    expect(review.stdout).toMatch(/^review: score 0\.8/);
  });

  test('exits 2 when nothing is given to verify', async () => {
    const run = await fcRefreshInProcess(['verify-ownership', jointAccountId], env());
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('at least one of name, email, phone or address');
  });
});

test('no owner or expected value appears in any workflow history', async () => {
  const secrets = [
    ...OWNERS.flatMap((owner) => [owner.name, owner.email, owner.phone, owner.raw_address]),
    'Julia Rosen', 'john.smith@example.org', '1 Infinite Loop', '99 Broadway', '555-555-5555', '415-555-0142', 'Townsend',
  ];
  let scanned = 0;
  for await (const execution of stack.client.workflow.list({ query: `TaskQueue = '${stack.taskQueue}'` })) {
    const text = historyText(await stack.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory());
    expect(text).toContain('fca_'); // payloads were decoded: ids are there, the PII is not
    for (const secret of secrets) expect(text.includes(secret), `${secret} in ${execution.workflowId}`).toBe(false);
    scanned += 1;
  }
  // Every verification and the ownership refreshes they ran.
  expect(scanned).toBeGreaterThanOrEqual(15);
});
