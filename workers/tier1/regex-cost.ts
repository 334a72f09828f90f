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
 * `(buy|order)\W+(\w+\W+){0,5}(viagra|cialis)` 2–12 ms, ~2× that on a thread sharing its core
 * with busy ones; sets slow on one kind of text 400–3,000 ms on it. At 20 ms the proximity set was
 * refused under load (5 of 8 tries with two busy loops on two cores); 50 ms leaves it 4× margin
 * and stays 8× under the cheapest slow set. A set slow on text no probe resembles is the shard's
 * breaker's (regex.ts REGEX_BREAKER_MS). It is still ~300× what the whole default screen of such a
 * message costs (~0.15 ms).
 */
export const REGEX_BUDGET_MS = 50;
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
/** code points of a string (letters outside the BMP are one each) */
const cps = (s: string): readonly string[] => Array.from(s);
const range = (from: number, to: number): readonly string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
const LATIN = cps('abcdefghijklmnopqrstuvwxyz');
const SYMBOLS = cps('0123456789+-()./,:;!?@#$%&*_=');
// letters of other scripts (Cyrillic, Greek, Arabic, Devanagari, CJK); each word takes one
const SCRIPTS = ['абвгдежзиклмнопрстуфхцчшыэюя', 'αβγδεζηθικλμνξοπρστυφχψω', 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي', 'कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह', '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年'].map(cps);
// Scripts whose letters the key keeps and a set can be written to be slow on alone (a set of 50
// counted repetitions of one script's class cost 2–3 s per 4,000 code points of it, nothing on the
// others): each its own kind, so such a set meets its script at every length.
const THAI = [...range(0x0e01, 0x0e2e), ...cps('ะาำเแโใไ')];
const HANGUL = cps('가각간갈감갑강개거건걸검것게겨결경고곡공과관광교구국군굴권귀그근글금기길김까나날남내너널노논누눈느는늘다단달담당대더덕도독동두둘드득들등디따때또라람랑래러렇레려력로록론료루류르를름리린림마만많말망매머먼메며면명모목몸못무문물뭐미민바박반받발방배백버번벌법변별보복본봉부북분불비빛사산살삼상새생서선설성세소속손수숙순술스습시식신실심십아안알암앞애야약양어억언얼엄없에여역연열영예오옥온올와완왕외요용우운울원월위유육은을음의이인일임입자작잔잘장재저전절점정제조족존종좋주죽준중즐지직진질집차착찬참창채처천철청체초총최추축춘출충치친칠카타태터토통투트특파판팔편평포표품프피필하학한할함합항해했행향허현혈형호혼화확환활황회효후훈휴흐흑흔흘희히');
const HEBREW = range(0x05d0, 0x05ea);
const GEORGIAN = range(0x10d0, 0x10fa);
// emoji as sent: single, with a skin tone, ZWJ families, keycap-free symbols (the key keeps them)
const EMOJI = [...range(0x1f600, 0x1f64f), ...range(0x1f300, 0x1f33f), ...range(0x1f680, 0x1f6c5), ...range(0x1f90c, 0x1f9ff),
  '👍🏽', '👋🏻', '🙏🏾', '👨‍👩‍👧', '👩‍💻', '🏳️‍🌈', '❤️', '✨', '⭐', '✅'];
const TLDS = ['com', 'net', 'org', 'io', 'ly', 'me', 'co', 'shop', 'xyz', 'de', 'ru', 'app'];

type Kind = 'random letter words' | 'chat words' | 'digits and symbols' | 'non-Latin words' | 'Thai words' | 'Hangul words' |
  'Hebrew words' | 'Georgian words' | 'emoji' | 'URLs';

/** `min`–`max` code points drawn from `alphabet` */
function word(r: () => number, alphabet: readonly string[], min: number, max: number): string {
  let w = '';
  const len = min + Math.floor(r() * (max - min + 1));
  for (let i = 0; i < len; i++) w += alphabet[Math.floor(r() * alphabet.length)]!;
  return w;
}

/** `https://host.tld/path?x=y`, each part optional but the host */
function url(r: () => number): string {
  const scheme = r() < 0.5 ? 'https://' : r() < 0.5 ? 'http://' : r() < 0.5 ? 'www.' : '';
  let u = `${scheme}${word(r, LATIN, 2, 10)}.${TLDS[Math.floor(r() * TLDS.length)]!}`;
  if (r() < 0.7) u += `/${word(r, LATIN, 1, 8)}${r() < 0.4 ? `/${word(r, [...LATIN, ...SYMBOLS.slice(0, 10)], 1, 12)}` : ''}`;
  if (r() < 0.4) u += `?${word(r, LATIN, 1, 5)}=${word(r, [...LATIN, ...SYMBOLS.slice(0, 10)], 1, 10)}`;
  return u;
}

const KINDS: ReadonlyArray<readonly [Kind, (r: () => number) => string]> = [
  ['random letter words', (r) => word(r, LATIN, 2, 10)],
  ['chat words', (r) => VOCABULARY[Math.floor(r() * VOCABULARY.length)]!],
  ['digits and symbols', (r) => word(r, SYMBOLS, 1, 8)],
  ['non-Latin words', (r) => word(r, SCRIPTS[Math.floor(r() * SCRIPTS.length)]!, 2, 10)],
  ['Thai words', (r) => word(r, THAI, 2, 10)],
  ['Hangul words', (r) => word(r, HANGUL, 1, 5)],
  ['Hebrew words', (r) => word(r, HEBREW, 2, 8)],
  ['Georgian words', (r) => word(r, GEORGIAN, 2, 10)],
  ['emoji', (r) => word(r, EMOJI, 1, 4)],
  ['URLs', url],
];
const POOL = 64;

/**
 * Timings of a probe, each on its own text, before it counts as over budget; the least counts. The
 * first match on a kind of text pays for DFA states a realistic set builds once per shard, and any
 * timing can include a preemption of this thread (wall clock: CPU time per thread is not to be had
 * in Node), while a set over budget is over it on every text of the kind. A probe within budget
 * stops at its first timing, so a realistic set is timed about once per probe.
 */
const TRIES = 5;

interface Probe { kind: Kind; cp: number; keys: readonly string[] }

let probes: Probe[] | null = null;

/**
 * TRIES distinct texts per kind and length, as the screen matches them: the REGEX rule runs on the
 * normalized key (View.key), so each kind draws from a pool of words already in key form (one
 * analyze() per word: whole 4,000-code-point texts cost ~10 ms each to analyze on a cold thread).
 * Built on first use, once per thread (~30 ms on a cold one).
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
    const out: string[] = [];
    let n = 0;
    while (n < cp) {
      const w = Array.from(words[Math.floor(r() * words.length)]!);
      if (out.length > 0) { out.push(' '); n++; }
      for (const c of w.slice(0, cp - n)) { out.push(c); n++; }
    }
    return out.join('');
  };
  const out: Probe[] = [];
  for (const cp of LENGTHS) for (const [kind, words] of pools) out.push({ kind, cp, keys: Array.from({ length: TRIES }, () => text(words, cp)) });
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
 * How far over the budget `set` is, or null when it is within it: the least of up to TRIES timings
 * of a probe, stopping at the first within its share of the budget (SCALED_FROM_CP). RE2 being
 * linear, judging a set takes a few times the budget at most: a realistic set ~1–30 ms, a slow one
 * up to TRIES times its first probes over budget (~50–250 ms). Throws like RE2 when the set cannot
 * be matched (out of memory).
 */
export function regexSetCost(set: RegexSet): RegexCost | null {
  for (const p of probeTexts()) {
    const allowed = (REGEX_BUDGET_MS * Math.max(p.cp, SCALED_FROM_CP)) / REGEX_BUDGET_CP;
    let ms = Infinity;
    for (let i = 0; i < p.keys.length && ms > allowed; i++) ms = Math.min(ms, timeMatch(set, p.keys[i]!));
    if (ms <= allowed) continue;
    return { msPer4000: (ms * REGEX_BUDGET_CP) / p.cp, probe: `${p.kind}, ${p.cp.toLocaleString('en-US')} code points` };
  }
  return null;
}
