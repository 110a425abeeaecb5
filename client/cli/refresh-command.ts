import { Command, InvalidArgumentError } from 'commander';
import { FEATURES } from '../../common/features';
import type { RefreshResult } from '../../workflows/refresh-definitions';
import { RefreshFailedError } from '../errors';
import { startRefresh, type StartedRefresh } from '../start-refresh';
import { parseAccountId, parseFeature } from '../validate';
import { waitForRefresh } from '../wait-for-refresh';
import { EXIT_NOT_SUCCEEDED, EXIT_OK } from './exit-codes';
import { describeResult } from './format';
import { watchProgress } from './progress';
import { runAction } from './run-action';
import { withTemporalClient } from './temporal-session';

interface RefreshFlags {
  wait?: boolean;
  json?: boolean;
  maxAttempts?: number;
}

export function refreshCommand(): Command {
  return new Command('refresh')
    .description('start a refresh of one feature of an account, or join the one already running')
    .argument('<feature>', `one of ${FEATURES.join(', ')}`)
    .argument('<account>', 'Financial Connections account id (fca_…)')
    .option('--wait', 'wait for the refresh to end; exit 1 unless it succeeded')
    .option('--json', 'print JSON instead of text')
    .option('--max-attempts <n>', 'refreshes to initiate before giving up on failed ones', parseCount)
    .action(
      runAction(async (featureArg: string, accountArg: string, flags: RefreshFlags) => {
        const feature = parseFeature(featureArg);
        const accountId = parseAccountId(accountArg);
        const render = (result: RefreshResult) => (flags.json ? JSON.stringify(result) : describeResult(result));
        return withTemporalClient(async (client, config) => {
          const started = await startRefresh(client, {
            accountId,
            feature,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            ...(flags.maxAttempts === undefined ? {} : { maxAttempts: flags.maxAttempts }),
          });
          if (!flags.wait) {
            process.stdout.write(`${flags.json ? JSON.stringify(started) : `${describeStart(started)} (run ${started.runId})`}\n`);
            return EXIT_OK;
          }
          if (!flags.json) process.stderr.write(`${describeStart(started)}\n`);
          const progress = flags.json ? undefined : watchProgress(client, started, process.stderr);
          // Progress is stopped (its TTY line cleared) before the outcome is printed.
          const ended = await waitForRefresh(client, started)
            .catch((err: unknown) => {
              if (err instanceof RefreshFailedError) return err;
              throw err;
            })
            .finally(() => progress?.stop());
          if (ended instanceof RefreshFailedError) {
            process.stdout.write(`${ended.result ? render(ended.result) : ended.message}\n`);
            return EXIT_NOT_SUCCEEDED;
          }
          process.stdout.write(`${render(ended)}\n`);
          return EXIT_OK;
        });
      }),
    );
}

function describeStart(started: StartedRefresh): string {
  return `${started.joined ? 'joined running' : 'started'} refresh ${started.workflowId}`;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('must be a positive integer');
  return count;
}
