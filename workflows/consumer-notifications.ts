// One workflow per change feed consumer with a URL, `fc-consumer/<name>`: it turns any number of commits into one
// signed "changes available" POST at a time, retried with backoff while the consumer is down.
import { allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DbActivities } from '../activities';
import {
  changesAvailableSignal,
  consumerNotificationsStateQuery,
  type ConsumerNotificationsInput,
  type ConsumerNotificationsState,
} from './consumer-definitions';
import { historyIsLong } from './history-limit';

export async function consumerNotificationsWorkflow(input: ConsumerNotificationsInput): Promise<ConsumerNotificationsState> {
  const { notifyConsumer } = proxyActivities<DbActivities>({
    startToCloseTimeout: '30 seconds',
    // As Stripe retries webhooks: for three days, then the next commit's signal tries again.
    scheduleToCloseTimeout: '3 days',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  const state: ConsumerNotificationsState = {
    consumer: input.consumer,
    announcedSeq: input.announcedSeq ?? 0,
    delivered: input.delivered ?? 0,
    pending: input.pending ?? false,
  };
  setHandler(changesAvailableSignal, () => {
    state.pending = true;
  });
  setHandler(consumerNotificationsStateQuery, () => state);

  for (;;) {
    await condition(() => state.pending);
    // Commits signalled while this notification is out set `pending` again: one more follows, never one per commit.
    state.pending = false;
    try {
      const result = await notifyConsumer({ consumer: state.consumer, announcedSeq: state.announcedSeq });
      if (result.outcome === 'removed') return state;
      if (result.outcome === 'delivered') state.delivered += 1;
      state.announcedSeq = Math.max(state.announcedSeq, result.headSeq);
    } catch (err) {
      log.warn('change notification given up after retrying', { consumer: state.consumer, error: err instanceof Error ? err.message : String(err) });
    }
    if (historyIsLong()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof consumerNotificationsWorkflow>({ ...state });
    }
  }
}
