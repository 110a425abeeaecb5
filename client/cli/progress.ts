import type { Client } from '@temporalio/client';
import { refreshStatusQuery, type RefreshStatus } from '../../workflows/refresh-definitions';
import { queryWithin } from '../query-within';
import type { StartedRefresh } from '../start-refresh';
import { describeProgress } from './format';

const POLL_INTERVAL_MS = 1_000;
/** Shorter than the reports' deadline: a poll every second should not queue up behind a slow answer. */
const QUERY_DEADLINE_MS = 2_000;

/**
 * Polls the refresh's `status` query every second while the caller waits for its result. On a TTY one line is
 * rewritten in place; elsewhere (logs, CI) a line is printed only when the phase, attempt or wait changes.
 * A poll that fails (worker restarting) is skipped: the result, not the progress, decides the outcome.
 */
export function watchProgress(client: Client, started: StartedRefresh, out: NodeJS.WriteStream): { stop(): void } {
  const handle = client.workflow.getHandle(started.workflowId, started.runId);
  let stopped = false;
  let lastKey = '';
  let timer: NodeJS.Timeout | undefined;

  const show = (status: RefreshStatus) => {
    const line = describeProgress(status, Date.now());
    if (out.isTTY) {
      out.write(`\r\x1b[2K${line}`);
      return;
    }
    const key = `${status.phase}|${status.attempts}|${status.waitingUntil ?? ''}`;
    if (key !== lastKey) out.write(`${line}\n`);
    lastKey = key;
  };

  const poll = async () => {
    const status = await queryWithin(client, handle, refreshStatusQuery, QUERY_DEADLINE_MS);
    if (stopped) return;
    if (status) show(status);
    timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
  };
  void poll();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (out.isTTY) out.write('\r\x1b[2K');
    },
  };
}
