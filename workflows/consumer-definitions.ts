// The consumer notification workflow's contract, shared by the workflow, the notifier that wakes it and the client.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface ConsumerNotificationsInput {
  consumer: string;
  /** Carried across continue-as-new. */
  announcedSeq?: number;
  delivered?: number;
  pending?: boolean;
}

export interface ConsumerNotificationsState {
  consumer: string;
  /** The newest seq a notification announced. */
  announcedSeq: number;
  /** Notifications the consumer answered with a 2xx. */
  delivered: number;
  /** Changes were committed since the last notification started. */
  pending: boolean;
}

/** "Changes were committed": sent by the notifier (workers/change-notifier.ts) with signal-with-start. */
export const changesAvailableSignal = defineSignal('changesAvailable');
export const consumerNotificationsStateQuery = defineQuery<ConsumerNotificationsState>('consumerNotificationsState');
