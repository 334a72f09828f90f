// The reversible obfuscations of tier1.md §3–§4 that are plain text rewrites: defanged links
// (`hxxp`, `[.]`, `(dot)`, `a . b`) before the token walk, and leetspeak (step 9) on the keyword
// path only.
import { C_MN, cls } from './unicode.ts';

const NON_ASCII = /[^\x00-\x7f]/;
const OBF_BRACKET = /\s?[[({]\s?(?:\.|dot)\s?[\])}]\s?/g;
const OBF_SPACED_DOT = /([a-z0-9]) \. (?=[a-z0-9])/g;

// Any trigger of the three rewrites below (one scan instead of five `includes`).
const OBF_ANY = /[[({]| \. |hxxp/;

export function deobfuscate(p: string): string {
  if (!OBF_ANY.test(p)) return p;
  if (p.includes('[') || p.includes('(') || p.includes('{')) p = p.replace(OBF_BRACKET, '.');
  if (p.includes(' . ')) p = p.replace(OBF_SPACED_DOT, '$1.');
  if (p.includes('hxxp')) p = p.replaceAll('hxxp', 'http');
  return p;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
const LEET_RE = /[013457@$]/g;

/** Step 9, keyword path only; combining marks go too so `cafe` matches `café` and light zalgo. */
export function leet(key: string): string {
  let k = key.replace(LEET_RE, (c) => LEET[c] ?? c);
  if (NON_ASCII.test(k)) {
    let out = '';
    for (const ch of k) if (!(cls(ch.codePointAt(0) ?? 0) & C_MN)) out += ch;
    k = out;
  }
  return k;
}
