// Node-only (activities): how a first transaction sync splits the account's list into `transacted_at` ranges.
import type Stripe from 'stripe';

/**
 * One `transacted_at` range of a first sync, as Stripe's list filter takes it (`gte` / `lt`, unix seconds; a missing
 * bound is open), and how far its listing got: `startingAfter` is the last id of the last page written.
 */
export interface TransactedAtRange {
  gte?: number;
  lt?: number;
  startingAfter?: string;
  pages: number;
}

/** Stripe returns up to 180 days of history; older transactions (if any) fall into the open lowest range. */
const SEARCH_WINDOW_SECONDS = 366 * 24 * 3600;
const PROBE_ROUNDS = 2;

/**
 * Ranges that cover every `transacted_at` exactly once, whatever the probes found: the lowest has no lower bound,
 * the highest no upper bound, and each boundary is the `lt` of one range and the `gte` of the next. `oldest` and
 * `newest` only decide where the boundaries fall (evenly in time between them).
 */
export function splitTransactedAt(oldest: number, newest: number, count: number): TransactedAtRange[] {
  const span = Math.max(newest + 1 - oldest, 1);
  const boundaries: number[] = [];
  for (let i = 1; i < count; i++) {
    const boundary = oldest + Math.round((i * span) / count);
    if (boundary > oldest && boundary <= newest && boundary !== boundaries.at(-1)) boundaries.push(boundary);
  }
  if (boundaries.length === 0) return [{ pages: 0 }];
  return [
    { lt: boundaries[0], pages: 0 },
    ...boundaries.slice(1).map((lt, i) => ({ gte: boundaries[i], lt, pages: 0 })),
    { gte: boundaries.at(-1), pages: 0 },
  ];
}

/**
 * A lower bound of the account's oldest `transacted_at`, to within 1/(probes+1)² of a year: each round lists
 * `limit=1` below `probes` points side by side (does anything lie below?), which does not depend on the list's order.
 */
export async function findOldestTransactedAt(
  listBelow: (lt: number) => Promise<Stripe.ApiList<Stripe.FinancialConnections.Transaction>>,
  newest: number,
  probes: number,
): Promise<{ oldest: number; requests: number }> {
  let lo = newest - SEARCH_WINDOW_SECONDS;
  let hi = newest;
  let requests = 0;
  for (let round = 0; round < PROBE_ROUNDS && hi - lo > 1; round++) {
    const points: number[] = [];
    if (round === 0) points.push(lo);
    for (let j = 1; j <= probes; j++) {
      const point = lo + Math.round(((hi - lo) * j) / (probes + 1));
      if (point > (points.at(-1) ?? lo) && point < hi) points.push(point);
    }
    const found = await Promise.all(points.map(async (point) => (await listBelow(point)).data.length > 0));
    requests += points.length;
    const first = found.indexOf(true);
    if (round === 0 && first === 0) return { oldest: lo, requests }; // history older than the window: open range
    if (first === -1) lo = points.at(-1) ?? lo;
    else {
      hi = points[first] as number;
      if (first > 0) lo = points[first - 1] as number;
    }
  }
  return { oldest: lo, requests };
}
