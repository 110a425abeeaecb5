import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ChangeFeed } from '../../client/change-feed';
import { registerConsumer, removeConsumer } from '../../client/consumers';
import type { ChangesAvailableNotification } from '../../activities/notify-consumer';
import { logger } from '../../common/node/logger';
import { NOTIFICATION_SIGNATURE_HEADER, NotificationSignatureError, verifyNotificationSignature } from '../../common/node/notification-signature';
import { consumerWorkflowId } from '../../common/workflow-ids';
import { startChangeNotifier } from '../../workers/change-notifier';
import { maybeRecordHistory } from '../helpers/histories';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';
import { drain } from './feed-helpers';

let stack: Stack;
let notifier: { stop(): Promise<void> };
beforeAll(async () => {
  stack = await startStack();
  notifier = await startChangeNotifier({ databaseUrl: stack.databaseUrl, pool: stack.pool, temporal: stack.client, taskQueue: stack.taskQueue, logger, coalesceMs: 100 });
});
afterAll(async () => {
  await notifier?.stop();
  await stack?.close();
});

/** A consumer's HTTP endpoint that can be taken down (503) and records what it accepted. */
async function startReceiver(): Promise<{ url: string; up: boolean; received: { body: string; headers: IncomingHttpHeaders }[]; refused: number; server: Server }> {
  const state = { url: '', up: true, received: [] as { body: string; headers: IncomingHttpHeaders }[], refused: 0, server: createServer() };
  state.server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (!state.up) {
        state.refused += 1;
        response.writeHead(503).end();
        return;
      }
      state.received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as { port: number }).port}/fc-changes`;
  return state;
}

test('LISTEN/NOTIFY: a change is announced when its transaction commits, never before', async () => {
  const feed = new ChangeFeed(stack.pool);
  const heard: number[] = [];
  const listening = await feed.listen((lastSeq) => heard.push(lastSeq));
  const client = await stack.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO fc_accounts (id, status, stripe_seen_at) VALUES ('fca_notify1', 'active', now())`);
    await sleep(200);
    expect(heard).toEqual([]);
    await client.query('COMMIT');
    await expect.poll(() => heard.length).toBe(1);
    expect(`${heard[0]}`).toBe(String((await stack.pool.query('SELECT last_seq FROM fc_change_log_state')).rows[0].last_seq));
  } finally {
    client.release();
    await listening.close();
  }
});

test('an HTTP consumer that was down gets one coalesced, signed notification when it is back', async () => {
  const receiver = await startReceiver();
  try {
    const registration = await registerConsumer(stack.pool, { name: 'webhooked', url: receiver.url, fromNow: true });
    const secret = registration.secret;
    if (!secret) throw new Error('no secret returned on creation');
    receiver.up = false;
    // Five commits while the consumer answers 503: a real refresh and four account status changes.
    const account = await stack.simulator.createAccount({ transactionCount: 20 });
    await runRefresh(stack.client, stack.taskQueue, account.id, 'transactions');
    for (const [i, status] of ['inactive', 'active', 'inactive', 'active'].entries()) {
      await stack.pool.query(`UPDATE fc_accounts SET status = $2 WHERE id = $1`, [account.id, status]);
      await sleep(150 + i);
    }
    await expect.poll(() => receiver.refused).toBeGreaterThanOrEqual(2);
    expect(receiver.received).toEqual([]);

    receiver.up = true;
    await expect.poll(() => receiver.received.length, { timeout: 30_000, interval: 200 }).toBe(1);
    await sleep(3_000);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    if (!delivery) throw new Error('no delivery');
    const header = delivery.headers[NOTIFICATION_SIGNATURE_HEADER] as string;
    const notification = verifyNotificationSignature<ChangesAvailableNotification>(delivery.body, header, secret);
    const feed = new ChangeFeed(stack.pool);
    expect(notification).toMatchObject({ type: 'changes.available', consumer: 'webhooked', cursor: await feed.head() });

    // Tampered body, wrong secret, replayed long after: refused, each with its reason.
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (err) {
        return err instanceof NotificationSignatureError ? err.problem : String(err);
      }
      return 'accepted';
    };
    expect(refusal(() => verifyNotificationSignature(delivery.body.replace('webhooked', 'attacker'), header, secret))).toBe('signature_mismatch');
    expect(refusal(() => verifyNotificationSignature(delivery.body, header, `${secret}x`))).toBe('signature_mismatch');
    expect(refusal(() => verifyNotificationSignature(delivery.body, header, secret, { nowSeconds: Math.floor(Date.now() / 1000) + 3_600 }))).toBe('timestamp_outside_tolerance');
    expect(refusal(() => verifyNotificationSignature(delivery.body, undefined, secret))).toBe('missing_header');

    // The consumer syncs to the head; the next commit brings exactly one more notification.
    const { changes, cursor } = await drain(stack.pool, { consumer: 'webhooked', cursor: registration.consumer.cursor });
    expect(changes.length).toBe(20 + 1 + 4);
    await feed.acknowledge('webhooked', cursor);
    await stack.pool.query(`UPDATE fc_accounts SET status = 'inactive' WHERE id = $1`, [account.id]);
    await expect.poll(() => receiver.received.length).toBe(2);

    // Removing the consumer ends its workflow at the next wake-up.
    await removeConsumer(stack.pool, 'webhooked');
    const handle = stack.client.workflow.getHandle(consumerWorkflowId('webhooked'));
    await handle.signal('changesAvailable');
    const final = (await handle.result()) as { delivered: number };
    expect(final.delivered).toBe(2);
    await maybeRecordHistory(stack.client, consumerWorkflowId('webhooked'), 'consumer-notifications-retried-coalesced');
  } finally {
    receiver.server.close();
  }
});
