import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { startStack, type Stack } from '../helpers/stack';
import { fuzzReceiver } from './fuzz-receiver';

// One log line per delivery would bury the test's output; the logger reads LOG_LEVEL when first imported.
vi.hoisted(() => {
  process.env.LOG_LEVEL ??= 'error';
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

// A fixed seed keeps CI reproducible; bench/fuzz.ts draws a new one each run.
const SEED = 20261123;

test('1,000 malformed and hostile deliveries: correct 4xx, no workflow started or signalled, nothing recorded, receiver healthy', async () => {
  const verdict = await fuzzReceiver(stack, { count: 1_000, seed: SEED });

  expect(verdict.examples).toEqual([]);
  expect(verdict).toMatchObject({
    sent: 1_000,
    wrongAnswers: 0,
    workflowsStarted: 0,
    signalsToWaitingRefresh: 0,
    eventsRecordedBeyondAccepted: 0,
    healthz: 200,
    readyz: 200,
    prototypePolluted: false,
    controlStartSeen: true,
  });
}, 60_000);
