// Admission control for new engagements. A full shard refuses *new* engagements (503 AT_CAPACITY,
// retryable) and keeps serving the ones it holds.
//
// Why: without it a creation flood (or large sessionInformation) grows the shard's heap to its
// limit; V8 kills the thread, and the restart replays the same journal into the same heap, so the
// shard crash-loops and every engagement on it is unavailable until an operator raises the limit
// (measured before this guard: 64 MB shard heap, 510 engagements created, then 7 restarts in 14 s
// and the shard never came back). Recovery is never refused: what was acknowledged is loaded.
//
// The default share (60 %, PARLEY_SHARD_HEAP_ADMIT_PCT) leaves room for recovery, which briefly
// needs more than the steady state: waiting engagements are re-announced to their queues with their
// questions (measured: 39 MB steady, 51.5 MB live at the peak after a restart, 64 MB heap; at 70 %
// the peak came within 5 MB of the limit, and one busy test run saw a 503 right after the restart).
//
// The heap signal is the old generation in use (what the heap limit caps: every space but the
// young one) against the thread's configured old-generation limit. It includes garbage a major GC
// has not collected yet, so near the threshold a shard may refuse until that GC runs — refusing
// early is the safe side of this trade.
import v8 from 'node:v8';

export interface AdmissionLimits {
  /** engagements held in memory (live and concluded-within-grace); 0: no count cap */
  maxEngagements: number;
  /** refuse while the old generation in use exceeds this many bytes; 0: no heap check */
  heapAdmitBytes: number;
  /** refuse new posts and engagements while the journal's filesystem has less free; 0: no check (src/store/disk-space.ts) */
  minFreeBytes: number;
}

export type Refusal = { reason: 'count'; held: number; limit: number } | { reason: 'heap'; usedBytes: number; limitBytes: number };

/** Old-generation bytes in use: every heap space except the young generation's. */
export function oldGenerationUsed(): number {
  let used = 0;
  for (const s of v8.getHeapSpaceStatistics()) {
    if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') used += s.space_used_size;
  }
  return used;
}

export class Admission {
  private lastWarnMs = -Infinity;
  /** refusals since the last drain (the shard's metrics report) */
  private refusals = 0;
  /** writes refused with STORE_FULL since the last drain */
  private storeRefusals = 0;
  /** the journal's filesystem is below PARLEY_JOURNAL_MIN_FREE_MB (set by the shard's DiskSpace watch) */
  storeLow = false;

  /** true: refuse this post or new engagement with 503 STORE_FULL (counted). */
  storeFull(): boolean {
    if (this.storeLow) this.storeRefusals++;
    return this.storeLow;
  }

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly warn: (msg: string, extra: Record<string, unknown>) => void,
  ) {}

  /** null: admit a new engagement; else why not. Logs the first refusal and then at most one per 10 s. */
  check(held: number, nowMs: number): Refusal | null {
    const { maxEngagements, heapAdmitBytes } = this.limits;
    let refusal: Refusal | null = null;
    if (maxEngagements > 0 && held >= maxEngagements) refusal = { reason: 'count', held, limit: maxEngagements };
    else if (heapAdmitBytes > 0) {
      const usedBytes = oldGenerationUsed();
      if (usedBytes > heapAdmitBytes) refusal = { reason: 'heap', usedBytes, limitBytes: heapAdmitBytes };
    }
    if (refusal !== null) this.refusals++;
    if (refusal !== null && nowMs - this.lastWarnMs >= 10_000) {
      this.lastWarnMs = nowMs;
      this.warn('shard at capacity: refusing new engagements (503 AT_CAPACITY)', { ...refusal, held });
    }
    return refusal;
  }

  /** Refusals since the last call: new engagements at capacity, and writes refused for a full store. */
  drainRefusals(): { capacity: number; store: number } {
    const n = { capacity: this.refusals, store: this.storeRefusals };
    this.refusals = 0;
    this.storeRefusals = 0;
    return n;
  }
}
