// One refresh request's state across its runs: the completions it was signalled and what it hands on.
import { describe, expect, test } from 'vitest';
import type { RefreshCompletedSignal, RefreshHash, RefreshWorkflowInput } from '../../workflows/refresh-definitions';
import { RefreshRun } from '../../workflows/refresh-run';

const NOW_MS = 1_700_000_000_000;
const input: RefreshWorkflowInput = { accountId: 'fca_1', feature: 'transactions', trigger: 'request' };
const context = { nowMs: NOW_MS, runId: 'run-1', defaultDeadlineSeconds: 3600 };

const hash = (status: RefreshHash['status'], lastAttemptedAt: number, id: string | null = null): RefreshHash => ({
  status,
  lastAttemptedAt,
  nextRefreshAvailableAt: status === 'pending' ? null : lastAttemptedAt + 60,
  id,
});
const signal = (eventId: string, refresh: RefreshHash): RefreshCompletedSignal => ({ eventId, eventCreated: refresh.lastAttemptedAt + 1, refresh });

describe('signals a run receives', () => {
  test.each([
    { situation: 'a completion is kept', signals: [signal('evt_1', hash('succeeded', 100))], kept: 1 },
    { situation: "Stripe's re-delivery of the same event is dropped", signals: [signal('evt_1', hash('succeeded', 100)), signal('evt_1', hash('succeeded', 100))], kept: 1 },
    { situation: 'a pending hash is no completion', signals: [signal('evt_1', hash('pending', 100))], kept: 0 },
    { situation: 'two events of two refreshes are both kept', signals: [signal('evt_1', hash('failed', 100)), signal('evt_2', hash('succeeded', 200))], kept: 2 },
  ])('$situation', ({ signals, kept }) => {
    const run = new RefreshRun(input, context);
    for (const received of signals) run.receive(received);
    expect(run.receivedCount()).toBe(kept);
    expect(run.hasCompletions()).toBe(kept > 0);
  });
});

describe('after a successful Refresh API call, only completions that can be ours are kept', () => {
  const tracked = hash('pending', 100, 'fctxnref_ours');
  test.each([
    { situation: 'nothing arrived during the call', before: [signal('evt_old', hash('succeeded', 100, 'fctxnref_prev'))], during: [], kept: 0, askStripe: false },
    { situation: 'our own completion arrived during the call', before: [], during: [signal('evt_ours', hash('succeeded', 100, 'fctxnref_ours'))], kept: 1, askStripe: false },
    { situation: 'a same-second completion of another refresh arrived during the call', before: [], during: [signal('evt_prev', hash('succeeded', 100, 'fctxnref_prev'))], kept: 0, askStripe: true },
  ])('$situation', ({ before, during, kept, askStripe }) => {
    const run = new RefreshRun(input, context);
    for (const received of before) run.receive(received);
    const mark = run.receivedCount();
    for (const received of during) run.receive(received);
    expect(run.keepCompletionsOfInitiated(mark, tracked)).toBe(askStripe);
    expect(run.receivedCount()).toBe(kept);
  });

  test('a balance refresh has no id to tell completions apart: Stripe is asked', () => {
    const run = new RefreshRun({ ...input, feature: 'balance' }, context);
    run.receive(signal('evt_1', hash('succeeded', 100)));
    expect(run.keepCompletionsOfInitiated(0, hash('pending', 100))).toBe(true);
    expect(run.hasCompletions()).toBe(false);
  });
});

describe('continue-as-new hands the request on', () => {
  test('the deadline, the first run id, the counts and the unused completions carry over', () => {
    const first = new RefreshRun(input, context);
    first.receive(signal('evt_1', hash('succeeded', 100, 'fctxnref_a')));
    first.initiationRequests = 2;
    first.known = hash('failed', 90, 'fctxnref_z');
    const carried = first.carryOver(40);
    const next = new RefreshRun({ ...input, carried }, { ...context, nowMs: NOW_MS + 60_000, runId: 'run-2' });
    expect(next.deadlineAt).toBe(NOW_MS + 3_600_000);
    expect(next.firstRunId).toBe('run-1');
    expect(next.initiationRequests).toBe(2);
    expect(next.known).toEqual(first.known);
    expect(next.completionOf(hash('pending', 100, 'fctxnref_a'))?.eventId).toBe('evt_1');
    expect(carried.recheckSeconds).toBe(40);
    // An event seen by the first run is still dropped when Stripe re-delivers it to the next.
    next.receive(signal('evt_1', hash('succeeded', 100, 'fctxnref_a')));
    expect(next.receivedCount()).toBe(1);
  });

  test('only the newest event ids are remembered, so the carried input stays small', () => {
    const run = new RefreshRun(input, context);
    for (let i = 0; i < 150; i += 1) run.receive(signal(`evt_${i}`, hash('pending', 100 + i)));
    const { seenEventIds } = run.carryOver(5);
    expect(seenEventIds).toHaveLength(100);
    expect(seenEventIds.at(-1)).toBe('evt_149');
  });

  test('the deadline is the request deadline when the caller sets one', () => {
    expect(new RefreshRun({ ...input, refreshDeadlineSeconds: 60 }, context).remainingMs(NOW_MS + 15_000)).toBe(45_000);
  });
});

describe('a client request that joins a run', () => {
  const request: RefreshWorkflowInput = { accountId: 'fca_1', feature: 'transactions', trigger: 'request', maxAttempts: 3 };

  test("is answered by a run of its own kind (the start's own signal among them): nothing queued", () => {
    const run = new RefreshRun(input, context);
    run.queueRequest(request);
    expect(run.queuedRequest).toBeUndefined();
  });

  test('is queued by a webhook run, the first one only, and handed on across continue-as-new', () => {
    const run = new RefreshRun({ ...input, trigger: 'webhook' }, context);
    run.queueRequest(request);
    run.queueRequest({ ...request, maxAttempts: 1 });
    expect(run.queuedRequest).toMatchObject(request);
    const next = new RefreshRun({ ...input, trigger: 'webhook', carried: run.carryOver(5) }, { ...context, runId: 'run-2' });
    expect(next.queuedRequest).toMatchObject(request);
  });

  test('nothing to hand on: the carry-over has no queued request', () => {
    expect(new RefreshRun({ ...input, trigger: 'webhook' }, context).carryOver(5)).not.toHaveProperty('queuedRequest');
  });
});
