import { afterAll, beforeAll, expect, test } from 'vitest';
import { ChangeFeed } from '../../client/change-feed';
import { registerConsumer } from '../../client/consumers';
import { ConsumerNotRegisteredError, CursorExpiredError, InvalidInputError } from '../../client/errors';
import { ensurePruneSchedule, pruneScheduleId } from '../../client/prune-schedule';
import { encodeChangeCursor } from '../../common/change-cursor';
import { pruneRetainedData, type RetentionAges } from '../../db/queries/retention';
import { fcRefreshInProcess } from '../helpers/cli';
import { maybeRecordHistory } from '../helpers/histories';
import { startStack, type Stack } from '../helpers/stack';
import { drain } from './feed-helpers';
import { PRUNE_RETAINED_DATA_WORKFLOW_TYPE, type PruneRetainedDataWorkflow } from '../../common/workflow-types';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const KEEP_EVERYTHING: RetentionAges = { changesRetentionDays: 7, changesMaxAgeDays: 30, ownersRetentionDays: 30, eventPayloadRetentionDays: 30, ownershipCheckRetentionDays: 30 };

async function statusChanges(accountId: string, count: number): Promise<void> {
  await stack.pool.query(`INSERT INTO fc_accounts (id, status, stripe_seen_at) VALUES ($1, 'active', now()) ON CONFLICT DO NOTHING`, [accountId]);
  for (let i = 0; i < count; i++) await stack.pool.query(`UPDATE fc_accounts SET status = $2 WHERE id = $1`, [accountId, i % 2 === 0 ? 'inactive' : 'active']);
}

const errorOf = async (run: () => Promise<unknown>): Promise<unknown> => run().then(() => null, (err: unknown) => err);

test('changes are pruned once every consumer has passed them and the retention elapsed; a consumer left behind is told how to resync', async () => {
  const feed = new ChangeFeed(stack.pool);
  await registerConsumer(stack.pool, { name: 'fast' });
  await registerConsumer(stack.pool, { name: 'slow' });
  await statusChanges('fca_retention1', 10);
  const fast = await drain(stack.pool, { consumer: 'fast' });
  await feed.acknowledge('fast', fast.cursor);
  const slowFirst = await feed.sync({ consumer: 'slow', limit: 4 });
  await feed.acknowledge('slow', slowFirst.nextCursor);

  // Within the retention nothing goes; past it, only what both consumers have passed.
  expect((await pruneRetainedData(stack.pool, KEEP_EVERYTHING)).changes).toBe(0);
  const pruned = await pruneRetainedData(stack.pool, { ...KEEP_EVERYTHING, changesRetentionDays: 0 });
  expect(pruned.changes).toBe(4);
  const slowRest = await drain(stack.pool, { consumer: 'slow' });
  expect(slowRest.changes.map((change) => change.seq)).toEqual(fast.changes.slice(4).map((change) => change.seq));

  // Past the maximum age everything goes; the slow consumer's next sync is refused with a resync cursor.
  await feed.acknowledge('slow', slowFirst.nextCursor);
  const everything = await pruneRetainedData(stack.pool, { ...KEEP_EVERYTHING, changesRetentionDays: 0, changesMaxAgeDays: 0 });
  expect(everything.changes).toBe(fast.changes.length - 4);
  const expired = await errorOf(() => feed.sync({ consumer: 'slow' }));
  expect(expired).toBeInstanceOf(CursorExpiredError);
  expect((expired as CursorExpiredError).message).toMatch(/expired.*resync: reload the current state from the fc_\* tables, then sync with cursor/);
  const resync = (expired as CursorExpiredError).resyncCursor;
  expect(resync).toBe(await feed.head());
  await statusChanges('fca_retention1', 1);
  expect((await feed.sync({ consumer: 'slow', cursor: resync })).changes).toHaveLength(1);

  // A cursor from another feed (ahead of this one), a malformed one, an unknown consumer.
  const ahead = await errorOf(() => feed.sync({ consumer: 'fast', cursor: encodeChangeCursor(1_000_000) }));
  expect(ahead).toMatchObject({ reason: 'unknown' });
  expect(await errorOf(() => feed.sync({ consumer: 'fast', cursor: 'garbage' }))).toBeInstanceOf(InvalidInputError);
  expect(await errorOf(() => feed.sync({ consumer: 'nobody' }))).toBeInstanceOf(ConsumerNotRegisteredError);
});

test('the daily prune job removes superseded owners, old event payloads and old expected owner values, and nothing current', async () => {
  const old = "now() - interval '40 days'";
  await stack.pool.query(`INSERT INTO fc_accounts (id, status, stripe_seen_at, ownership_id) VALUES ('fca_prune1', 'active', now(), 'fcaowns_current')`);
  await stack.pool.query(
    `INSERT INTO fc_owners (id, account_id, ownership_id, name, stored_at) VALUES
       ('fcaown_old', 'fca_prune1', 'fcaowns_superseded', 'Old Owner', ${old}),
       ('fcaown_recent', 'fca_prune1', 'fcaowns_newer_in_progress', 'New Owner', now()),
       ('fcaown_current', 'fca_prune1', 'fcaowns_current', 'Current Owner', ${old})`,
  );
  await stack.pool.query(
    `INSERT INTO stripe_events (id, type, account_id, created, livemode, payload, received_at, processed_at) VALUES
       ('evt_old', 't', 'fca_prune1', now(), false, '{"x":1}', ${old}, ${old}),
       ('evt_old_unprocessed', 't', 'fca_prune1', now(), false, '{"x":1}', ${old}, NULL),
       ('evt_new', 't', 'fca_prune1', now(), false, '{"x":1}', now(), now())`,
  );
  await stack.pool.query(
    `INSERT INTO fc_ownership_checks (id, account_id, status, expected_name, expected_email, max_age_seconds, created_at) VALUES
       ('chk_old', 'fca_prune1', 'completed', 'Jane Roe', 'jane@example.org', 60, ${old}),
       ('chk_new', 'fca_prune1', 'completed', 'Jane Roe', 'jane@example.org', 60, now())`,
  );
  const workflowId = `fc-refresh/prune-run/${stack.taskQueue}/test`;
  const counts = await stack.client.workflow.execute<PruneRetainedDataWorkflow>(PRUNE_RETAINED_DATA_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId });
  expect(counts).toMatchObject({ owners: 1, eventPayloads: 1, ownershipChecks: 1 });
  await maybeRecordHistory(stack.client, workflowId, 'prune-retained-data');
  expect((await stack.pool.query(`SELECT id FROM fc_owners WHERE account_id = 'fca_prune1' ORDER BY id`)).rows.map((row) => row.id)).toEqual(['fcaown_current', 'fcaown_recent']);
  expect((await stack.pool.query(`SELECT id FROM stripe_events WHERE payload IS NULL`)).rows).toEqual([{ id: 'evt_old' }]);
  expect((await stack.pool.query(`SELECT id, expected_name, overall IS NULL AS kept FROM fc_ownership_checks ORDER BY id`)).rows).toEqual([
    { id: 'chk_new', expected_name: 'Jane Roe', kept: true },
    { id: 'chk_old', expected_name: null, kept: true },
  ]);

  // The daily schedule is created once per task queue and then left as it is.
  expect(await ensurePruneSchedule(stack.client, stack.taskQueue)).toBe('created');
  expect(await ensurePruneSchedule(stack.client, stack.taskQueue)).toBe('kept');
  await stack.client.schedule.getHandle(pruneScheduleId(stack.taskQueue)).delete();
});

test('the CLI: consumers add / list / reset / remove, changes --json, prune --json', async () => {
  const env = { DATABASE_URL: stack.databaseUrl };
  const added = await fcRefreshInProcess(['consumers', 'add', 'cli-consumer', '--url', 'https://consumer.example/fc', '--json'], env);
  expect(added.code, added.stderr).toBe(0);
  const registration = JSON.parse(added.stdout) as { created: boolean; secret: string };
  expect(registration).toMatchObject({ created: true });
  expect(registration.secret).toMatch(/^fcwhsec_/);
  const list = await fcRefreshInProcess(['consumers', 'list'], env);
  expect(list.stdout).toContain('cli-consumer');
  expect(list.stdout).not.toContain(registration.secret);

  await statusChanges('fca_cli1', 3);
  const changes = await fcRefreshInProcess(['changes', '--consumer', 'cli-consumer', '--account', 'fca_cli1', '--json'], env);
  expect(changes.code, changes.stderr).toBe(0);
  const lines = changes.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind?: string; cursor: string });
  expect(lines.filter((line) => line.kind === 'account.status_changed')).toHaveLength(4);
  // Acknowledged: the next run without --cursor prints nothing new.
  const next = await fcRefreshInProcess(['changes', '--consumer', 'cli-consumer', '--account', 'fca_cli1'], env);
  expect(next.stdout.trim()).toMatch(/^caught up at cursor \S+$/);
  const text = await fcRefreshInProcess(['changes', '--consumer', 'cli-consumer', '--cursor', lines[0]?.cursor ?? '', '--account', 'fca_cli1'], env);
  expect(text.stdout).toMatch(/#\d+ account.status_changed fca_cli1 inactive -> active/);

  expect((await fcRefreshInProcess(['changes', '--consumer', 'cli-consumer', '--cursor', 'nonsense'], env)).code).toBe(2);
  const pruned = await fcRefreshInProcess(['prune', '--json'], { ...env, FC_CHANGES_RETENTION_DAYS: '0.000001' });
  expect(pruned.code, pruned.stderr).toBe(0);
  expect(JSON.parse(pruned.stdout)).toHaveProperty('changesPrunedThrough');
  expect((await fcRefreshInProcess(['prune'], { ...env, FC_OWNERS_RETENTION_DAYS: 'soon' })).stderr).toContain('FC_OWNERS_RETENTION_DAYS must be a positive number of days');
  const reset = await fcRefreshInProcess(['consumers', 'reset', 'cli-consumer'], env);
  expect(reset.stdout).toMatch(/now at cursor/);
  expect((await fcRefreshInProcess(['consumers', 'remove', 'cli-consumer'], env)).code).toBe(0);
}, 240_000);
