// The machine the figures belong to: printed with every result so numbers are never quoted bare.
import os from 'node:os';
import { createRequire } from 'node:module';
import type { Machine } from './types.ts';
import type { HandOff } from './handoff.ts';

/** Whether uWebSockets.js loaded its native binary (the repack falls back to slow JS silently). */
export function uwsIsNative(): boolean {
  try {
    const uws = createRequire(import.meta.url)('uWebSockets.js') as { getParts?: unknown };
    return typeof uws.getParts === 'function';
  } catch {
    return false;
  }
}

export type MachineBasics = Pick<Machine, 'cpuModel' | 'cores' | 'node' | 'os' | 'totalMemMb'>;

/** The CPU, cores, memory, Node and OS: what every benchmark's figures are quoted with. */
export function machineBasics(): MachineBasics {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 1048576),
  };
}

export function machineLine(m: MachineBasics): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.totalMemMb} MB RAM, Node ${m.node}, ${m.os}`;
}

export function describeMachine(loadClient: string, handOff: HandOff | null, placement: string | null = null): Machine {
  return {
    ...machineBasics(),
    loadClient,
    uwsNative: uwsIsNative(),
    handOff,
    placement,
  };
}
