// What `npm run bench:tier1` prints around its tables: each section's design question, its method,
// the machine, and its answer computed from the figures. Pure, so it is tested as data.
import { machineLine, type MachineBasics } from '../system/machine.ts';
import type { Tier1BenchResult } from './tier1.ts';

export function tier1Head(t1: Tier1BenchResult, m: MachineBasics): string {
  return `Tier-1 screen() per message (µs) — ${t1.question}\nMachine: ${machineLine(m)}\nMethod: ${t1.method}`;
}

export function transportHead(tr: { question: string; method: string }, m: MachineBasics): string {
  return `Shard transport — ${tr.question}\nMachine: ${machineLine(m)}\nMethod: ${tr.method}`;
}

/** Other CPU load (100 % = one core) measured right before and after a section, as the system bench measures it before each round. */
export interface SectionConditions {
  busyPct: Array<number | null>;
}

/**
 * The answer as printed: as measured on a quiet machine; qualified when other processes held the
 * cores around the section (over OTHER_LOAD_PCT of a core, the system bench's threshold), since
 * then every figure is depressed and a "No" may be the machine's, not the code's.
 */
export function qualifiedAnswer(answer: string, c: SectionConditions, otherLoadPct: number): string {
  const busy = c.busyPct.filter((x): x is number => x !== null);
  if (busy.length === 0) return `${answer} (other load on the machine not measured: /proc/stat unreadable)`;
  const max = Math.max(...busy);
  if (max <= otherLoadPct) return answer;
  return `Not a firm verdict — other processes were using up to ${max} % of a core around this section, which depresses every figure; rerun on a quiet machine. As measured: ${answer}`;
}
