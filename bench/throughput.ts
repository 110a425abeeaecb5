// 1. Refresh throughput: N balance refreshes end to end, against N floor workflows of the same shape (no I/O).
// Rounds alternate floor and refreshes so a neighbour's load on the machine weighs on both alike.
import { randomBytes } from 'node:crypto';
import { linkAccounts } from './accounts';
import { addCpu, cpuBetween, cpuMsPer, cpuSnapshot, describeCpuMs, noCpu, type CpuSnapshot } from './cpu-by-process';
import { floorWorkflow } from './floor-workflow';
import { inParallel, log, round } from './measure';
import { runRefresh } from './refreshes';
import type { ProductStack } from './stack';

export interface ThroughputResult {
  perSec: number;
  floorPerSec: number;
  ratio: number;
  /** CPU milliseconds per workflow by process group, floor and refresh: where a refresh's extra time goes. */
  cpuMsPerWorkflow: { floor: CpuSnapshot; refresh: CpuSnapshot };
}

/** Starts every workflow at once and times until the last one has finished; the CPU the machine spent meanwhile. */
async function timeAll(count: number, runOne: (index: number) => Promise<unknown>): Promise<{ seconds: number; cpu: CpuSnapshot }> {
  const before = cpuSnapshot();
  const started = performance.now();
  await inParallel(Array.from({ length: count }, (_, i) => i), count, runOne);
  return { seconds: (performance.now() - started) / 1000, cpu: cpuBetween(before, cpuSnapshot()) };
}

export async function measureRefreshThroughput(stack: ProductStack, floorTaskQueue: string, count: number, rounds: number): Promise<ThroughputResult> {
  const warmup = Math.min(20, count);
  // Refreshes complete 300 ms after they start, as in figures 1b and 4: the ordinary path, where the completion webhook
  // comes after the refresh call's answer (one that completes within that round trip costs retrieves).
  const accounts = await linkAccounts(stack, warmup + count * rounds, { refreshLatencyMs: 300 });
  const runFloor = async (): Promise<void> => {
    const handle = await stack.client.workflow.start(floorWorkflow, { taskQueue: floorTaskQueue, workflowId: `bench-floor/${randomBytes(8).toString('hex')}` });
    await handle.result();
  };
  const runBalanceRefresh = (accountId: string) => runRefresh(stack.client, stack.taskQueue, accountId, 'balance');
  // Warm both paths (workflow caches, connections, JIT) before timing either.
  await inParallel(accounts.slice(0, warmup), warmup, runBalanceRefresh);
  await inParallel(Array.from({ length: warmup }), warmup, runFloor);

  let floorSeconds = 0;
  let refreshSeconds = 0;
  let floorCpu = noCpu();
  let refreshCpu = noCpu();
  for (let r = 0; r < rounds; r++) {
    const batch = accounts.slice(warmup + r * count, warmup + (r + 1) * count);
    const floor = await timeAll(count, runFloor);
    const refreshes = await timeAll(count, (i) => runBalanceRefresh(batch[i] as string));
    floorSeconds += floor.seconds;
    refreshSeconds += refreshes.seconds;
    floorCpu = addCpu(floorCpu, floor.cpu);
    refreshCpu = addCpu(refreshCpu, refreshes.cpu);
    log(`throughput round ${r + 1}/${rounds}: ${count} floor workflows ${floor.seconds.toFixed(2)} s, ${count} balance refreshes ${refreshes.seconds.toFixed(2)} s`);
  }
  const perSec = (count * rounds) / refreshSeconds;
  const floorPerSec = (count * rounds) / floorSeconds;
  const cpuMsPerWorkflow = { floor: cpuMsPer(floorCpu, count * rounds), refresh: cpuMsPer(refreshCpu, count * rounds) };
  log(`throughput CPU per workflow: floor ${describeCpuMs(cpuMsPerWorkflow.floor)}; refresh ${describeCpuMs(cpuMsPerWorkflow.refresh)}`);
  return { perSec: round(perSec), floorPerSec: round(floorPerSec), ratio: round(perSec / floorPerSec, 2), cpuMsPerWorkflow };
}

/** Figure 1's row and note in results.md. */
export function throughputMarkdown(t: ThroughputResult, plan: { throughput: number; throughputRounds: number }, measured: string): { row: string; note: string } {
  return {
    row: `| 1. refresh throughput, ${plan.throughputRounds} × ${plan.throughput.toLocaleString('en-US')} balance refreshes at once | ${t.perSec} refreshes/s | ${t.floorPerSec}/s no-op workflows of the same shape | ${t.ratio} |`,
    note: `- 1 (${measured}): the floor is \`bench/floor-workflow.ts\` on its own workers: six local activities, two activities on a second queue and one signal, all no-ops. A balance refresh whose event the receiver stored (the ordinary path) does the same steps with Stripe calls (the simulator completes each refresh 300 ms after it starts, as in 1b and 4; Stripe's rate limits lifted, see 1b), Postgres writes and the signed webhook in between. Rounds alternate floor and refreshes. CPU per workflow over the rounds (/proc, bench/cpu-by-process.ts; the bench process holds the workers, the simulator and the receiver): floor ${describeCpuMs(t.cpuMsPerWorkflow.floor)}; refresh ${describeCpuMs(t.cpuMsPerWorkflow.refresh)}.`,
  };
}
