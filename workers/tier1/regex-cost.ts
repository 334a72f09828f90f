// What a tenant's REGEX set costs the shard per message, measured once when a config is validated.
// RE2 is linear in the text, but not cheap per character: a set is matched by one DFA built
// lazily in a bounded cache, and counted repetitions of wide classes stacked in a pattern
// (`[a-z]{2,20}.{0,30}[^a]{1,30}…`) give it so many states that new text keeps rebuilding them.
// 50 such patterns passed every limit (count, length, one set that compiles) and cost ~1–3 s of
// shard CPU per 4,000-character post of random words — a few such posts and the shards missed
// their heartbeat. The cost is the set's, not each pattern's (one such pattern costs ~25 ms, five
// ~150 ms), and a rule on the patterns' text that refused stacked counted repetitions would also
// refuse common ones (\d{13,19}, email or phone patterns): the compiled set is timed on fixed
// probe texts instead.
import { analyze } from './analysis.ts';
import type { RegexSet } from './patterns.ts';
import { mulberry32 } from './prng.ts';

/**
 * CPU one message of REGEX_BUDGET_CP code points (LEN_MAX's default block) may cost in the set's
 * match(). On the probes below, realistic sets of 50 (keyword alternations, phone, card and email
 * patterns, phrases) take 0.05–1 ms, 50 proximity patterns over common words such as
 * `(buy|order)\W+(\w+\W+){0,5}(viagra|cialis)` 5–8 ms, the reported set 1,000–3,000 ms: the budget
 * sits 20× over the first and 50× under the last, far enough that machine speed and load do not move
 * their verdicts (one copy of the reported pattern, 25–45 ms, is near the line and may go either
 * way). It is still ~130× what the whole default screen of such a message costs (~0.15 ms).
 */
export const REGEX_BUDGET_MS = 20;
export const REGEX_BUDGET_CP = 4000;

/** Probe lengths in code points, short first: a costly set is refused on a few short texts. */
const LENGTHS = [64, 250, 1000, REGEX_BUDGET_CP] as const;
/**
 * A probe may cost its length's share of the budget, but no less than 1,000 code points' share:
 * scaled ×60, the few hundred µs a realistic set spends on its first DFA states (built once per
 * shard), or a preemption of this thread, would refuse it.
 */
const SCALED_FROM_CP = 1000;


const VOCABULARY = ('hello hi thanks please help order refund delivery account password payment card number phone ' +
  'call email address where when why how is my the a to of and not yet still today tomorrow week ' +
  'buy now free gift money cash win winner prize click link offer deal bonus crypto bitcoin casino loan ' +
  'Hello Thanks Order, Refund! Delivery? OK ok :) 2 10 24h 100% $50').split(' ');
const LATIN = 'abcdefghijklmnopqrstuvwxyz';
const SYMBOLS = '0123456789+-()./,:;!?@#$%&*_=';
// letters of other scripts (Cyrillic, Greek, Arabic, Devanagari, CJK); each word takes one
const SCRIPTS = ['абвгдежзиклмнопрстуфхцчшыэюя', 'αβγδεζηθικλμνξοπρστυφχψω', 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي', 'कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह', '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年'];

type Kind = 'random letter words' | 'chat words' | 'digits and symbols' | 'non-Latin words';

/** `min`–`max` code points drawn from `alphabet` (all in the BMP) */
function word(r: () => number, alphabet: string, min: number, max: number): string {
  let w = '';
  const len = min + Math.floor(r() * (max - min + 1));
  for (let i = 0; i < len; i++) w += alphabet[Math.floor(r() * alphabet.length)]!;
  return w;
}

const KINDS: ReadonlyArray<readonly [Kind, (r: () => number) => string]> = [
  ['random letter words', (r) => word(r, LATIN, 2, 10)],
  ['chat words', (r) => VOCABULARY[Math.floor(r() * VOCABULARY.length)]!],
  ['digits and symbols', (r) => word(r, SYMBOLS, 1, 8)],
  ['non-Latin words', (r) => word(r, SCRIPTS[Math.floor(r() * SCRIPTS.length)]!, 2, 10)],
];
const POOL = 64;

interface Probe { kind: Kind; cp: number; keys: readonly [string, string] }

let probes: Probe[] | null = null;

/**
 * Two distinct texts per kind and length, as the screen matches them: the REGEX rule runs on the
 * normalized key (View.key), so each kind draws from a pool of words already in key form (one
 * analyze() per word: whole 4,000-code-point texts cost ~10 ms each to analyze on a cold thread).
 * Built on first use, once per thread (~20 ms on a cold one).
 */
function probeTexts(): Probe[] {
  if (probes !== null) return probes;
  const r = mulberry32(0x5eed);
  const pools = KINDS.map(([kind, gen]) => {
    const words: string[] = [];
    while (words.length < POOL) {
      const w = gen(r);
      // lowercase Latin letters are their own key
      const k = /^[a-z]+$/.test(w) ? w : analyze(w).key;
      if (k.length > 0 && !k.includes(' ')) words.push(k);
    }
    return [kind, words] as const;
  });
  const text = (words: readonly string[], cp: number): string => {
    let t = '';
    while (t.length < cp) t += (t.length > 0 ? ' ' : '') + words[Math.floor(r() * words.length)]!;
    return t.slice(0, cp);
  };
  const out: Probe[] = [];
  for (const cp of LENGTHS) for (const [kind, words] of pools) out.push({ kind, cp, keys: [text(words, cp), text(words, cp)] });
  return (probes = out);
}

function timeMatch(set: RegexSet, key: string): number {
  const t0 = performance.now();
  set.match(key);
  return performance.now() - t0;
}

export interface RegexCost {
  /** the measured cost scaled to REGEX_BUDGET_CP code points */
  msPer4000: number;
  /** the probe it was measured on, e.g. `random letter words, 64 code points` */
  probe: string;
}

/**
 * How far over the budget `set` is, or null when it is within it. A probe whose match takes
 * longer than its share of the budget (SCALED_FROM_CP) is confirmed on a second text of the same
 * kind and length, as the first can pay for DFA states a realistic set builds once per shard, or
 * for a preemption of this thread. RE2 being linear, judging a set takes a few times the budget
 * at most: a realistic set ~1–5 ms, the reported one ~50 ms (refused on its two first
 * 64-code-point probes). Throws like RE2 when the set cannot be matched (out of memory).
 */
export function regexSetCost(set: RegexSet): RegexCost | null {
  for (const p of probeTexts()) {
    const allowed = (REGEX_BUDGET_MS * Math.max(p.cp, SCALED_FROM_CP)) / REGEX_BUDGET_CP;
    const first = timeMatch(set, p.keys[0]);
    if (first <= allowed) continue;
    const ms = Math.min(first, timeMatch(set, p.keys[1]));
    if (ms <= allowed) continue;
    return { msPer4000: (ms * REGEX_BUDGET_CP) / p.cp, probe: `${p.kind}, ${p.cp.toLocaleString('en-US')} code points` };
  }
  return null;
}
