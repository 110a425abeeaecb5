// `npm run bench -- --only <key>[,<key>]`: runs the named measurements alone (a change measured without the whole
// half-hour run) and writes their figures into the existing results.json, their rows and notes into results.md;
// every other figure stays as the last full run left it.
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fanoutMarkdown, measureDailyFanout, type FanoutOptions } from './fanout';
import { ingestMarkdown, measureTransactionIngest, type IngestPlan } from './ingest';
import { latencyMarkdown, measureWebhookToCommit } from './latency';
import { log } from './measure';
import { measureWebhookReceiver, receiverMarkdown, type ReceiverPlan } from './receiver';
import type { ProductStack, Servers } from './stack';
import { measureStripeCalls, stripeCallsMarkdown, type StripeCallsPlan } from './stripe-calls';
import { measureRefreshThroughput, throughputMarkdown } from './throughput';
import { measureRefreshThroughputAtDefaults, throughputAtDefaultsMarkdown } from './throughput-defaults';

interface AloneRun {
  value: unknown;
  /** The row of results.md's table (`| N. …`) and its note (`- N…`) that replace the previous ones. */
  row: string;
  note: string;
}

/** The sizes the full or quick run uses (bench/main.ts's plan). */
export interface AlonePlan {
  stripeCalls: StripeCallsPlan;
  ingest: IngestPlan;
  receiver: ReceiverPlan;
  throughput: number;
  throughputRounds: number;
  latency: number;
  throughputAtDefaults: number;
  fanout: number;
  fanoutOptions: FanoutOptions;
}

type Measurement = (stack: ProductStack, plan: AlonePlan, measured: string, servers: Servers) => Promise<AloneRun>;

/** The measurements that can run alone, by their results.json key. */
const ALONE: Record<string, Measurement> = {
  async stripeCalls(stack, plan, measured) {
    const { result, detail } = await measureStripeCalls(stack, plan.stripeCalls);
    return { value: result, ...stripeCallsMarkdown(result, detail, measured) };
  },
  async refreshThroughput(stack, plan, measured) {
    // bench/main.ts starts the floor's workers on `<task queue>-floor` before any measurement.
    const result = await measureRefreshThroughput(stack, `${stack.taskQueue}-floor`, plan.throughput, plan.throughputRounds);
    return { value: result, ...throughputMarkdown(result, plan, measured) };
  },
  async webhookLatency(stack, plan, measured) {
    const result = await measureWebhookToCommit(stack, plan.latency);
    return { value: result, ...latencyMarkdown(result, plan.latency, measured) };
  },
  async refreshThroughputAtDefaults(stack, plan, measured) {
    const result = await measureRefreshThroughputAtDefaults(stack, plan.throughputAtDefaults);
    return { value: result, ...throughputAtDefaultsMarkdown(result, plan.throughputAtDefaults, measured) };
  },
  async fanout(_stack, plan, measured, servers) {
    const { result, detail } = await measureDailyFanout(servers, plan.fanout, undefined, plan.fanoutOptions);
    return { value: result, ...fanoutMarkdown(result, detail, measured) };
  },
  async transactionIngest(stack, plan, measured) {
    const { result, detail } = await measureTransactionIngest(stack, plan.ingest);
    return { value: result, ...ingestMarkdown(result, detail, measured) };
  },
  async webhookReceiver(stack, plan, measured) {
    const { result, detail } = await measureWebhookReceiver(stack, plan.receiver);
    return { value: result, ...receiverMarkdown(result, detail, measured) };
  },
};

export function aloneKeys(only: string): string[] {
  const keys = only.split(',').map((key) => key.trim()).filter(Boolean);
  const unknown = keys.filter((key) => !(key in ALONE));
  if (keys.length === 0 || unknown.length > 0) throw new Error(`--only takes ${Object.keys(ALONE).join(', ')} (got ${only})`);
  return keys;
}

export async function runAlone(stack: ProductStack, servers: Servers, keys: string[], options: { quick: boolean; plan: AlonePlan; json: string; markdown: string }): Promise<string> {
  const results = JSON.parse(await readFile(options.json, 'utf8')) as Record<string, unknown>;
  let markdown = await readFile(options.markdown, 'utf8');
  const measured = `measured alone ${new Date().toISOString().slice(0, 10)}, ${options.quick ? 'quick' : 'full'} plan, load average ${(loadavg()[0] ?? 0).toFixed(1)} at its start`;
  for (const key of keys) {
    const run = await (ALONE[key] as Measurement)(stack, options.plan, measured, servers);
    results[key] = run.value;
    const number = /^\| (\d+b?)\./.exec(run.row)?.[1] ?? '';
    // A figure's row may carry a sub-figure's line (`| 3b. …`): the one left by an earlier run goes, the new one
    // comes with the row. A sub-figure measured on its own (1b) goes after its figure's line the first time.
    const withoutSub = run.row.includes('\n') ? markdown.split('\n').filter((line) => !line.startsWith(`| ${number}b. `)).join('\n') : markdown;
    const main = number.replace(/b$/, '');
    markdown = replaceOrInsert(withoutSub, new RegExp(`^\\| ${number}\\. `), new RegExp(`^\\| ${main}\\. `), run.row);
    markdown = replaceOrInsert(markdown, new RegExp(`^- ${number}[ :(]`), new RegExp(`^- ${main}[ :(]`), run.note);
    log(`${key}: ${JSON.stringify(run.value)}`);
  }
  await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(options.markdown, markdown);
  return markdown;
}

/** Replaces the line matching `start`; without one, inserts `line` after the line matching `after`. */
function replaceOrInsert(text: string, start: RegExp, after: RegExp, line: string): string {
  const lines = text.split('\n');
  const index = lines.findIndex((candidate) => start.test(candidate));
  if (index >= 0) {
    lines[index] = line;
    return lines.join('\n');
  }
  const anchor = lines.findIndex((candidate) => after.test(candidate));
  if (anchor < 0) throw new Error(`results.md has no line matching ${start} or ${after}`);
  lines.splice(anchor + 1, 0, line);
  return lines.join('\n');
}
