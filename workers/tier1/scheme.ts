// Web schemes in a lower-cased token (`http:`, `https:`, `ftp:`, and the defanged `hxxp:`,
// `hxxps:`), wherever they start: a link with one needs no dot (`http://3232235777/`, an IP host).

/** Length of the web scheme ('http', 'https', 'hxxp', 'hxxps', 'ftp') ending at t[colon), whatever is glued before it; 0: none. */
export function schemeLen(t: string, colon: number): number {
  const c = t.charCodeAt(colon - 1);
  if (c === 112) return t.endsWith('http', colon) || t.endsWith('hxxp', colon) ? 4 : t.endsWith('ftp', colon) ? 3 : 0;
  return c === 115 && (t.endsWith('https', colon) || t.endsWith('hxxps', colon)) ? 5 : 0;
}

/**
 * schemeLen > 0 at the ':' t[i] of the fast pass's raw text, each unit read through its fold
 * (`fold`: ASCII lower-cased, a Latin letter taken there its one plain letter, else -1). `hxxp`
 * never gets here: the fast pass hands it to the general path at its 'p'.
 */
export function schemeEndsAt(t: string, i: number, fold: (c: number) => number): boolean {
  let j = i - 1;
  const s = fold(t.charCodeAt(j)) === 115;
  if (s) j--;
  if (fold(t.charCodeAt(j)) !== 112 || fold(t.charCodeAt(j - 1)) !== 116) return false;
  const b = fold(t.charCodeAt(j - 2));
  return (b === 102 && !s) || (b === 116 && fold(t.charCodeAt(j - 3)) === 104);
}

/** t holds a web scheme's ':' somewhere. */
export function hasScheme(t: string): boolean {
  for (let c = t.indexOf(':'); c > 0; c = t.indexOf(':', c + 1)) if (schemeLen(t, c) > 0) return true;
  return false;
}
