// Checks of `npm run bench` flags that need more than "an integer ≥ n": each returns the one-line
// refusal (run.ts prints it and exits 2 before anything runs) or null. Pure except for reading
// the file system in writableTarget.
import fs from 'node:fs';
import path from 'node:path';
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

/**
 * `--results-dir` (kind 'dir', created at the end if missing) or `--readme` (kind 'file',
 * rewritten at the end): what is there must be of that kind and writable, and where nothing is
 * yet, the nearest existing ancestor must be a writable directory. Before, `/etc/passwd/x` was
 * found only by the report's write, after the whole run.
 */
export function writableTarget(flag: string, target: string, kind: 'dir' | 'file'): string | null {
  const abs = path.resolve(target);
  let at = abs;
  for (;;) {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `--${flag}: ${JSON.stringify(target)} cannot be used (${code ?? String(e)} at ${at})`;
    }
    if (st !== null) {
      const wantDir = at !== abs || kind === 'dir';
      if (wantDir && !st.isDirectory()) return `--${flag}: ${JSON.stringify(target)} cannot be written: ${at} is not a directory`;
      if (!wantDir && !st.isFile()) return `--${flag}: ${JSON.stringify(target)} is not a regular file`;
      try {
        fs.accessSync(at, wantDir ? fs.constants.W_OK | fs.constants.X_OK : fs.constants.W_OK);
      } catch {
        return `--${flag}: ${JSON.stringify(target)} cannot be written: ${at} is not writable`;
      }
      return null;
    }
    const up = path.dirname(at);
    if (up === at) return `--${flag}: ${JSON.stringify(target)} cannot be written: no existing directory above it`;
    at = up;
  }
}

/** `--wrk-threads`: wrk needs a connection per thread; more threads than connections would open more connections than the run records. */
export function wrkThreadsProblem(threads: number, connections: number): string | null {
  return threads <= connections ? null : `--wrk-threads: ${threads} is more than --connections ${connections} (wrk opens at least one connection per thread): lower it or raise --connections`;
}

/** `--name -5` → `--name=-5` for string options, so a negative number is a value to refuse, not an unknown option. */
export function joinNegativeValues(argv: readonly string[], options: Readonly<Record<string, { type: 'string' | 'boolean' }>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
