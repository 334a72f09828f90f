// Checks of `npm run bench` flags that need more than "an integer ≥ n": each returns the one-line
// refusal (run.ts prints it and exits 2 before anything runs) or null. Pure.
import { SHARDS_RANGE } from '../../src/config/server.ts';

/** shards a core: beyond this the shards only time-slice (and 99 on 2 cores took over 90 s to start) */
export const MAX_SHARDS_PER_CORE = 4;

/** `--shards`: within what Parley accepts for PARLEY_SHARDS, and at most MAX_SHARDS_PER_CORE a core here. */
export function shardsProblem(shards: number, cores: number): string | null {
  const max = Math.min(SHARDS_RANGE.max, Math.max(1, cores * MAX_SHARDS_PER_CORE));
  if (shards >= SHARDS_RANGE.min && shards <= max) return null;
  return (
    `--shards: expected an integer from ${SHARDS_RANGE.min} to ${max}, got ${shards} ` +
    `(Parley takes ${SHARDS_RANGE.min}–${SHARDS_RANGE.max}; the bench at most ${MAX_SHARDS_PER_CORE} a core, ${cores} core(s) here: more only time-slices the shards and can take minutes to start)`
  );
}
