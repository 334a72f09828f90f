// A reused UTF-16 code-unit buffer for building folded strings: the fold loops write units here
// and make one string at the end, instead of one concatenation per stripped or replaced code
// point (hundreds on adversarial 4000-code-point inputs). Per thread; callers must not nest.

let buf = new Uint16Array(4096);
let bytes = Buffer.from(buf.buffer);
// Buffer's 'utf16le' is little-endian; Uint16Array is platform order.
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The scratch buffer with room for at least n units (contents not kept across growth). */
export function units(n: number): Uint16Array {
  if (buf.length < n) {
    buf = new Uint16Array(n + 4096);
    bytes = Buffer.from(buf.buffer);
  }
  return buf;
}

/** The string of units [0, len) of the current scratch buffer (lone surrogates kept as they are). */
export function unitsString(len: number): string {
  if (LE) return bytes.toString('utf16le', 0, 2 * len);
  let s = '';
  for (let i = 0; i < len; i += 4096) s += String.fromCharCode.apply(null, Array.from(buf.subarray(i, Math.min(len, i + 4096))));
  return s;
}

/** A larger scratch buffer holding the first k units of the current one. */
export function growUnits(k: number): Uint16Array {
  const old = units(0).slice(0, k);
  const u = units(2 * k + 64);
  u.set(old);
  return u;
}

/** Copies the units of s into u from offset k (the caller made room); returns the new offset. */
export function putString(u: Uint16Array, k: number, s: string): number {
  for (let j = 0; j < s.length; j++) u[k++] = s.charCodeAt(j);
  return k;
}

// A second buffer for reading: the long per-code-point loops copy their input string here once
// and index the array, which is several times cheaper per unit than charCodeAt on a two-byte
// string. Unit [length] is a 0 sentinel, so a look-ahead at the end reads no surrogate or letter.
let inBuf = new Uint16Array(4096);
let inBytes = Buffer.from(inBuf.buffer);

// The string whose units inBuf holds: one message's passes read the same NFC text two or three
// times (strip, fold, counts), and only readUnits writes inBuf.
let held: string | null = null;

/** The units of s in a reused array (valid until the next call with another string), followed by a 0. */
export function readUnits(s: string): Uint16Array {
  if (s === held) return inBuf;
  held = s;
  const n = s.length;
  if (inBuf.length < n + 1) {
    inBuf = new Uint16Array(n + 4096);
    inBytes = Buffer.from(inBuf.buffer);
  }
  if (LE) inBytes.write(s, 0, 'utf16le');
  else for (let i = 0; i < n; i++) inBuf[i] = s.charCodeAt(i);
  inBuf[n] = 0;
  return inBuf;
}
