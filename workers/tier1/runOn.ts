// Sentence run-ons: a bare host (no scheme, no `www.`, no path, not a shortener: url.ts decides
// that) that is text run together after a full stop, not a link — `I miss her.love you`, `Tell
// her.My phone died`, `Hola.La entrega no llegó.Es la segunda vez`, or a model name (`X200.Pro`).
// Such a host is a *weak* hit: still de-obfuscated and matched against URL_DENY, but not a strong
// URL (URL_COUNT, URL_RATE) and not a contact payload (CAMPAIGN_XCONV).

// Public suffixes that are everyday English words: a run-on in any letter case.
// Spam-favoured word TLDs (.win, .free, .top, .xyz…) are deliberately not here.
const WORD_SUFFIX = new Set([
  'love', 'you', 'how', 'now', 'call', 'meet', 'life', 'like', 'ice', 'today', 'one', 'care', 'fun', 'live',
  'world', 'help', 'new', 'day', 'talk', 'family', 'kids', 'works', 'guru', 'ninja', 'rocks', 'cool', 'dad', 'mom',
  'be', 'by', 'my', 'no', 'pa', 'us', 'so', 'am', 'as', 'at', 'do', 'go', 'in', 'is', 'it', 'to', 'me', 'we', 'ok', 'hi',
]);

// Outside English the run-on is told by the letter case it was typed in, which link reading (on
// lower-cased text) no longer sees: a capital then lower-case letters after a dot starts a sentence
// (`.La`, `.Es`) or names a model (`.Pro`). Both analysis passes hand the link reader a token's
// titleMask (asciiFast.ts from the text, normalize.ts from the text before lower-casing: fold.ts).

// Top-level domains that are an everyday word starting a sentence in a common language (Spanish,
// Portuguese, French, Italian, German, Dutch, Scandinavian, Turkish, Indonesian) or a model name's
// suffix: a run-on when typed Title-case. Only ICANN suffixes open to names matter (`el`, `en`,
// `un`, `da`, `ja` are none; under `er` only second-level names are). Spam-favoured ones (`.men`,
// `.gratis`, `.sale`, `.vip`) are deliberately not here, nor any TLD that is no word (`.com`,
// `.xyz`): `Spam.Com`, `Cheap-Meds.Xyz` stay counted links.
const TITLE_WORD = new Set([
  'la', 'es', 'se', 'si', 'de', 'il', 'et', 'al', 'ni', 'va', 'na', 'ao', 'eu', 'je', 'ne', 'ma', 'au',
  'im', 'om', 'nu', 'vi', 'ci', 'io', 've', 'su', 'ca', 'ke', 'mit', 'ist', 'pro', 'plus', 'mini',
]);

/**
 * Which dots of the token t[s, e) as typed are followed by a Title-case label: an ASCII capital,
 * lower-case ASCII letters, then no ASCII letter or digit (`Hola.La,`, `X200.Pro和Y300.Pro，`); bit
 * k for the k-th dot (from 0, up to 29) as the key counts them — a run of more than 3 is cut to 3
 * there (tier1.md §3 step 7). 0 for none: `SPAM.LA`, `spam.la`, `Spam.LaX` have none.
 */
export function titleMask(t: string, s: number, e: number): number {
  let mask = 0;
  let n = 0; // dots before i, as the key has them
  let run = 0;
  for (let i = t.indexOf('.', s); i >= 0 && i < e && n < 30; i = t.indexOf('.', i + 1)) {
    run = i > s && t.charCodeAt(i - 1) === 46 ? run + 1 : 1;
    if (run > 3) continue;
    const c = i + 1 < e ? t.charCodeAt(i + 1) : 0;
    if (c >= 65 && c <= 90) {
      let j = i + 2;
      for (let d = t.charCodeAt(j); j < e && d >= 97 && d <= 122; d = t.charCodeAt(++j));
      const d = j < e ? t.charCodeAt(j) : 32;
      if (j > i + 2 && !((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57))) mask |= 1 << n;
    }
    n++;
  }
  return mask;
}

/** A bare host with this public suffix and last label is a run-on (`title`: that label was typed Title-case). */
export function runOn(publicSuffix: string, last: string, title: boolean): boolean {
  return WORD_SUFFIX.has(publicSuffix) || (title && TITLE_WORD.has(last));
}
