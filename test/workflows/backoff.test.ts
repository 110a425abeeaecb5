// The one backoff behind the refresh's re-checks and polls and the check's joined-refresh polls.
import { describe, expect, test } from 'vitest';
import { Backoff } from '../../workflows/backoff';

const takes = (backoff: Backoff, count: number): number[] => Array.from({ length: count }, () => backoff.take());

describe('the gaps a backoff hands out', () => {
  test.each([
    { situation: 'the refresh re-check (5s → 300s)', initial: 5, max: 300, startAt: undefined, gaps: [5, 10, 20, 40, 80, 160, 300, 300] },
    { situation: 'the fallback poll (15s → 300s)', initial: 15, max: 300, startAt: undefined, gaps: [15, 30, 60, 120, 240, 300, 300] },
    { situation: "a check's joined-refresh poll (1s → 15s)", initial: 1, max: 15, startAt: undefined, gaps: [1, 2, 4, 8, 15, 15] },
    { situation: 'carried across continue-as-new', initial: 5, max: 300, startAt: 80, gaps: [80, 160, 300] },
    { situation: 'a ceiling equal to the first gap', initial: 60, max: 60, startAt: undefined, gaps: [60, 60, 60] },
  ])('$situation', ({ initial, max, startAt, gaps }) => {
    expect(takes(new Backoff(initial, max, startAt), gaps.length)).toEqual(gaps);
  });

  test('currentSeconds is the next gap without taking it, and reset starts over', () => {
    const backoff = new Backoff(5, 300);
    takes(backoff, 3);
    expect(backoff.currentSeconds).toBe(40);
    expect(backoff.currentSeconds).toBe(40);
    backoff.reset();
    expect(takes(backoff, 2)).toEqual([5, 10]);
  });
});
