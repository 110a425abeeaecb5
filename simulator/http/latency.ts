import type { LatencyRule } from '../control-types';
import { createRng, deriveSeed, type Rng } from '../state/random';

// Per-route latency for /v1 requests, so end-to-end figures include what the real API takes (a list
// page of Financial Connections data takes a few hundred ms). Rules match a route kind ('list',
// 'retrieve', 'post'), '*', or a substring of "METHOD /route"; the first match wins.

export type RouteKind = 'list' | 'retrieve' | 'post';

/** GETs ending in a path parameter fetch one object; other GETs list. */
export function routeKind(method: 'GET' | 'POST', url: string): RouteKind {
  if (method === 'POST') return 'post';
  return url.split('/').at(-1)?.startsWith(':') ? 'retrieve' : 'list';
}

export class LatencyInjector {
  private rules: LatencyRule[] = [];
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = createRng(deriveSeed(seed, 'latency'));
  }

  set(rules: LatencyRule[]): LatencyRule[] {
    this.rules = rules.map((r) => ({ ...r }));
    this.rng = createRng(deriveSeed(this.seed, 'latency'));
    return this.get();
  }

  get(): LatencyRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  delayMs(routeKey: string, kind: RouteKind): number {
    const rule = this.rules.find((r) => r.route === '*' || r.route === kind || routeKey.includes(r.route));
    return rule ? this.rng.int(rule.minMs, rule.maxMs) : 0;
  }
}
