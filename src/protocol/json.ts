// JSON at the edge: lossless int64 in, exact digits out.
//
// JS numbers are exact only up to 2^53. Oracle clients may send int64 ids above that
// (e.g. clientTransactionId 9007199254740993), so integer literals of 16+ digits are turned into
// digit strings *before* JSON.parse; int64 fields accept a number or a digit string. On the way
// out, an Int64 above 2^53 is written as its exact digits by `stringify`.
import { err, type ErrorData } from '../errors.ts';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const LONG_INT = /\d{16}/;

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: ErrorData };

export function parseBody(bytes: Uint8Array): JsonParse {
  if (bytes.length === 0) return { ok: true, value: {} };
  let text: string;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    return { ok: false, error: err('INVALID_ENCODING') };
  }
  return parseText(text);
}

export function parseText(text: string): JsonParse {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(LONG_INT.test(text) ? quoteLongIntegers(text) : text);
  } catch {
    return { ok: false, error: err('MALFORMED_JSON') };
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false, error: err('JSON_TOO_DEEP') };
  // a lone surrogate can only arrive as a \u escape (the body's UTF-8 is decoded strictly)
  return { ok: true, value: text.includes('\\u') && SURROGATE_ESCAPE.test(text) ? wellFormed(value) : value };
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
// code units, no `u` flag: a high surrogate not followed by a low one, or a low one not after a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Strings with lone surrogates (`"\ud800"`) made well-formed: each becomes U+FFFD, as the
 * journal's UTF-8 would turn it into three of them anyway — the live stream and the transcript
 * read back from the journal then show the same text. Pairs (emoji written as escapes) stay.
 * Values only; keys keep what they came with.
 * Depth is bounded by MAX_JSON_DEPTH, checked before.
 */
function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(v)) return v.map(wellFormed);
  // in place: every key is JSON.parse's own data property (a "__proto__" key included), so this
  // assignment sets that property and nothing else; keys are left as they came
  if (isPlainObject(v)) for (const k of Object.keys(v)) v[k] = wellFormed(v[k]);
  return v;
}

/**
 * Deeper JSON is refused at the edge. JSON.parse copes with any depth, but what comes after
 * recurses — JSON.stringify, the structured clone to a shard, msgpackr into the journal: a
 * sessionInformation nested 100,000 deep overflowed the stack in JSON.stringify and killed the
 * process. The API's own documents nest a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether valid JSON `text` nests arrays/objects deeper than `max`. A text with at most `max`
 * brackets cannot, and is not scanned: counting them with indexOf costs a chat post ~25 ns
 * where the character scan cost ~380 ns (SMS ham bodies, mean 137 characters).
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= 2 * max) return false;
  let opens = 0;
  for (let i = text.indexOf('{'); i !== -1 && opens <= max; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i !== -1 && opens <= max; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** The index of the quote closing the JSON string opened at `open` (text.length if none). */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++; // backslash: skip the escaped char
    else if (c === 34) return i;
  }
  return text.length;
}

/** Wraps integer literals of ≥ 16 digits that stand outside strings in quotes. Linear, one pass. */
export function quoteLongIntegers(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i);
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + (c === 45 ? 1 : 0);
      const start = j;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text.charCodeAt(j);
      const isInt = next !== 46 && next !== 101 && next !== 69; // not . e E
      if (isInt && j - start >= 16) {
        out += text.slice(last, i) + '"' + text.slice(i, j) + '"';
        last = j;
      }
      i = j - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** An int64 as exact decimal digits. */
export type Int64 = string;

/** Reads an optional int64 field: number (safe integer) or digit string. undefined if absent; null if invalid. */
export function readInt64(v: unknown): Int64 | undefined | null {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : null;
  if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) {
    const b = BigInt(v);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
    return b.toString();
  }
  return null;
}

// a per-process nonce so that no user text can forge the marker
const NONCE = Math.random().toString(36).slice(2, 10);
const BIG_MARK = `\u0001i64:${NONCE}:`;

/** Marks an int64 for stringify: safe values stay numbers, larger ones keep their digits. */
export function i64(digits: Int64 | number): number | string {
  if (typeof digits === 'number') return digits;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : BIG_MARK + digits;
}

/** `{x, xString}` — the numeric twin and the string twin of an int64 field. */
export function twin<K extends string>(name: K, digits: Int64 | number): Record<K | `${K}String`, number | string> {
  return { [name]: i64(digits), [`${name}String`]: String(digits) } as Record<K | `${K}String`, number | string>;
}

/**
 * `"name":digits,"nameString":"digits"` — twin() as JSON text; digits are canonical (an Int64 from
 * readInt64, or a safe integer). Hot paths write these into their JSON directly: an object of
 * twin()s spread into another measured ~7 µs per message against ~0.2 µs (workers/actor/engagement.ts).
 */
export function int64Pair(name: string, digits: Int64 | number): string {
  return `"${name}":${digits},"${name}String":"${digits}"`;
}

/** A JSON object's text with an int64 pair added as its last member (as `{ ...o, ...twin(name, digits) }` for an `o` without that name). */
export function withPair(json: string, name: string, digits: Int64 | number): string {
  return `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${int64Pair(name, digits)}}`;
}

// JSON.stringify escapes U+0001 as the six characters \u0001
const BIG_OUT = `"\\u0001i64:${NONCE}:`;
const BIG_RE = new RegExp(`"\\\\u0001i64:${NONCE}:(-?\\d+)"`, 'g');

export function stringify(v: unknown): string {
  const s = JSON.stringify(v);
  return s.includes(BIG_OUT) ? s.replace(BIG_RE, '$1') : s;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
