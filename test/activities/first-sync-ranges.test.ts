// How a first sync splits an account's transactions into transacted_at ranges (activities/first-sync-ranges.ts):
// the ranges cover every value exactly once whatever the probes found, and the probes bound the oldest value.
import type Stripe from 'stripe';
import { describe, expect, test } from 'vitest';
import { findOldestTransactedAt, splitTransactedAt, type TransactedAtRange } from '../../activities/first-sync-ranges';

const inRange = (t: number, r: TransactedAtRange): boolean => (r.gte === undefined || t >= r.gte) && (r.lt === undefined || t < r.lt);

describe('splitTransactedAt', () => {
  test.each([
    [1_700_000_000, 1_707_776_000, 8],
    [1_700_000_000, 1_700_000_003, 8], // fewer seconds than ranges
    [1_700_000_000, 1_700_000_000, 4], // one second
    [1_700_000_000, 1_699_000_000, 4], // a probe that found nothing older than the newest
    [1_700_000_000, 1_700_864_000, 1],
  ])('oldest %i, newest %i, %i ranges: each transacted_at falls in exactly one range', (oldest, newest, count) => {
    const ranges = splitTransactedAt(oldest, newest, count);
    expect(ranges.length).toBeGreaterThanOrEqual(1);
    expect(ranges.length).toBeLessThanOrEqual(count);
    expect(ranges[0]?.gte).toBeUndefined();
    expect(ranges.at(-1)?.lt).toBeUndefined();
    const probes = [oldest - 10_000_000, oldest - 1, oldest, oldest + 1, newest - 1, newest, newest + 1, newest + 10_000_000];
    for (const r of ranges) if (r.lt !== undefined) probes.push(r.lt - 1, r.lt, r.lt + 1);
    for (const t of probes) expect(ranges.filter((r) => inRange(t, r)).length, `t=${t}`).toBe(1);
  });

  test('ranges are even in time between the oldest and the newest', () => {
    const ranges = splitTransactedAt(0, 799, 8);
    expect(ranges.map((r) => [r.gte, r.lt])).toEqual([
      [undefined, 100], [100, 200], [200, 300], [300, 400], [400, 500], [500, 600], [600, 700], [700, undefined],
    ]);
  });
});

describe('findOldestTransactedAt', () => {
  const DAY = 86_400;
  const lister = (times: number[]) => {
    let calls = 0;
    const listBelow = async (lt: number) => {
      calls += 1;
      const below = times.filter((t) => t < lt).sort((a, b) => b - a);
      return { object: 'list', data: below.slice(0, 1).map((t) => ({ transacted_at: t })), has_more: below.length > 1, url: '' } as unknown as Stripe.ApiList<Stripe.FinancialConnections.Transaction>;
    };
    return { listBelow, calls: () => calls };
  };

  test('bounds the oldest from below, within 1/64 of the year it searches, in two rounds of probes', async () => {
    const newest = 1_800_000_000;
    const oldestTrue = newest - 90 * DAY + 1234;
    const { listBelow, calls } = lister([oldestTrue, newest - 5 * DAY, newest]);
    const { oldest, requests } = await findOldestTransactedAt(listBelow, newest, 7);
    expect(oldest).toBeLessThanOrEqual(oldestTrue);
    expect(oldestTrue - oldest).toBeLessThanOrEqual(Math.ceil((366 * DAY) / 64));
    expect(requests).toBe(calls());
    expect(requests).toBeLessThanOrEqual(15);
  });

  test('history older than the window: the window\'s start, found by the first round', async () => {
    const newest = 1_800_000_000;
    const { listBelow } = lister([newest - 500 * DAY, newest]);
    const { oldest, requests } = await findOldestTransactedAt(listBelow, newest, 3);
    expect(oldest).toBe(newest - 366 * DAY);
    expect(requests).toBe(4);
  });

  test('everything in the newest second', async () => {
    const newest = 1_800_000_000;
    const { listBelow } = lister([newest, newest]);
    const { oldest } = await findOldestTransactedAt(listBelow, newest, 7);
    expect(oldest).toBeLessThanOrEqual(newest);
    expect(newest - oldest).toBeLessThanOrEqual(Math.ceil((366 * DAY) / 64));
  });
});
