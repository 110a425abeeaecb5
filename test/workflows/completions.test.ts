import { describe, expect, test } from 'vitest';
import { completes, findCompletion, newestCompletionSince } from '../../workflows/completions';
import type { RefreshCompletedSignal, RefreshHash } from '../../workflows/refresh-definitions';

const hash = (status: RefreshHash['status'], lastAttemptedAt: number, id: string | null = null): RefreshHash => ({
  status,
  lastAttemptedAt,
  nextRefreshAvailableAt: status === 'pending' ? null : lastAttemptedAt + 60,
  id,
});
const signal = (eventId: string, refresh: RefreshHash, eventCreated = refresh.lastAttemptedAt + 5): RefreshCompletedSignal => ({
  eventId,
  eventCreated,
  refresh,
});

describe('matching a webhook to the refresh being tracked', () => {
  test('the completion of the tracked balance refresh matches', () => {
    expect(completes(hash('succeeded', 100), hash('pending', 100))).toBe(true);
  });
  test('an older refresh event is stale', () => {
    expect(completes(hash('succeeded', 90), hash('pending', 100))).toBe(false);
  });
  test('a pending hash never completes anything', () => {
    expect(completes(hash('pending', 100), hash('pending', 100))).toBe(false);
  });
  test('transaction refreshes match by id, and a different older id is stale even in the same second', () => {
    expect(completes(hash('failed', 100, 'fctxnref_a'), hash('pending', 100, 'fctxnref_a'))).toBe(true);
    expect(completes(hash('succeeded', 100, 'fctxnref_old'), hash('pending', 100, 'fctxnref_a'))).toBe(false);
    expect(completes(hash('succeeded', 101, 'fctxnref_next'), hash('pending', 100, 'fctxnref_a'))).toBe(true);
  });
  test('findCompletion picks the newest matching event and ignores stale ones', () => {
    const tracked = hash('pending', 100);
    const found = findCompletion([signal('evt_old', hash('succeeded', 50)), signal('evt_ours', hash('failed', 100)), signal('evt_later', hash('succeeded', 120))], tracked);
    expect(found?.eventId).toBe('evt_later');
    expect(findCompletion([signal('evt_old', hash('succeeded', 50))], tracked)).toBeUndefined();
  });
  test('newestCompletionSince only counts refreshes attempted after what is known', () => {
    const known = hash('succeeded', 100);
    expect(newestCompletionSince([signal('evt_same', hash('succeeded', 100))], known)).toBeUndefined();
    expect(newestCompletionSince([signal('evt_new', hash('succeeded', 130))], known)?.eventId).toBe('evt_new');
    expect(newestCompletionSince([signal('evt_any', hash('succeeded', 1))], null)?.eventId).toBe('evt_any');
  });
});
