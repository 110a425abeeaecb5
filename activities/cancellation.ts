import { CancelledFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';

/**
 * Long activities learn of cancellation through their heartbeats: call this after each heartbeat and before any
 * final write, so a refresh cancelled mid-paging (e.g. the account was deactivated) stops calling Stripe and never
 * moves a pointer afterwards.
 */
export function stopIfCancelled(context: Context): void {
  if (context.cancellationSignal.aborted) throw new CancelledFailure('activity cancelled while paging');
}
