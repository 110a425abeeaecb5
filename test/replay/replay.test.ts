import { readdir, readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { expect, inject, test } from 'vitest';
import * as workflows from '../../workflows';
import { historiesDir } from '../helpers/histories';
import { installTestRuntimeLogger } from '../helpers/test-log';

// Every recorded history (test/replay/histories, made by the integration tests with RECORD_HISTORIES=1)
// must replay against the current workflow code: a change that breaks determinism fails here, not in production.
test('recorded histories of every workflow replay against the current code', async () => {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThan(0);
  const histories = await Promise.all(
    files.map(async (file) => ({ workflowId: file.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(await readFile(`${historiesDir}${file}`, 'utf8'))) })),
  );
  const failures: string[] = [];
  installTestRuntimeLogger(); // the replay worker's state changes go to the file's log, not the console
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code: inject('workflowBundleCode') } }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
  }
  expect(failures).toEqual([]);
  const types = new Set(histories.map(({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
  // Every workflow the worker registers has at least one recorded history.
  expect([...types].sort()).toEqual(Object.keys(workflows).sort());
});
