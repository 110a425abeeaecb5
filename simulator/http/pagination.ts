import { errors } from '../errors';
import type { StripeList } from '../types';
import type { Params } from './params';

// Stripe cursor pagination (https://docs.stripe.com/api/pagination): `limit` 1..100 (default 10),
// `starting_after` (objects after this id in list order) or `ending_before` (objects before it; the
// page is the `limit` objects closest to the cursor, still in list order - the SDK walks such pages
// backwards). `has_more` says whether more objects lie beyond the page in the walking direction.

export interface PageParams {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export function readPageParams(params: Params): PageParams {
  const limit = params.integer('limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = params.string('starting_after');
  const endingBefore = params.string('ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw errors.invalidValue('ending_before', 'You may only specify one of these parameters: ending_before, starting_after.');
  }
  const page: PageParams = { limit };
  if (startingAfter !== undefined) page.startingAfter = startingAfter;
  if (endingBefore !== undefined) page.endingBefore = endingBefore;
  return page;
}

export function paginate<T extends { id: string }>(
  items: readonly T[],
  page: PageParams,
  url: string,
  objectName: string,
): StripeList<T> {
  const indexOf = (id: string, param: string): number => {
    const index = items.findIndex((item) => item.id === id);
    if (index === -1) throw errors.resourceMissing(objectName, id, param, 400);
    return index;
  };
  if (page.endingBefore !== undefined) {
    const end = indexOf(page.endingBefore, 'ending_before');
    const start = Math.max(0, end - page.limit);
    return { object: 'list', data: items.slice(start, end), has_more: start > 0, url };
  }
  const start = page.startingAfter !== undefined ? indexOf(page.startingAfter, 'starting_after') + 1 : 0;
  const data = items.slice(start, start + page.limit);
  return { object: 'list', data, has_more: start + page.limit < items.length, url };
}

/** `expand[]` values, each checked against what the endpoint can expand. */
export function readExpand(params: Params, expandable: readonly string[]): Set<string> {
  const requested = params.stringArray('expand') ?? [];
  for (const path of requested) if (!expandable.includes(path)) throw errors.cannotExpand(path);
  return new Set(requested);
}
