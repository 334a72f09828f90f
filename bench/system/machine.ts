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

export function describeMachine(loadClient: string, handOff: HandOff | null, placement: string | null = null): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 1048576),
    loadClient,
    uwsNative: uwsIsNative(),
    handOff,
    placement,
  };
}
