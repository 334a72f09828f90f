// 64-bit xxhash of keys. xxhash-wasm compiles asynchronously, so the worker awaits initTier1()
// once at start; after that every call is synchronous.
import xxhash from 'xxhash-wasm';

type Api = Awaited<ReturnType<typeof xxhash>>;
let api: Api | null = null;

export async function initHash(): Promise<void> {
  api ??= await xxhash();
}

/** 16-hex-digit xxhash64 of a string (hex, so it can cross threads and be a Map key). */
export function fp64(s: string): string {
  if (api === null) throw new Error('tier1: initTier1() must be awaited before screening');
  return api.h64ToString(s);
}

/**
 * The same xxhash64 as a bigint, for fingerprints that stay on this thread (duplicate rings, the
 * canned set): two per message, and the hex rendering was a third of the hashing cost.
 */
export function fp64n(s: string): bigint {
  if (api === null) throw new Error('tier1: initTier1() must be awaited before screening');
  return api.h64(s);
}

/** fp64n of the string whose UTF-8 bytes are exactly `bytes`. */
export function fp64nBytes(bytes: Uint8Array): bigint {
  if (api === null) throw new Error('tier1: initTier1() must be awaited before screening');
  return api.h64Raw(bytes);
}

/** fp64n's value as fp64 would have written it. */
export function hex64(h: bigint): string {
  return h.toString(16).padStart(16, '0');
}

/** "Not computed" for an fp64n slot (hashes are unsigned). */
export const NO_FP = -1n;
