// CPU time by process group, from /proc: where a benchmark phase's work went (the Temporal server, Postgres, this
// process with its workers, simulator and receiver). Wall time on a shared two-core machine swings from run to run;
// CPU seconds per workflow stay put, so they say which side of a ratio grew when a change is tried.
import { readdirSync, readFileSync } from 'node:fs';

export type CpuGroup = 'temporal' | 'postgres' | 'bench' | 'other';
export type CpuSnapshot = Record<CpuGroup, number>;

// USER_HZ: 100 on every Linux this runs on (the kernel reports utime and stime in these ticks).
const TICKS_PER_SECOND = 100;

function groupOf(pid: number, command: string): CpuGroup {
  if (pid === process.pid) return 'bench';
  if (command === 'temporal') return 'temporal';
  if (command === 'postgres') return 'postgres';
  return 'other';
}

/** CPU seconds used so far by the processes alive now and the children they reaped, by group. */
export function cpuSnapshot(): CpuSnapshot {
  const seconds = noCpu();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return seconds; // not Linux: every figure reads 0
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after its last ')'.
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime, stime, and cutime, cstime: the children it reaped (Postgres backends that exited go to the postmaster's).
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    seconds[groupOf(pid, command)] += ticks / TICKS_PER_SECOND;
  }
  return seconds;
}

const GROUPS: readonly CpuGroup[] = ['temporal', 'postgres', 'bench', 'other'];

/** A snapshot whose every group is `value(group)`. */
function byGroup(value: (group: CpuGroup) => number): CpuSnapshot {
  return Object.fromEntries(GROUPS.map((group) => [group, value(group)])) as CpuSnapshot;
}

/** What each group used between two snapshots. */
export const cpuBetween = (before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot => byGroup((g) => after[g] - before[g]);

export const addCpu = (total: CpuSnapshot, more: CpuSnapshot): CpuSnapshot => byGroup((g) => total[g] + more[g]);

export const noCpu = (): CpuSnapshot => byGroup(() => 0);

/** Milliseconds of CPU per item, by group, to a tenth. */
export function cpuMsPer(cpu: CpuSnapshot, items: number): CpuSnapshot {
  return byGroup((g) => Math.round((cpu[g] * 10_000) / items) / 10);
}

/** "Temporal 22.1 ms, Postgres 3 ms, bench process 40.2 ms, other 0.3 ms" from cpuMsPer's figures. */
export function describeCpuMs(ms: CpuSnapshot): string {
  return `Temporal ${ms.temporal} ms, Postgres ${ms.postgres} ms, bench process ${ms.bench} ms, other ${ms.other} ms`;
}
