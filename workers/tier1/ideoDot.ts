// The ideographic full stop `。` (and halfwidth `｡`, which NFKC makes one) is the sentence full
// stop of Chinese and Japanese: `…最新版iOS。Android用户…` is two sentences, not the host
// `ios.android`, so the key keeps it and link reading takes it as punctuation (spaceless.ts
// text). A host spelled with one for its dot (`spam。com`) is an evasion of URL_DENY, though: the
// deny check alone reads the key again with each `。` between two ASCII letters or digits as a
// dot — only for a message that has one (Normalized.ideoDots), so no other pays for it.
import { parseUrlToken, type UrlHit } from './url.ts';

const IDEO_DOT = /(?<=[a-z0-9])。(?=[a-z0-9])/g;

/** The links of the key's tokens holding `。` between ASCII letters or digits, read with it as a dot. */
export function ideoDotHits(key: string): UrlHit[] {
  const out: UrlHit[] = [];
  for (let i = key.indexOf('。'); i >= 0; i = key.indexOf('。', i + 1)) {
    const s = key.lastIndexOf(' ', i) + 1;
    let e = key.indexOf(' ', i);
    if (e < 0) e = key.length;
    const tok = key.slice(s, e);
    const dotted = tok.replace(IDEO_DOT, '.');
    if (dotted !== tok) {
      const hits = parseUrlToken(dotted);
      if (hits !== null) out.push(...hits);
    }
    i = e;
  }
  return out;
}
