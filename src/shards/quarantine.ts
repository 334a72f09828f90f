// Requests that took a shard thread down ("queries of death"). The supervisor restarts a crashed
// shard from its journal and answers what was in flight 503 SHARD_UNAVAILABLE, retryable; a chat
// front retries with the same messageId. If the request itself is what kills the thread (a bug met
// by one input), every retry kills it again: each time the shard's other engagements get 503s and
// wait out a restart, and the crash back-off grows to 30 s. So the request a thread was handling
// when it died is answered 500 REQUEST_QUARANTINED, and the same request (same operation and
// fields, whatever its messageId) is refused on the HTTP thread for QUARANTINE_MS without reaching
// the shard. The other in-flight requests are innocent and stay retryable.
//
// Which request: the shard stores the id of the request it is handling in a shared Int32Array
// (workers/shard.ts; one Atomics.store per request) and clears it between requests, so a crash
// elsewhere (a timer, a journal commit) blames nobody.
//
// Cost: nothing on the request path while the quarantine is empty; while it holds entries, a
// request whose operation and engagement match one is fingerprinted (JSON + SHA-256, a few µs).
import crypto from 'node:crypto';
import type { RequestIn } from '../protocol/shard.ts';

export const QUARANTINE_MS = 10 * 60_000;
const MAX_ENTRIES = 1_000;

// fields that differ between retries of one request: its echo of client fields, the agent's
// sequence number, the socket id, the messageId a front may renew on a retry
const VOLATILE = new Set(['echo', 'seq', 'wsId', 'messageId']);

/** The cheap first key: the operation and its engagement (or '' for session-level operations). */
function coarse(m: RequestIn): string {
  const op = m.op;
  return `${op.op}:${'engagementId' in op ? op.engagementId : ''}`;
}

function fingerprint(m: RequestIn): string {
  const json = JSON.stringify(m.op, (k, v: unknown) => (VOLATILE.has(k) ? undefined : v));
  return crypto.createHash('sha256').update(json).digest('base64');
}

export class Quarantine {
  /** coarse key → fingerprint → expires at (ms) */
  private readonly entries = new Map<string, Map<string, number>>();
  private count = 0;
  /** requests refused because they matched an entry (operator metric) */
  refusals = 0;

  get size(): number {
    return this.count;
  }

  add(m: RequestIn, now = Date.now()): void {
    this.expire(now);
    if (this.count >= MAX_ENTRIES) this.dropOldest();
    const key = coarse(m);
    const f = fingerprint(m);
    const set = this.entries.get(key) ?? new Map<string, number>();
    if (!set.has(f)) this.count++;
    set.set(f, now + QUARANTINE_MS);
    this.entries.set(key, set);
  }

  /** Whether `m` is a quarantined request (counted as a refusal when it is). */
  refuses(m: RequestIn, now = Date.now()): boolean {
    const set = this.entries.get(coarse(m));
    if (!set) return false;
    const f = fingerprint(m);
    const until = set.get(f);
    if (until === undefined) return false;
    if (until <= now) {
      this.remove(coarse(m), set, f);
      return false;
    }
    this.refusals++;
    return true;
  }

  private expire(now: number): void {
    for (const [key, set] of this.entries) for (const [f, until] of set) if (until <= now) this.remove(key, set, f);
  }

  private dropOldest(): void {
    let oldest: [string, Map<string, number>, string, number] | undefined;
    for (const [key, set] of this.entries) for (const [f, until] of set) if (!oldest || until < oldest[3]) oldest = [key, set, f, until];
    if (oldest) this.remove(oldest[0], oldest[1], oldest[2]);
  }

  private remove(key: string, set: Map<string, number>, f: string): void {
    if (set.delete(f)) this.count--;
    if (set.size === 0) this.entries.delete(key);
  }
}
