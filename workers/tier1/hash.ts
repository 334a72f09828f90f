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
