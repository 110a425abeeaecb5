// `npx tsx bench/fuzz.ts [--count N] [--seed S]`: 10,000 malformed and hostile deliveries against the real webhook
// receiver (test/fuzz/hostile-webhooks.ts), then the checks of test/fuzz/fuzz-receiver.ts. Exits 1 if any fails.
import { randomBytes } from 'node:crypto';
import { fuzzPassed, fuzzReceiver } from '../test/fuzz/fuzz-receiver';
import { cleanUpOnSigterm, log } from './measure';
import { quietTemporalRuntime, startProduct, startServers } from './stack';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function main(): Promise<void> {
  const count = option('count', 10_000);
  const seed = option('seed', Date.now() % 1_000_000);
  log(`fuzz: ${count} deliveries, seed ${seed}`);
  quietTemporalRuntime();
  const servers = await startServers();
  cleanUpOnSigterm(() => servers.close());
  const stack = await startProduct({
    temporalAddress: servers.temporalAddress,
    database: { serverUrl: servers.postgresUrl },
    taskQueue: `fuzz-${randomBytes(4).toString('hex')}`,
    inProcessWorkers: true,
  });
  let passed = false;
  try {
    const started = performance.now();
    const verdict = await fuzzReceiver({ ...stack, simulator: stack.simulator.control }, { count, seed });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ seed, seconds: Math.round(seconds), ...verdict }, null, 2)}\n`);
    passed = fuzzPassed(verdict);
    log(`fuzz: ${passed ? 'passed' : 'FAILED'} (${verdict.sent} deliveries, ${verdict.wrongAnswers} wrong answers, ${verdict.workflowsStarted} workflows started, ${verdict.signalsToWaitingRefresh} signals)`);
  } finally {
    await stack.close();
    await servers.close();
  }
  process.exit(passed ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`fuzz failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
