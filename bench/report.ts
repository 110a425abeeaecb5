// results.json (the figures, keys fixed for tooling) and results.md (the same figures as a table, with notes).
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import type pg from 'pg';
import type { ChangeFeedResult } from './change-feed';
import type { ClusterComparison } from './cluster-compare';
import { clusterMarkdown } from './cluster-report';
import { fanoutMarkdown, type FanoutDetail, type FanoutResult } from './fanout';
import { ingestMarkdown, type IngestDetail, type IngestResult } from './ingest';
import { latencyMarkdown, type LatencyResult } from './latency';
import { receiverMarkdown, type ReceiverDetail, type ReceiverResult } from './receiver';
import { stripeCallsMarkdown, type StripeCallsDetail, type StripeCallsResult } from './stripe-calls';
import { throughputMarkdown, type ThroughputResult } from './throughput';
import { throughputAtDefaultsMarkdown, type ThroughputAtDefaultsResult } from './throughput-defaults';

export interface Machine {
  mode: 'full' | 'quick';
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  postgres: string;
  temporalCli: string;
  /** Where each part ran. */
  layout: string;
  /** 1-minute load average when the run started: other work on the machine weighs on every figure. */
  loadAverageAtStart: number;
}

export interface Results {
  machine: Machine;
  refreshThroughput: ThroughputResult;
  refreshThroughputAtDefaults: ThroughputAtDefaultsResult;
  webhookLatency: LatencyResult;
  transactionIngest: IngestResult;
  stripeCalls: StripeCallsResult;
  fanout: FanoutResult;
  webhookReceiver: ReceiverResult;
  changeFeed: ChangeFeedResult;
  /** From `npm run bench -- --cluster`, carried over. */
  cluster?: ClusterComparison;
}

/** What the table's notes need beyond the fixed keys. */
export interface Details {
  throughputCount: number;
  throughputRounds: number;
  throughputAtDefaults: number;
  latencySamples: number;
  ingest: IngestDetail;
  fanout: FanoutDetail;
  receiver: ReceiverDetail;
  changeFeedRows: number;
  stripeCalls: StripeCallsDetail;
}

export async function describeMachine(mode: Machine['mode'], pool: pg.Pool, temporalCli: string | undefined): Promise<Machine> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    mode,
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
    postgres: rows[0]?.server_version ?? 'unknown',
    temporalCli: temporalCli ? execFileSync(temporalCli, ['--version']).toString().trim() : 'downloaded by @temporalio/testing',
    layout: 'one machine: Temporal dev server (SQLite in memory) and Postgres as child processes; simulator, webhook receiver, workers and load driver in the bench process',
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function toMarkdown(results: Results, details: Details): string {
  const { machine: m, refreshThroughput: t, webhookLatency: l, transactionIngest: i, stripeCalls: s, fanout: f, webhookReceiver: w, changeFeed: c } = results;
  const n = (value: number): string => value.toLocaleString('en-US');
  const calls = stripeCallsMarkdown(s, details.stripeCalls, 'same run');
  const ingest = ingestMarkdown(i, details.ingest, 'same run');
  const fan = fanoutMarkdown(f, details.fanout, 'same run');
  const latency = latencyMarkdown(l, details.latencySamples, 'same run');
  const throughput = throughputMarkdown(t, { throughput: details.throughputCount, throughputRounds: details.throughputRounds }, 'same run');
  const atDefaults = throughputAtDefaultsMarkdown(results.refreshThroughputAtDefaults, details.throughputAtDefaults, 'same run');
  const receiver = receiverMarkdown(w, details.receiver, 'same run');
  const lines = [
    `Measured ${m.date.slice(0, 10)} (${m.mode} run) on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, Postgres ${m.postgres}, ${m.temporalCli}; load average ${m.loadAverageAtStart} at the start.`,
    '',
    '| figure | measured | floor / baseline | ratio |',
    '| --- | --- | --- | --- |',
    throughput.row,
    atDefaults.row,
    latency.row,
    ingest.row,
    calls.row,
    fan.row,
    receiver.row,
    `| 7. change feed, ${n(details.changeFeedRows)} transactions added then posted | +${Math.round(c.writeOverheadRatio * 100)}% on the transaction upserts; ${n(c.syncRowsPerSec)} changes/s read by ChangeFeed.sync | the same upserts into a copy of fc_transactions without the change triggers | ${c.writeOverheadRatio} |`,
    '',
    'Notes:',
    throughput.note,
    atDefaults.note,
    latency.note,
    ingest.note,
    calls.note,
    fan.note,
    receiver.note,
    '- 7: pages of 100 upserted as syncTransactions writes them (the same statement on the same rows) into fc_transactions and into a trigger-less copy of it on its own search_path, pages interleaved and each timed alone (fresh ids each round, a warm-up round not counted, the median of the rounds); the overhead is the extra Postgres time only (the sync activity also waits on Stripe pages). Reading drains every change, 1,000 per call.',
  ];
  return `${lines.join('\n')}\n${results.cluster ? `\n${clusterMarkdown(results.cluster)}` : ''}`;
}

/**
 * The `## ` sections of an earlier results.md that a run does not write (e.g. "Chaos on the Temporal cluster", added
 * by hand from `npm run chaos`), so a full run keeps them instead of dropping them.
 */
function sectionsNotIn(earlier: string, generated: string): string[] {
  const sections = earlier.split(/^(?=## )/m).filter((part) => part.startsWith('## '));
  return sections.filter((section) => !generated.includes(section.slice(0, section.indexOf('\n')))).map((section) => section.trimEnd());
}

export async function writeResults(results: Results, details: Details, files: { json: string; markdown: string }): Promise<string> {
  const generated = toMarkdown(results, details);
  const earlier = await readFile(files.markdown, 'utf8').catch(() => '');
  const kept = sectionsNotIn(earlier, generated);
  const markdown = kept.length === 0 ? generated : `${generated}\n${kept.join('\n\n')}\n`;
  await writeFile(files.json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(files.markdown, markdown);
  return markdown;
}
