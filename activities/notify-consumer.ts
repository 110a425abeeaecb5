import { ApplicationFailure } from '@temporalio/activity';
import { encodeChangeCursor } from '../common/change-cursor';
import { signNotification, NOTIFICATION_SIGNATURE_HEADER } from '../common/node/notification-signature';
import { getNotificationTarget, markConsumerNotified } from '../db/queries/consumers';
import type { ActivityDeps } from './deps';

/** The body POSTed to a consumer: no data, only that there is something to sync and up to where. */
export interface ChangesAvailableNotification {
  type: 'changes.available';
  consumer: string;
  /** The feed's head when the notification was sent: a sync reaches at least this far. */
  cursor: string;
  /** Unix seconds. */
  created: number;
}

export interface NotifyConsumerResult {
  /** delivered: POSTed and answered 2xx. up_to_date: nothing unread, or already announced. removed / no_url: nothing to notify. */
  outcome: 'delivered' | 'up_to_date' | 'removed' | 'no_url';
  /** The head announced (or found already announced). */
  headSeq: number;
}

const TIMEOUT_MS = 10_000;

/**
 * POSTs one signed "changes available" to the consumer's URL when it has unread changes not announced yet.
 * Anything but a 2xx answer throws, so Temporal retries with backoff until the consumer is back; each attempt
 * announces the head as it is then, so a consumer that was down gets one notification covering everything.
 */
export function createNotifyConsumer({ pool }: Pick<ActivityDeps, 'pool'>) {
  return async function notifyConsumer(input: { consumer: string; announcedSeq: number }): Promise<NotifyConsumerResult> {
    const target = await getNotificationTarget(pool, input.consumer);
    if (!target) return { outcome: 'removed', headSeq: input.announcedSeq };
    if (!target.url || !target.secret) return { outcome: 'no_url', headSeq: input.announcedSeq };
    if (target.cursorSeq >= target.lastSeq || target.lastSeq <= input.announcedSeq) return { outcome: 'up_to_date', headSeq: Math.max(input.announcedSeq, target.lastSeq) };
    const notification: ChangesAvailableNotification = {
      type: 'changes.available',
      consumer: target.name,
      cursor: encodeChangeCursor(target.lastSeq),
      created: Math.floor(Date.now() / 1000),
    };
    const body = JSON.stringify(notification);
    let status: number;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [NOTIFICATION_SIGNATURE_HEADER]: signNotification(body, target.secret) },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (err) {
      throw ApplicationFailure.retryable(`consumer ${target.name} unreachable: ${err instanceof Error ? err.message : String(err)}`, 'ConsumerUnreachable');
    }
    if (status < 200 || status > 299) throw ApplicationFailure.retryable(`consumer ${target.name} answered HTTP ${status}`, 'ConsumerRefused');
    await markConsumerNotified(pool, target.name);
    return { outcome: 'delivered', headSeq: target.lastSeq };
  };
}
