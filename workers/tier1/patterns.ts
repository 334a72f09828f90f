// The RE2 program a shard builds from a tenant's REGEX rule. Config validation (src/config/tier1.ts)
// builds this very program, so a config that passes validation is one every shard can compile: a
// pattern list that compiles pattern by pattern can still exceed RE2's memory budget as one RE2.Set.
import RE2 from 're2';

export type RegexSet = InstanceType<typeof RE2.Set>;

const REGEX_FLAGS = 'u';

/** One RE2.Set of the tenant's REGEX patterns; throws like RE2 (SyntaxError, or "could not be compiled"). */
export function regexSet(patterns: readonly string[]): RegexSet {
  return new RE2.Set(patterns, REGEX_FLAGS);
}

// RE2.Set parses each pattern as it is added and compiles only after the last one, so a pattern
// followed by one that never parses reports its own syntax error, or else the sentinel's, without
// paying for a compile (a large pattern costs ~100 ms to compile, a parse well under 1 ms).
const SENTINEL = '(?P<';
let sentinelMessage: string | null = null;
function setError(patterns: readonly string[]): string | null {
  try { new RE2.Set(patterns, REGEX_FLAGS); return null; } catch (e) { return e instanceof Error ? e.message : String(e); }
}

/** Why RE2 cannot parse `pattern` alone, or null when it parses (compiling is not tried). */
export function patternSyntaxError(pattern: string): string | null {
  sentinelMessage ??= setError([SENTINEL]);
  const m = setError([pattern, SENTINEL]);
  return m === sentinelMessage ? null : m;
}
