// The journal: every state change of an engagement is appended here before the request that
// caused it is answered. Appends are group-committed: the shard appends all events of one
// mailbox batch, then awaits one `barrier()` and only then releases that batch's replies.
export interface JournalRecord {
  engagementId: number;
  n: number;
  event: unknown;
}

export interface Journal {
  /**
   * A commit has failed since this journal was opened (sticky). Set by the time barrier() returns
   * for a commit it made itself ('commit' mode), so the caller can stop before acting on more state.
   */
  readonly failed: boolean;
  /** Queue an event for the current write batch. Never throws for I/O; failures surface in barrier(). */
  append(engagementId: number, n: number, event: unknown): void;
  /** Resolves when every append made before this call is durable. */
  barrier(): Promise<void>;
  /**
   * Every record of the engagements on the vshards `owns` accepts, each engagement's in n order
   * (records of different engagements interleave, in the order they were written).
   */
  scan(owns: (vshard: number) => boolean): Iterable<JournalRecord>;
  /** The records of one engagement, in order, including this thread's appends not yet committed. */
  read(engagementId: number): unknown[];
  /** Drops an engagement's records (retention). */
  remove(engagementId: number): void;
  /** The engagement left memory and takes no more events: its read index may be stored compactly. */
  retire(engagementId: number): void;
  /** Small keyed state that is not an engagement event (tenant routing state, counters). */
  putMeta(key: string, value: unknown): void;
  getMeta(key: string): unknown;
  removeMeta(key: string): void;
  metaRange(prefix: string): Iterable<{ key: string; value: unknown }>;
  close(): Promise<void>;
}

/**
 * For `--no-journal` benchmarks only: nothing durable, acknowledges at once. Events stay in memory
 * for read() (transcripts and agent join history are folded from it), so the process keeps what
 * it would have read back from the journal.
 */
export class NullJournal implements Journal {
  readonly failed = false;
  private readonly meta = new Map<string, unknown>();
  private readonly events = new Map<number, unknown[]>();
  append(engagementId: number, _n: number, event: unknown): void {
    const list = this.events.get(engagementId);
    if (list) list.push(event);
    else this.events.set(engagementId, [event]);
  }
  barrier(): Promise<void> {
    return Promise.resolve();
  }
  *scan(): Iterable<JournalRecord> {}
  read(engagementId: number): unknown[] {
    return [...(this.events.get(engagementId) ?? [])];
  }
  retire(): void {
    // everything is in memory here anyway
  }
  remove(engagementId: number): void {
    this.events.delete(engagementId);
  }
  putMeta(key: string, value: unknown): void {
    this.meta.set(key, value);
  }
  getMeta(key: string): unknown {
    return this.meta.get(key);
  }
  removeMeta(key: string): void {
    this.meta.delete(key);
  }
  *metaRange(prefix: string): Iterable<{ key: string; value: unknown }> {
    for (const [key, value] of this.meta) if (key.startsWith(prefix)) yield { key, value };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
