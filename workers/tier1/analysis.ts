// One pass over the message producing every count a detector needs. Detectors read this view
// and never scan the text themselves. Grapheme counts use unicode-segmenter (Intl.Segmenter is
// ~80× slower); ASCII text takes a char-code loop with no segmentation at all.
import { analyzeAscii } from './asciiFast.ts';
import { NO_URLS, normalizeText, type Normalized } from './normalize.ts';
import { readUnits } from './units.ts';
import { C_DI, C_EP, C_L, C_LO, C_MN, C_N, C_UP, C_WS, gcbBoundary, I_INCB_CONSONANT, I_SIMPLE, I_SYL, I_WS_ANY, info, isBidiControl, isIncbLinker, spelledJoiner } from './unicode.ts';

export interface View extends Normalized {
  cp: number; // code points after NFC
  graphemes: number;
  nonSpace: number; // graphemes that are not whitespace
  emoji: number; // emoji graphemes (flags and ZWJ families count once)
  symbols: number; // non-space graphemes that are neither letters, digits nor emoji
  maxRun: number; // longest run of one repeated grapheme
  maxMarks: number; // most nonspacing marks stacked on one base
  basesOverPerBase: number; // bases carrying more than ZALGO.perBase marks (3 unless the caller says)
  invisibles: number; // default-ignorable code points outside emoji sequences, but joiners that spell a word
  bidi: number; // bidi embedding/override/isolate controls
  upper: number;
  lower: number;
  mixedWords: number; // words mixing Latin with Cyrillic/Greek/math letters
  empty: boolean; // nothing left after whitespace mapping, stripping and trimming
}

function popcount4(b: number): number {
  return (b & 1) + ((b >> 1) & 1) + ((b >> 2) & 1) + ((b >> 3) & 1);
}

/** ASCII counts; false (and v untouched) as soon as a non-ASCII code unit shows up. */
function asciiStats(v: View, t: string): boolean {
  let prev = -1;
  let run = 0;
  let maxRun = 0;
  let crlf = 0;
  let spaces = 0;
  let sym = 0;
  let up = 0;
  let lo = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x80) return false;
    if (c === prev) {
      if (++run > maxRun) maxRun = run;
    } else {
      run = 1;
      if (maxRun === 0) maxRun = 1;
      if (c === 10 && prev === 13) crlf++;
      prev = c;
    }
    if (c <= 32 || c === 127) spaces++;
    else if (c >= 97 && c <= 122) lo++;
    else if (c >= 65 && c <= 90) up++;
    else if (c < 48 || c > 57) sym++;
  }
  v.cp = t.length;
  v.graphemes = t.length - crlf;
  v.nonSpace = t.length - spaces;
  v.symbols = sym;
  v.maxRun = maxRun;
  v.upper = up;
  v.lower = lo;
  return true;
}

/**
 * Non-ASCII counts in one code-point loop. Grapheme boundaries are the UAX #29 rules of
 * unicode-segmenter (same results as its graphemeSegments) but computed inline from a category
 * table: no generator, no segment strings — the 4000-code-point worst cases were dominated by it.
 */
function unicodeStats(v: View, t: string, perBase: number): void {
  let cps = 0;
  let graphemes = 0;
  let nonSpace = 0;
  let emoji = 0;
  let sym = 0;
  let run = 0;
  let maxRun = 0;
  let marks = 0;
  let maxMarks = 0;
  let over = 0;
  let invisibles = 0;
  let bidi = 0;
  let up = 0;
  let lo = 0;
  let word = 0; // script bits of the current word
  let mixed = 0;
  // Current grapheme: start offset, first code point's class, emoji-ness, ignorable count.
  let gStart = 0;
  let fc = 0;
  let first = 0;
  let isEmoji = false;
  let di = 0;
  let prevStart = -1; // previous grapheme [prevStart, gStart)
  let prevLen = -1;
  let prevFirst = -1;
  // Segmenter state (see unicode-segmenter's graphemeSegments).
  let catBefore = -1;
  let risCount = 0;
  let emojiSeq = false;
  let consonant = false;
  let linker = false;
  let incb = false;
  const n = t.length;
  // Typed-array loads: several times cheaper per unit than charCodeAt on a long two-byte string.
  const u = readUnits(t);
  for (let i = 0; i <= n; ) {
    let cp = -1;
    let w = 1;
    let inf = 0;
    if (i < n) {
      cp = u[i]!;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        const lo = u[i + 1]!;
        if (lo >= 0xdc00 && lo <= 0xdfff) { cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; w = 2; }
      }
      inf = info(cp);
    }
    // Is there a grapheme boundary before this code point?
    let boundary: boolean;
    let catAfter = 0;
    if (cp < 0) boundary = true;
    else if (inf & (I_SIMPLE | I_WS_ANY) && catBefore >= 0 && catBefore !== 9 && catBefore !== 10) {
      // A simple code point (GCB Any) starts a grapheme after anything but Prepend (GB9b) or an
      // InCB conjunct (GB9c, which needs a consonant after); Regional_Indicator before it counts
      // differently. The segmenter state update below reduces to this (no consonant, linker, ZWJ).
      risCount = 0;
      if (consonant && linker) consonant = false;
      boundary = true;
    } else if (inf & I_SYL && catBefore >= 0 && catBefore !== 5 && catBefore !== 9 && catBefore !== 10) {
      // A Hangul syllable starts a grapheme after anything but L jamo, Prepend or RI; the general
      // state update below reduces to resetting risCount (it leaves the InCB state alone).
      risCount = 0;
      catAfter = (inf >> 8) & 15;
      boundary = true;
    } else {
      catAfter = (inf >> 8) & 15;
      if (catBefore < 0) boundary = true;
      else {
        if (catBefore === 10) risCount++;
        else {
          risCount = 0;
          if (catAfter === 14 && (catBefore === 3 || catBefore === 4)) emojiSeq = true;
          else if (catAfter === 0) {
            incb = consonant && linker && (consonant = (inf & I_INCB_CONSONANT) !== 0);
            linker = linker && !consonant;
          }
        }
        boundary = gcbBoundary(catBefore, catAfter, risCount, emojiSeq, incb);
      }
    }
    if (boundary) {
      if (catBefore >= 0) {
        // Close the grapheme [gStart, i).
        graphemes++;
        const len = i - gStart;
        // Same grapheme as the one before? (A one-unit grapheme is its first code point.)
        let same = len === prevLen && first === prevFirst;
        // Inline unit compare: as a call it cost ~7% of an emoji-only 4000-code-point screen.
        for (let q = 1; same && q < len; q++) same = u[prevStart + q] === u[gStart + q];
        if (same) {
          if (++run > maxRun) maxRun = run;
        } else {
          run = 1;
          if (maxRun === 0) maxRun = 1;
        }
        prevStart = gStart;
        prevLen = len;
        prevFirst = first;
        if (!isEmoji) invisibles += di;
        if (!(fc & C_WS || (first <= 32 && first !== 0)) && !(di === len && !isEmoji)) {
          nonSpace++;
          if (isEmoji) emoji++;
          else if (!(fc & (C_L | C_N | C_MN))) sym++;
        }
      }
      if (cp < 0) break;
      gStart = i;
      first = cp;
      fc = inf & 0xff;
      isEmoji = (fc & C_EP) !== 0 || (cp >= 0x1f1e6 && cp <= 0x1f1ff);
      di = 0;
      emojiSeq = false;
      incb = false;
    }
    // Segmenter state for the code point now before the cursor.
    if (!consonant && catAfter === 0) consonant = (inf & I_INCB_CONSONANT) !== 0;
    else if (catAfter === 3) linker = isIncbLinker(cp);
    catBefore = catAfter;
    // Per-code-point counts.
    i += w;
    cps++;
    const c = inf & 0xff;
    if (c & C_MN) {
      if (++marks > maxMarks) maxMarks = marks;
      if (marks === perBase + 1) over++;
      continue;
    }
    marks = 0;
    if (c & C_DI) {
      // ZWNJ/ZWJ inside a Persian, Urdu or Indic word is how the word is spelled
      if ((cp === 0x200c || cp === 0x200d) && !isEmoji && spelledJoiner(u, i - 1)) continue;
      di++;
      if (isBidiControl(cp)) bidi++;
      continue;
    }
    if (cp === 0x20e3) isEmoji = true; // keycap sequence
    if (c & C_L) {
      if (c & C_UP) up++;
      else if (c & C_LO) lo++;
      word |= (inf >> 12) & 15;
    } else if (word !== 0 || !(c & C_N)) {
      if (popcount4(word) >= 2) mixed++;
      word = 0;
    }
    if (catBefore === 3 || catBefore === 4) {
      // After Extend or a pictograph, a run of plain pictographs (class bits exactly C_EP) and
      // plain Extend code points (no class bits: emoji modifiers, enclosing marks; not U+20E3)
      // is the general path specialised: Extend joins (GB9) and clears the InCB linker, a
      // pictograph breaks (nothing before it is ZWJ or Prepend), both reset risCount.
      while (i < n) {
        let y = u[i]!;
        let yw = 1;
        if (y >= 0xd800 && y <= 0xdbff) {
          const lo = u[i + 1]!;
          if (lo >= 0xdc00 && lo <= 0xdfff) { y = ((y - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; yw = 2; }
        }
        const iy = info(y);
        const yc = iy & 0xff;
        const yg = (iy >> 8) & 15;
        if (yg === 3 && yc === 0 && y !== 0x20e3) {
          linker = false;
          catBefore = 3;
        } else if (yg === 4 && yc === C_EP) {
          // the general loop's grapheme close, inlined on purpose (a shared call measured ~7 % of
          // an emoji-only 4000-code-point screen); keep the two copies in step
          graphemes++;
          const len = i - gStart;
          let same = len === prevLen && first === prevFirst;
          for (let q = 1; same && q < len; q++) same = u[prevStart + q] === u[gStart + q];
          if (same) {
            if (++run > maxRun) maxRun = run;
          } else {
            run = 1;
            if (maxRun === 0) maxRun = 1;
          }
          prevStart = gStart;
          prevLen = len;
          prevFirst = first;
          if (!isEmoji) invisibles += di;
          if (!(fc & C_WS || (first <= 32 && first !== 0)) && !(di === len && !isEmoji)) {
            nonSpace++;
            if (isEmoji) emoji++;
            else if (!(fc & (C_L | C_N | C_MN))) sym++;
          }
          gStart = i;
          first = y;
          fc = yc;
          isEmoji = true;
          di = 0;
          emojiSeq = false;
          incb = false;
          catBefore = 4;
        } else break;
        risCount = 0;
        i += yw;
        cps++;
        marks = 0;
        if (popcount4(word) >= 2) mixed++;
        word = 0;
      }
      continue;
    }
    if (!boundary || !(inf & (I_SIMPLE | I_WS_ANY | I_SYL))) continue;
    // The open grapheme is this one code point (w units), GCB Any, no mark, ignorable or emoji.
    // While the next code point is of the same kind, the grapheme closes as a single code point
    // and the next opens one: the general path above, specialised (same counts and segmenter
    // state). A single-code-point grapheme equals the one before iff length and first agree.
    // Hangul syllables ride along: a boundary lies between any two of these, and the loop ends
    // with the category of the last one consumed (V/T jamo after a syllable continue it).
    let gw = w;
    let lastCat = catBefore;
    while (i < n) {
      let y = u[i]!;
      let yw = 1;
      if (y >= 0xd800 && y <= 0xdbff) {
        const lo = u[i + 1]!;
        if (lo >= 0xdc00 && lo <= 0xdfff) { y = ((y - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; yw = 2; }
      }
      const iy = info(y);
      if (!(iy & (I_SIMPLE | I_WS_ANY | I_SYL))) break;
      graphemes++;
      if (prevLen === gw && first === prevFirst) {
        if (++run > maxRun) maxRun = run;
      } else {
        run = 1;
        if (maxRun === 0) maxRun = 1;
      }
      prevStart = gStart;
      prevLen = gw;
      prevFirst = first;
      if (!(fc & C_WS)) {
        nonSpace++;
        if (!(fc & (C_L | C_N))) sym++;
      }
      gStart = i;
      first = y;
      fc = iy & 0xff;
      risCount = 0;
      lastCat = (iy >> 8) & 15;
      if (consonant && linker && lastCat === 0) consonant = false;
      i += yw;
      gw = yw;
      cps++;
      if (fc & C_L) {
        if (fc & C_UP) up++;
        else if (fc & C_LO) lo++;
        word |= (iy >> 12) & 15;
      } else if (word !== 0 || !(fc & C_N)) {
        if (popcount4(word) >= 2) mixed++;
        word = 0;
      }
    }
    catBefore = lastCat;
  }
  if (popcount4(word) >= 2) mixed++;
  v.cp = cps;
  v.graphemes = graphemes;
  v.nonSpace = nonSpace;
  v.emoji = emoji;
  v.symbols = sym;
  v.maxRun = maxRun;
  v.maxMarks = maxMarks;
  v.basesOverPerBase = over;
  v.invisibles = invisibles;
  v.bidi = bidi;
  v.upper = up;
  v.lower = lo;
  v.mixedWords = mixed;
}

/** A view with nothing counted yet, as analyzeAscii() and the general path expect it. */
export function blankView(): View {
  return {
    nfc: '', ascii: false, key: '', masked: '', urls: NO_URLS, strongUrls: 0,
    contact: false, joined: '', ideoDots: false, cp: 0, graphemes: 0, nonSpace: 0, emoji: 0, symbols: 0, maxRun: 0, maxMarks: 0,
    basesOverPerBase: 0, invisibles: 0, bidi: 0, upper: 0, lower: 0, mixedWords: 0,
    empty: false,
  };
}

/** `urlCap`: see normalize(). */
export function analyze(text: string, urlCap = Infinity): View {
  return analyzeNfc(text, urlCap, null);
}

/**
 * analyze() with `nfc` = text.normalize('NFC') when the caller already has it (else null);
 * `perBase`: the tenant's ZALGO.perBase.
 */
export function analyzeNfc(text: string, urlCap: number, nfc: string | null, perBase = 3): View {
  // One object, filled in place: the fast pass (ASCII, Latin letters, single emoji: asciiFast.ts) answers
  // most messages; what it leaves goes the general way.
  const v = blankView();
  if (nfc === null && analyzeAscii(v, text, urlCap)) {
    v.empty = v.key.length === 0;
    return v;
  }
  const ascii = asciiStats(v, text);
  normalizeText(text, urlCap, ascii, ascii && v.upper === 0, v, nfc);
  if (!ascii) unicodeStats(v, v.nfc, perBase);
  v.empty = v.key.length === 0;
  return v;
}
