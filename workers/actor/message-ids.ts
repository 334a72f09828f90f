// The messageIds each participant of an engagement has used (spec §3.4, §7.6: "client-chosen
// unique id for the message"), so that a client's retry of an acknowledged message is answered
// again and not stored twice, however late it comes — and so that the same id from *another*
// participant (both sides numbering their messages from 1) is a new message, not a retry.
//
// Kept as 64-bit fingerprints in one open-addressing table per sender, not as the strings: a
// Set<string> per engagement held every id for the engagement's life (each one promoted to the old
// generation, each lookup a bucket and a key string somewhere in the heap). Measured in-process
// (2,000 engagements, fresh ~30-character ids): check + record 0.53–0.63 µs per post with the Set,
// 0.27–0.34 with the fingerprints; retained memory per 36-character id 83–104 bytes → 24–55; in
// the shard's profile the Set and the garbage collection it caused were ~1.6 µs of a post's ~2.5 µs
// extra cost with an id, the fingerprints ~0.6 of it.
//
// A fingerprint is two 32-bit lanes (murmur3-style mixing over the id's UTF-16 units, different
// constants per lane, seeds drawn at random per process: the table is rebuilt from the journal's
// events on recovery, so nothing stored depends on them). Two different ids of one sender are
// taken for the same one with probability ~n / 2^63 for n ids of that sender — and a client that
// crafted such a pair could only make one of its *own* messages look like its retry, since every
// sender has a table of its own.
const SEED_HI = (Math.random() * 2 ** 32) | 0;
const SEED_LO = (Math.random() * 2 ** 32) | 0;

/** The fingerprint's two lanes, written here by fingerprint() (one call at a time: no allocation). */
let fpHi = 0;
let fpLo = 0;
/** the id fpHi / fpLo are of: a post's check and its record hash the id once */
let fpOf: string | undefined;

function fingerprint(id: string): void {
  if (id === fpOf) return;
  fpOf = id;
  let h1 = SEED_HI ^ id.length;
  let h2 = SEED_LO ^ Math.imul(id.length, 0x9e3779b1);
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ Math.imul(c, 0x85ebca77), 0xc2b2ae3d);
    h2 = (h2 << 17) | (h2 >>> 15);
  }
  fpHi = fmix(h1);
  // the low lane is never 0, so a slot of (0, 0) is free
  fpLo = fmix(h2 ^ 0x27d4eb2f) | 1;
}

/** murmur3's finalizer: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One sender's fingerprints: pairs (hi, lo) in an open-addressing table kept at most half full. */
class Table {
  private slots = new Int32Array(16); // 8 pairs
  private size = 0;

  /** Whether the fingerprint in fpHi / fpLo is here; adds it when `add`. */
  probe(add: boolean): boolean {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let p = fpHi & mask; ; p = (p + 1) & mask) {
      const lo = slots[2 * p + 1]!;
      if (lo === 0) break;
      if (lo === fpLo && slots[2 * p] === fpHi) return true;
    }
    if (add) this.insert();
    return false;
  }

  private insert(): void {
    if (2 * (this.size + 1) > this.slots.length >> 1) this.grow();
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let p = fpHi & mask;
    while (slots[2 * p + 1] !== 0) p = (p + 1) & mask;
    slots[2 * p] = fpHi;
    slots[2 * p + 1] = fpLo;
    this.size++;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let q = 0; q < old.length; q += 2) {
      const lo = old[q + 1]!;
      if (lo === 0) continue;
      let p = old[q]! & mask;
      while (slots[2 * p + 1] !== 0) p = (p + 1) & mask;
      slots[2 * p] = old[q]!;
      slots[2 * p + 1] = lo;
    }
    this.slots = slots;
  }
}

/**
 * The ids used in one engagement, by sender (a participant's clientId). The first sender (the
 * customer, nearly always) has its table inline; other senders' tables are made when they post
 * with an id. An engagement whose clients send no ids holds nothing but this object.
 */
export class MessageIds {
  private firstSender = 0;
  private first: Table | null = null;
  private others: Map<number, Table> | null = null;

  /** Whether `sender` has used `id` in this engagement. */
  has(sender: number, id: string): boolean {
    const t = this.table(sender, false);
    if (t === null) return false;
    fingerprint(id);
    return t.probe(false);
  }

  /** Records that `sender` used `id` (a message of theirs was stored). */
  add(sender: number, id: string): void {
    const t = this.table(sender, true)!;
    fingerprint(id);
    t.probe(true);
  }

  private table(sender: number, make: boolean): Table | null {
    if (this.first !== null && this.firstSender === sender) return this.first;
    if (this.first === null) {
      if (!make) return null;
      this.firstSender = sender;
      return (this.first = new Table());
    }
    let t = this.others?.get(sender) ?? null;
    if (t === null && make) (this.others ??= new Map()).set(sender, (t = new Table()));
    return t;
  }
}
