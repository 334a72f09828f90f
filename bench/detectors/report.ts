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
