// The `cluster` key of bench/results.json and its section at the end of bench/results.md, written by
// `npm run bench -- --cluster` without touching the other keys, and carried over by the main bench's full runs.
import { readFile, writeFile } from 'node:fs/promises';
import type { ClusterComparison, ServerFigures } from './cluster-compare';

export const CLUSTER_SECTION = '## Dev server and cluster, same run (`npm run bench -- --cluster`)';

export function clusterMarkdown(c: ClusterComparison): string {
  const n = (value: number | undefined): string => (value === undefined ? '—' : value.toLocaleString('en-US'));
  const row = (label: string, pick: (figures: ServerFigures) => string): string => `| ${label} | ${pick(c.devServer)} | ${pick(c.cluster)} |`;
  const s = c.scale;
  return [
    CLUSTER_SECTION,
    '',
    `Measured ${c.date.slice(0, 10)} (${c.mode} run), load average ${c.loadAverageAtStart} at the start; ${c.layout}.`,
    '',
    '| figure | dev server | cluster |',
    '| --- | --- | --- |',
    row(`refresh throughput, ${s.throughputRounds} × ${n(s.throughput)} balance refreshes at once`, (f) => `${f.refreshThroughput.perSec}/s (floor ${f.refreshThroughput.floorPerSec}/s, ratio ${f.refreshThroughput.ratio})`),
    row(`webhook → commit latency, ${n(s.latency)} refreshes, 50 in flight`, (f) => `p50 ${f.webhookLatency.p50Ms} ms, p99 ${f.webhookLatency.p99Ms} ms`),
    row(`daily fan-out, ${n(s.fanout)} accounts`, (f) => `${f.fanout.wallSec} s (${n(round1(f.fanout.accounts / f.fanout.wallSec))} accounts/s), largest history ${n(f.fanout.maxHistoryEvents)} events`),
    row('per account per daily sync: Stripe requests', (f) => n(f.perAccountPerDailySync.stripeRequests)),
    row('per account: workflow executions, history events', (f) => `${n(f.perAccountPerDailySync.workflowExecutions)}, ${n(f.perAccountPerDailySync.historyEvents)}`),
    row('per account: application rows, bytes added', (f) => `${n(f.perAccountPerDailySync.appRows)}, ${n(f.perAccountPerDailySync.appBytes)} B`),
    row("per account: Temporal's Postgres rows, bytes added (history blobs)", (f) =>
      f.perAccountPerDailySync.temporalBytes === undefined ? 'SQLite in memory, not measured' : `${n(f.perAccountPerDailySync.temporalRows)}, ${n(f.perAccountPerDailySync.temporalBytes)} B (${n(f.perAccountPerDailySync.historyBlobBytes)} B)`),
    '',
    'The fan-out accounts are linked without a transaction subscription, so each one takes the refresh path (POST …/refresh, retrieve, a page). Bytes are pg_total_relation_size summed over every table before and after the sync (8 KiB pages: small runs round up); history blobs are history_node.data.',
    '',
  ].join('\n');
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Sets the `cluster` key of results.json and replaces (or appends) the cluster section of results.md. */
export async function writeClusterResults(comparison: ClusterComparison, files: { json: string; markdown: string }): Promise<string> {
  const results = JSON.parse(await readFile(files.json, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  results.cluster = comparison;
  await writeFile(files.json, `${JSON.stringify(results, null, 2)}\n`);
  const markdown = await readFile(files.markdown, 'utf8').catch(() => '');
  const at = markdown.indexOf(CLUSTER_SECTION);
  const section = clusterMarkdown(comparison);
  await writeFile(files.markdown, `${at < 0 ? `${markdown.trimEnd()}\n\n` : markdown.slice(0, at)}${section}`);
  return section;
}

/** A full run's results.json is written anew: the cluster figures of an earlier `--cluster` run are kept. */
export async function earlierClusterResults(json: string): Promise<ClusterComparison | undefined> {
  const results = JSON.parse(await readFile(json, 'utf8').catch(() => '{}')) as { cluster?: ClusterComparison };
  return results.cluster;
}
