// A REGEX set the validator accepts (Ethiopic is not among its probe scripts) but that is slow on
// Ethiopic text: what the run-time breaker is for (workers/tier1/regex.ts).
export const SLOW_ON_ETHIOPIC = Array.from({ length: 49 }, (_, i) => `[\\x{1200}-\\x{1248}]{2,20}.{0,30}[^\\x{1200}]{1,30}N${i}`);

/** About `length` code points of Ethiopic words, the same for the same seed */
export function ethiopic(seed: number, length = 1500): string {
  let s = seed, t = '';
  const next = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  while (t.length < length) {
    const n = 2 + Math.floor(next() * 8);
    for (let i = 0; i < n; i++) t += String.fromCodePoint(0x1200 + Math.floor(next() * 0x48));
    t += ' ';
  }
  return t.trim();
}
