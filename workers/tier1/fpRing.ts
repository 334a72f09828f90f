// The duplicate rules' memory of one (sender, engagement) pair: the last `cap` messages' times and
// 64-bit fingerprints in one Float64Array, as a circular buffer laid out field by field (all
// times, then all first halves, …). A fingerprint is kept as its two 32-bit halves (exact as
// doubles), so a scan compares numbers: arrays of bigints made every entry a separate heap object
// reached through a pointer and compared by a runtime call, and push + shift moved the arrays each
// message — with the default config the two rules cost ~2.2 µs per message in-process. Field by
// field, a scan reads one contiguous run of first halves (two cache lines for 16 entries) and
// touches the rest only on a match: under load the entry-by-entry layout's misses were most of
// what was left.
// Fields: 0 at, 1 fp first half, 2 fp second half; width 5 (DUP_NEAR) adds 3, 4: the exact key's.

const BIG = new BigUint64Array(1);
const HALVES = new Uint32Array(BIG.buffer);

/**
 * The two 32-bit halves of an unsigned 64-bit fingerprint, in a shared scratch array: read both
 * before the next call (which half is the high one does not matter, they are compared as a pair).
 */
export function split(fp: bigint): Uint32Array {
  BIG[0] = fp;
  return HALVES;
}

export class FpRing {
  private buf: Float64Array;
  /** entries held (≤ cap), in slots 0 … n−1 (every slot once full); the oldest is at `head` */
  n = 0;
  private head = 0;

  constructor(
    /** field f of slot s is data[f × cap + s] */
    public cap: number,
    readonly width: 3 | 5,
  ) {
    this.buf = new Float64Array(cap * width);
  }

  /** The backing array (valid until the next resize). */
  get data(): Float64Array {
    return this.buf;
  }

  /** Slot of the i-th oldest entry. */
  slot(i: number): number {
    const s = this.head + i;
    return s >= this.cap ? s - this.cap : s;
  }

  /** Field f of the i-th oldest entry. */
  field(f: number, i: number): number {
    return this.buf[f * this.cap + this.slot(i)]!;
  }

  /** Capacity now `cap` (a reloaded config): the newest min(n, cap) entries are kept, oldest first. */
  resize(cap: number): void {
    if (cap === this.cap) return;
    const keep = Math.min(this.n, cap);
    const next = new Float64Array(cap * this.width);
    for (let i = 0; i < keep; i++) {
      const s = this.slot(this.n - keep + i);
      for (let f = 0; f < this.width; f++) next[f * cap + i] = this.buf[f * this.cap + s]!;
    }
    this.buf = next;
    this.cap = cap;
    this.n = keep;
    this.head = 0;
  }

  /**
   * Takes back the newest entry's claim to be a copy: its time becomes -Infinity, outside every
   * window. For a message refused for its pace alone (RATE_BURST, SLOWMODE): it was never
   * delivered, and its sender was told to send it again later, so that copy must not count as
   * "already sent". (Undoing the push would need the entry it overwrote when the ring was full.)
   */
  voidNewest(): void {
    if (this.n > 0) this.buf[this.slot(this.n - 1)] = -Infinity;
  }

  /** Appends an entry (the oldest drops out when full); b0, b1: the key's halves, width 5 only. */
  push(at: number, a0: number, a1: number, b0 = 0, b1 = 0): void {
    const cap = this.cap;
    if (cap === 0) return;
    let s: number;
    if (this.n < cap) s = this.n++;
    else {
      s = this.head;
      if (++this.head === cap) this.head = 0;
    }
    const d = this.buf;
    d[s] = at;
    d[cap + s] = a0;
    d[2 * cap + s] = a1;
    if (this.width === 5) {
      d[3 * cap + s] = b0;
      d[4 * cap + s] = b1;
    }
  }
}
