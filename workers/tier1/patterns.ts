// The RE2 programs a shard builds from a tenant's KEYWORD and REGEX rules. Config validation
// (src/config/tier1.ts) builds the REGEX set and checks every phrase key the same way, so a config
// that passes validation is one every shard can compile: a pattern list that compiles pattern by
// pattern can still exceed RE2's memory budget as one RE2.Set, and a phrase can normalize to nothing.
import RE2 from 're2';
import { analyze } from './analysis.ts';
import { leet } from './normalize.ts';

export type RegexSet = InstanceType<typeof RE2.Set>;

const REGEX_FLAGS = 'u';
const WORD = '[\\pL\\pN_]*';

let setsBuilt = 0;

/** One RE2.Set of the tenant's REGEX patterns; throws like RE2 (SyntaxError, or "could not be compiled"). */
export function regexSet(patterns: readonly string[]): RegexSet {
  setsBuilt++;
  return new RE2.Set(patterns, REGEX_FLAGS);
}

/** RE2.Sets this thread has tried to build (a large one costs ~100 ms of its time). */
export function regexSetsBuilt(): number {
  return setsBuilt;
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

/** A KEYWORD/allow phrase as the keyword key sees it, without its `*` wildcards ('' if nothing is left). */
export function phraseKey(p: string): string {
  return leet(analyze(p.trim().replace(/^\*+|\*+$/g, '')).key);
}

function escape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => '\\' + c);
}

/**
 * A phrase normalized like the keyword key; stretched letters (`freeee`) still match. '' when the
 * key is empty. `joined`: with its spaces removed, as letters spelled out one by one join it.
 */
export function phrasePattern(p: string, joined = false): string {
  const c = phraseCore(p, joined);
  return c === null ? '' : (c.pre ? WORD : '') + c.core + (c.post ? WORD : '');
}

/** The phrase's pattern without its wildcards, and where they were; null when the key is empty. */
function phraseCore(p: string, joined: boolean): { core: string; pre: boolean; post: boolean } | null {
  const key = joined ? phraseKey(p).replaceAll(' ', '') : phraseKey(p);
  // An empty key (only invisible characters) would give an alternative matching the empty string,
  // that is, every message; with a `*` it would be a bare WORD*, the same.
  if (key.length === 0) return null;
  let out = '';
  for (let i = 0; i < key.length; ) {
    const cp = key.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    let n = 1;
    while (key.startsWith(ch, i + n * ch.length)) n++;
    out += ch === ' ' ? ' ' : escape(ch) + (n === 1 ? '+' : `{${n},}`);
    i += n * ch.length;
  }
  return { core: out, pre: p.trim().startsWith('*'), post: p.trim().endsWith('*') };
}

/**
 * The phrases as one alternation ('' when none has a pattern). Phrases with a wildcard share one
 * copy of WORD per side: a Unicode class compiles to a large UTF-8 automaton, and one copy per
 * phrase put 500 wildcard phrases of ~25 characters over RE2's memory budget (the shards could
 * not build KEYWORD; 200 took 0.3 s to compile). `(a|b)W` matches what `aW|bW` does.
 */
function alternation(phrases: readonly string[], joined: boolean): string {
  const none: string[] = [];
  const post: string[] = [];
  const pre: string[] = [];
  const both: string[] = [];
  for (const p of phrases) {
    const c = phraseCore(p, joined);
    if (c !== null) (c.pre ? (c.post ? both : pre) : c.post ? post : none).push(c.core);
  }
  const alts: string[] = [];
  if (none.length > 0) alts.push(none.join('|'));
  if (post.length > 0) alts.push(`(?:${post.join('|')})${WORD}`);
  if (pre.length > 0) alts.push(`${WORD}(?:${pre.join('|')})`);
  if (both.length > 0) alts.push(`${WORD}(?:${both.join('|')})${WORD}`);
  return alts.join('|');
}

/** Allow phrases in group 1, keywords in group 2; null when no keyword has a pattern. */
function groups(phrases: readonly string[], allow: readonly string[], joined: boolean): string | null {
  const words = alternation(phrases, joined);
  // no alternatives would leave an empty group 2, which matches at every word boundary
  if (words.length === 0) return null;
  const allowed = alternation(allow, joined);
  const a = allowed.length > 0 ? allowed : '[^\\s\\S]'; // RE2 has no (?!): an empty class never matches
  return `(${a})|(${words})`;
}

/** One alternation matched between word boundaries in the keyword key (see groups). */
export function keywordRegex(phrases: readonly string[], allow: readonly string[]): RE2 | null {
  const alt = groups(phrases, allow, false);
  return alt === null ? null : new RE2(`(?:^|[^\\pL\\pN_])(?:${alt})(?:$|[^\\pL\\pN_])`, 'gu');
}

/**
 * The same phrases, spaces removed, matched anywhere in the words spelled out letter by letter
 * (View.joined): spelling out (`f r e e c r y p t o`, `b.u.y.v.i.a.g.r.a`) drops the spaces
 * between a phrase's words and the boundaries around it.
 */
export function joinedKeywordRegex(phrases: readonly string[], allow: readonly string[]): RE2 | null {
  const alt = groups(phrases, allow, true);
  return alt === null ? null : new RE2(alt, 'gu');
}

/** Runs of one code point collapsed to one: what a phrase's `c{n,}` runs leave of a match. */
function collapseRuns(s: string): string {
  return s.replace(/(.)\1+/gsu, '$1');
}

/**
 * Names the tenant phrase a KEYWORD hit matched, for the decision log: the alternation's span is
 * the user's words (`casinoroyale` for `casino*`), which a log without audit.logText must not
 * carry. Asked only on a hit. A phrase can match the span only if its key, runs collapsed, is
 * inside the span's (each `c{n,}` of the pattern covers one run of c); those few are tested
 * exactly, each with its own anchored RE2 built on first need and kept for this config.
 */
export class PhraseNamer {
  private readonly cores: string[];
  private readonly exact = new Map<number, RE2 | null>();

  /** `joined`: for hits in View.joined, matched against the phrases with their spaces removed */
  constructor(private readonly phrases: readonly string[], private readonly joined = false) {
    this.cores = phrases.map((p) => collapseRuns(joined ? phraseKey(p).replaceAll(' ', '') : phraseKey(p)));
  }

  /** The first phrase (in config order) matching all of `span`, or null. */
  name(span: string): string | null {
    const s = collapseRuns(span);
    for (let i = 0; i < this.phrases.length; i++) {
      const core = this.cores[i] ?? '';
      if (core.length === 0 || !s.includes(core)) continue;
      let re = this.exact.get(i);
      if (re === undefined) {
        try { re = new RE2(`^(?:${phrasePattern(this.phrases[i] ?? '', this.joined)})$`, 'u'); } catch { re = null; }
        this.exact.set(i, re);
      }
      if (re !== null && re.test(span)) return this.phrases[i] ?? null;
    }
    return null;
  }
}
