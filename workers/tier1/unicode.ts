import { countGraphemes, searchGraphemeCategory } from 'unicode-segmenter/grapheme';
import { CAPITAL_SIGMA, lowerSkeletonUnit } from './skeleton.ts';

// Code-point class table for the per-message loops. Built once per thread (~100 ms) so the hot
// path is an array lookup instead of a `\p{…}` regex test per code point.

export const C_MN = 1; // nonspacing mark, variation selectors excluded (they belong to emoji)
export const C_DI = 2; // Default_Ignorable_Code_Point
export const C_WS = 4; // White_Space, plus U+2800 braille blank and the Hangul fillers U+3164 and U+FFA0
export const C_L = 8; // letter
export const C_N = 16; // number
export const C_UP = 32; // uppercase / titlecase letter
export const C_LO = 64; // lowercase letter
export const C_EP = 128; // Extended_Pictographic

const TABLE_SIZE = 0x30000;
const table = new Uint8Array(TABLE_SIZE);

function build(): void {
  const props: [RegExp, number][] = [
    [/\p{Mn}/gu, C_MN],
    [/\p{Default_Ignorable_Code_Point}/gu, C_DI],
    [/\p{White_Space}/gu, C_WS],
    [/\p{L}/gu, C_L],
    [/\p{N}/gu, C_N],
    [/[\p{Lu}\p{Lt}]/gu, C_UP],
    [/\p{Ll}/gu, C_LO],
    [/\p{Extended_Pictographic}/gu, C_EP],
  ];
  const chunk = 0x1000;
  const cps: number[] = new Array<number>(chunk);
  for (let base = 0; base < TABLE_SIZE; base += chunk) {
    for (let i = 0; i < chunk; i++) {
      const cp = base + i;
      cps[i] = cp >= 0xd800 && cp <= 0xdfff ? 0x20 : cp;
    }
    const s = String.fromCodePoint(...cps);
    for (const [re, bit] of props) {
      for (const m of s.matchAll(re)) {
        const cp = m[0].codePointAt(0) ?? 0;
        if (cp >= base) table[cp] = (table[cp] ?? 0) | bit;
      }
    }
  }
  // Surrogate placeholders were spaces: clear what they polluted.
  for (let cp = 0xd800; cp <= 0xdfff; cp++) table[cp] = 0;
  table[0x20] = C_WS;
  table[0x2800] = (table[0x2800] ?? 0) | C_WS;
  // map to space rather than strip: they are used to fake blank messages, and between two words
  // they are the space (U+FFA0 is U+3164's halfwidth form; fold.ts maps both before NFKC,
  // which would make them the conjoining filler U+1160)
  table[0x3164] = C_WS;
  table[0xffa0] = C_WS;
  for (let cp = 0xfe00; cp <= 0xfe0f; cp++) table[cp] = C_DI;
}
build();

/** Class bits of a code point. Planes ≥ 3 are handled by range: tags/VS supplement are ignorable. */
export function cls(cp: number): number {
  if (cp < TABLE_SIZE) return table[cp] ?? 0;
  if (cp >= 0xe0000 && cp <= 0xe0fff) return C_DI;
  if (cp >= 0x30000 && cp <= 0x3ffff) return C_L; // CJK extension G/H ideographs
  return 0;
}

// NFD facts for skipping the native NFD call (fold.ts): on canonically ordered text (NFC
// or NFKC output) with no decomposing code point, NFD is the identity. Stripping code points
// can make two marks adjacent out of order, so N_MARKISH flags every code point that might have
// a non-zero combining class: nonspacing marks and GCB Extend/SpacingMark (checked exhaustively:
// every non-decomposing code point with ccc ≠ 0 is one of these). Hangul syllables decompose by
// arithmetic (no marks, no reordering), so they get their own bit.
export const N_DECOMPOSES = 1;
export const N_HANGUL = 2;
export const N_MARKISH = 4;

// Nonspacing marks each code point contributes after NFD (its decomposition's Mn count; 1 for a
// plain Mn). fold.ts uses it to prove, before NFD, that no base will carry more than 2 marks,
// so the step-4 mark-cap loop can be skipped for ordinary accented text.
const nfdMnTable = new Uint8Array(TABLE_SIZE);
const nfdTable = new Uint8Array(TABLE_SIZE); // N_* bits, see nfdFlags()
for (let cp = 0x80; cp < TABLE_SIZE; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const s = String.fromCodePoint(cp);
  const d = s.normalize('NFD');
  if (d === s) { if (cp >= 0x300 && (table[cp] ?? 0) & C_MN) nfdMnTable[cp] = 1; continue; }
  nfdTable[cp] = cp >= 0xac00 && cp <= 0xd7a3 ? N_HANGUL : N_DECOMPOSES;
  let k = 0;
  for (const ch of d) { const c = ch.codePointAt(0) ?? 0; if (c >= 0x300 && cls(c) & C_MN) k++; }
  nfdMnTable[cp] = k;
}

/** Nonspacing marks in the NFD of one code point (0 for planes ≥ 3: no decompositions there). */
export function nfdMarks(cp: number): number {
  return cp < TABLE_SIZE ? (nfdMnTable[cp] ?? 0) : 0;
}

export function isBidiControl(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

export function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

export const S_LATIN = 1;
export const S_CYRILLIC = 2;
export const S_GREEK = 4;
export const S_MATH = 8;

/** The scripts that matter for homoglyph mixing; everything else (CJK, Arabic…) is 0 on purpose. */
function scriptBitOf(cp: number): number {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a ? S_LATIN : 0;
  if (cp <= 0x24f) return cp >= 0xc0 && cp !== 0xd7 && cp !== 0xf7 ? S_LATIN : 0;
  if (cp >= 0x250 && cp <= 0x2af) return S_LATIN; // IPA extensions (ɑ, ɡ…)
  if (cp >= 0x370 && cp <= 0x3ff) return S_GREEK;
  if (cp >= 0x400 && cp <= 0x52f) return S_CYRILLIC;
  if (cp >= 0x1c80 && cp <= 0x1c8f) return S_CYRILLIC;
  if (cp >= 0x1d00 && cp <= 0x1d7f) return S_LATIN; // small capitals, phonetic letters
  if (cp >= 0x1e00 && cp <= 0x1eff) return S_LATIN;
  if (cp >= 0x1f00 && cp <= 0x1fff) return S_GREEK;
  if (cp >= 0x2c60 && cp <= 0x2c7f) return S_LATIN;
  if (cp >= 0x2de0 && cp <= 0x2dff) return S_CYRILLIC;
  if (cp >= 0xa640 && cp <= 0xa69f) return S_CYRILLIC;
  if (cp >= 0xa720 && cp <= 0xa7ff) return S_LATIN;
  if (cp >= 0xab30 && cp <= 0xab6f) return S_LATIN;
  if (cp >= 0xff21 && cp <= 0xff5a) return S_LATIN;
  if (cp >= 0x1d400 && cp <= 0x1d7ff) return S_MATH;
  return 0;
}

// Grapheme_Cluster_Break categories (unicode-segmenter's numbering: 0 Any, 1 CR, 2 Control,
// 3 Extend, 4 Extended_Pictographic, 5 L, 6 LF, 7 LV, 8 LVT, 9 Prepend, 10 Regional_Indicator,
// 11 SpacingMark, 12 T, 13 V, 14 ZWJ) as a flat table, built once from the package's ranges so
// analysis.ts can segment with a plain loop — no generator, no per-segment strings or objects.
const gcbTable = new Uint8Array(TABLE_SIZE);
function buildGcb(): void {
  for (let cp = 0; cp < TABLE_SIZE; ) {
    const r = searchGraphemeCategory(cp);
    const lo = r[0] ?? 0;
    const hi = r[1] ?? 0;
    const cat = r[2] ?? 0;
    if (cat === 0 || cp < lo || cp > hi) { cp++; continue; }
    const end = Math.min(hi, TABLE_SIZE - 1);
    gcbTable.fill(cat, cp, end + 1);
    cp = end + 1;
  }
}
buildGcb();

/** Grapheme_Cluster_Break category of a code point. */
export function gcb(cp: number): number {
  if (cp < 0x7f) return cp >= 32 ? 0 : cp === 10 ? 6 : cp === 13 ? 1 : 2;
  if (cp < TABLE_SIZE) return gcbTable[cp] ?? 0;
  const r = searchGraphemeCategory(cp);
  return cp >= (r[0] ?? 0) && cp <= (r[1] ?? 0) ? (r[2] ?? 0) : 0;
}

// InCB=Consonant (GB9c) lives in the Indic blocks; the package keeps its table private, so probe
// it once: क + virama + cp is one grapheme exactly when cp is a conjunct consonant.
const INCB_LO = 0x900;
const INCB_HI = 0xdff;
const incbTable = new Uint8Array(INCB_HI - INCB_LO + 1);
for (let cp = INCB_LO; cp <= INCB_HI; cp++) {
  if (gcb(cp) === 0 && countGraphemes('\u0915\u094d' + String.fromCodePoint(cp)) === 1) incbTable[cp - INCB_LO] = 1;
}

export function isIncbConsonant(cp: number): boolean {
  return cp >= INCB_LO && cp <= INCB_HI && incbTable[cp - INCB_LO] === 1;
}

export function isIncbLinker(cp: number): boolean {
  return cp === 0x094d || cp === 0x09cd || cp === 0x0acd || cp === 0x0b4d || cp === 0x0c4d || cp === 0x0d4d;
}

/** UAX #29 boundary between two categories (port of unicode-segmenter 0.11's isBoundary). */
export function gcbBoundary(before: number, after: number, risCount: number, emoji: boolean, incb: boolean): boolean {
  // The emoji-sequence cases first, each what the rule chain below answers for it: Extend, ZWJ
  // and SpacingMark join unless after CR/LF/Control (GB4, GB9, GB9a); a pictograph breaks
  // except after Prepend (GB9b) or, within an emoji sequence, after ZWJ (GB11).
  if (after === 3 || after === 14 || after === 11) return before === 1 || before === 2 || before === 6;
  if (after === 4) return before === 9 ? false : before === 14 ? !emoji : true;
  if (before === 1 && after === 6) return false; // GB3
  if (before === 1 || before === 2 || before === 6) return true; // GB4
  if (after === 1 || after === 2 || after === 6) return true; // GB5
  if (before === 5 && (after === 5 || after === 7 || after === 8 || after === 13)) return false; // GB6
  if ((before === 7 || before === 13) && (after === 12 || after === 13)) return false; // GB7
  if (after === 12 && (before === 8 || before === 12)) return false; // GB8
  if (after === 3 || after === 14) return false; // GB9
  if (after === 11) return false; // GB9a
  if (before === 9) return false; // GB9b
  if (after === 0 && incb) return false; // GB9c
  if (before === 14 && after === 4) return !emoji; // GB11
  if (before === 10 && after === 10) return risCount % 2 === 0; // GB12, GB13
  return true; // GB999
}

// scriptBitOf as a flat table (every range it names is below 0x20000): one load per letter in
// the analysis loop instead of a chain of range checks.
const SCRIPT_SIZE = 0x20000;
const scriptTable = new Uint8Array(SCRIPT_SIZE);
for (let cp = 0; cp < SCRIPT_SIZE; cp++) scriptTable[cp] = scriptBitOf(cp);

export function scriptBit(cp: number): number {
  return cp < SCRIPT_SIZE ? (scriptTable[cp] ?? 0) : 0;
}

// Everything the analysis loop asks about one code point, in one load: class bits (0–7),
// Grapheme_Cluster_Break category (8–11), script bit (12–15), I_SIMPLE (16) and InCB=Consonant
// (17). I_SIMPLE marks code points that always start a grapheme of their own after an `Any`
// code point and carry no special meaning for the counts: GCB Any, not a mark, ignorable,
// whitespace, pictographic, control or InCB consonant.
export const I_SIMPLE = 1 << 16;
export const I_INCB_CONSONANT = 1 << 17;
export const I_WS_ANY = 1 << 18; // whitespace that is otherwise like I_SIMPLE (U+0020, NBSP, …)
// A precomposed Hangul syllable (GCB LV/LVT): like I_SIMPLE, but after L jamo it continues the
// grapheme and V/T jamo after it continue it, so the analysis loop keeps its category.
export const I_SYL = 1 << 19;
// ZWNJ and ZWJ are spelling in the scripts that write with them, not hidden characters (see
// spelledJoiner): I_JOINS marks the letters and marks of those scripts, I_VIRAMA the viramas.
export const I_JOINS = 1 << 20;
export const I_VIRAMA = 1 << 21;

// The scripts whose spelling uses ZWNJ/ZWJ between letters (by Script_Extensions, so the Arabic
// vowel marks count): the cursive-joining scripts, where they break or keep a join (Persian
// `می‌خواهم`, Kurdish, Urdu, Pashto; The Unicode Standard §23.2 and the Arabic, Syriac, N'Ko,
// Mongolian… chapters) and the Indic scripts, where they pick a half form, a conjunct or a ra form
// (Bengali `র‍্যাব`, Sinhala `ශ්‍රී`, Marathi `र्‍य`; chapter 12). Viramas of any script count too
// (RFC 5892 CONTEXTJ: a joiner after a virama, like Malayalam's old chillu encoding `ന്‍`).
const JOINING_SCRIPTS = ['Arabic', 'Syriac', 'Nko', 'Mongolian', 'Mandaic', 'Manichaean', 'Psalter_Pahlavi', 'Adlam',
  'Hanifi_Rohingya', 'Sogdian', 'Old_Uyghur', 'Chorasmian', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya',
  'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala'];
const JOINS_RE = new RegExp(`(?=[\\p{L}\\p{M}])[${JOINING_SCRIPTS.map((x) => `\\p{scx=${x}}`).join('')}]`, 'gu');
const joinsTable = new Uint8Array(TABLE_SIZE); // 1: I_JOINS, 2: I_VIRAMA
for (let base = 0; base < TABLE_SIZE; base += 0x1000) {
  const cps: number[] = [];
  for (let cp = base; cp < base + 0x1000; cp++) cps.push(cp >= 0xd800 && cp <= 0xdfff ? 0x20 : cp);
  for (const m of String.fromCodePoint(...cps).matchAll(JOINS_RE)) joinsTable[m[0].codePointAt(0) ?? 0] = 1;
}
// Canonical_Combining_Class 9 (Virama), which JS cannot query: a mark that canonical ordering puts
// after U+3099 (ccc 8) and before U+05B0 (ccc 10).
for (let cp = 0x300; cp < TABLE_SIZE; cp++) {
  if (!((table[cp] ?? 0) & C_MN || gcb(cp) === 11)) continue;
  const m = String.fromCodePoint(cp);
  if (m.normalize('NFD') !== m) continue;
  const after8 = 'a' + m + '\u3099';
  const before10 = 'a\u05b0' + m;
  if (after8.normalize('NFD') !== after8 && before10.normalize('NFD') !== before10) joinsTable[cp] = (joinsTable[cp] ?? 0) | 2;
}

// Code points whose NFKD differs from their NFD, found block by block: a block is looked into
// only when its code points, '\n'-separated (a starter that no decomposition produces, so the
// comparison is per code point), normalize differently. None lie at or above U+30000.
const compatTable = new Uint8Array(TABLE_SIZE);
function markCompat(base: number, size: number): void {
  const parts: string[] = [];
  for (let cp = base; cp < base + size; cp++) if (cp < 0xd800 || cp > 0xdfff) parts.push(String.fromCodePoint(cp));
  const s = parts.join('\n');
  if (s.normalize('NFKD') === s.normalize('NFD')) return;
  if (size <= 16) {
    for (let cp = base; cp < base + size; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (c.normalize('NFKD') !== c.normalize('NFD')) compatTable[cp] = 1;
    }
    return;
  }
  const step = size >> 4;
  for (let b = base; b < base + size; b += step) markCompat(b, step);
}
for (let base = 0; base < TABLE_SIZE; base += 0x1000) markCompat(base, 0x1000);
const infoTable = new Uint32Array(TABLE_SIZE);
function infoOf(cp: number): number {
  const c = cls(cp);
  const g = gcb(cp);
  const consonant = isIncbConsonant(cp);
  // Surrogate units are never simple: the loops that test a unit for it must not split a pair.
  const plain = g === 0 && cp >= 32 && (cp < 0xd800 || cp > 0xdfff) && !(c & (C_MN | C_DI | C_EP)) && !consonant;
  const simple = plain && !(c & C_WS) && cp > 32;
  const ws = plain && (c & C_WS) !== 0;
  const syl = (g === 7 || g === 8) && !(c & (C_MN | C_DI | C_EP | C_WS)) && !consonant;
  const j = cp < TABLE_SIZE ? (joinsTable[cp] ?? 0) : 0; // none of those scripts lies that high
  return c | (g << 8) | (scriptBit(cp) << 12) | (simple ? I_SIMPLE : 0) | (consonant ? I_INCB_CONSONANT : 0) | (ws ? I_WS_ANY : 0) | (syl ? I_SYL : 0)
    | (j & 1 ? I_JOINS : 0) | (j & 2 ? I_VIRAMA : 0);
}
for (let cp = 0; cp < TABLE_SIZE; cp++) infoTable[cp] = infoOf(cp);

for (let cp = 0x80; cp < TABLE_SIZE; cp++) {
  const v = infoTable[cp] ?? 0;
  const g = (v >> 8) & 15;
  if (v & C_MN || g === 3 || g === 11) nfdTable[cp] = (nfdTable[cp] ?? 0) | N_MARKISH;
}

/** N_* bits of a code point (none above the table decompose; see info() for the rest). */
export function nfdFlags(cp: number): number {
  if (cp < TABLE_SIZE) return nfdTable[cp] ?? 0;
  const v = info(cp);
  const g = (v >> 8) & 15;
  return v & C_MN || g === 3 || g === 11 ? N_MARKISH : 0;
}

// Above the table (tag characters, plane-3 ideographs, private use) the facts cost a range
// search each: remember the recent ones.
const bigInfo = new Map<number, number>();

/** The code point whose last unit is u[i] (0 for none). */
function cpEndingAt(u: Uint16Array, i: number): number {
  if (i < 0) return 0;
  const lo = u[i] ?? 0;
  const hi = i > 0 ? (u[i - 1] ?? 0) : 0;
  return lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff ? ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000 : lo;
}

/** The code point starting at u[i] (the array ends in a 0 unit). */
function cpAt(u: Uint16Array, i: number): number {
  const hi = u[i] ?? 0;
  const lo = u[i + 1] ?? 0;
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff ? ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000 : hi;
}

/**
 * The ZWNJ or ZWJ at u[at] is spelling, not a hidden character: it follows a virama, or it stands
 * between two letters (or marks) of the scripts that write with it (see JOINING_SCRIPTS). A run of
 * joiners, or one next to a space, a Latin letter or anything else, is not.
 */
export function spelledJoiner(u: Uint16Array, at: number): boolean {
  const b = info(cpEndingAt(u, at - 1));
  if (b & I_VIRAMA) return true;
  return (b & I_JOINS) !== 0 && (info(cpAt(u, at + 1)) & I_JOINS) !== 0;
}

/** The combined facts of one code point (see I_SIMPLE). */
export function info(cp: number): number {
  if (cp < TABLE_SIZE) return infoTable[cp] ?? 0;
  let v = bigInfo.get(cp);
  if (v === undefined) {
    if (bigInfo.size >= 4096) bigInfo.clear();
    v = infoOf(cp);
    bigInfo.set(cp, v);
  }
  return v;
}

/** cp has a compatibility decomposition (NFKD ≠ NFD); none do from U+30000 up. */
export function isCompat(cp: number): boolean {
  return cp < TABLE_SIZE && compatTable[cp] === 1;
}

// stripMap's questions about one code point in one load: N_* bits (0–2), S_* bits (3–6) and the
// nfdMarks count (8–15).
export const S_COMPAT = 8;
export const S_WS = 16;
export const S_DI = 32;
export const S_SLASH_DOT = 64; // U+2044, U+2215 (→ '/'), U+3002, U+FF61 (noted between alphanumerics)
export const S_FOLDS = 128; // case-fold or skeleton changes it (or may: from U+20000 up)

function stripInfoOf(cp: number): number {
  const c = cls(cp);
  return nfdFlags(cp) | (isCompat(cp) ? S_COMPAT : 0) | (c & C_WS ? S_WS : 0) | (c & C_DI ? S_DI : 0)
    | (cp === 0x2044 || cp === 0x2215 || cp === 0x3002 || cp === 0xff61 ? S_SLASH_DOT : 0) | (nfdMarks(cp) << 8)
    | (lowerSkeletonUnit(cp) !== 0 || cp === CAPITAL_SIGMA ? S_FOLDS : 0);
}
const stripTable = new Uint16Array(TABLE_SIZE);
for (let cp = 0x80; cp < TABLE_SIZE; cp++) stripTable[cp] = stripInfoOf(cp);

/** See S_COMPAT. */
export function stripInfo(cp: number): number {
  return cp < TABLE_SIZE ? (stripTable[cp] ?? 0) : stripInfoOf(cp);
}
