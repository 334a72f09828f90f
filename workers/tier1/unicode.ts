// Code-point class table for the per-message loops. Built once per thread (~100 ms) so the hot
// path is an array lookup instead of a `\p{…}` regex test per code point.

export const C_MN = 1; // nonspacing mark, variation selectors excluded (they belong to emoji)
export const C_DI = 2; // Default_Ignorable_Code_Point
export const C_WS = 4; // White_Space, plus U+2800 braille blank and U+3164 Hangul filler
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
  table[0x3164] = C_WS; // map to space rather than strip: it is used to fake blank messages
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
export function scriptBit(cp: number): number {
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
