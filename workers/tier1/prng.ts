/**
 * mulberry32: a small seeded PRNG, for inputs that must be the same on every run and every node
 * (the REGEX cost probes, the micro-benchmark's engagement lengths). Not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
