// The last answered long poll of one session, kept so a *retry* of that poll gets its batch again
// (spec §5). Oracle's API has no acknowledgement: an answer written to a connection that then died
// (a phone changing networks) is lost with its messages, and the client's next poll would start
// after them. A client that pairs requests and answers sends a fresh correlation id per request
// (`clientTransactionId`; an agent's `sequenceNumber`) and repeats it only when it retries; so a
// poll repeating the last answered poll's id within `windowMs` of that answer is answered from
// where that answer started (the old batch again, same sequence numbers, plus anything newer).
//
// A client that sends one constant id on every poll would read each batch twice. One guard bounds
// that to a single repeated batch per session: the id repeated again right after a replay marks
// the session as reusing its id, which turns replays off for it (a true retry of a lost replay is
// then answered from the cursor: at-most-once, as without replays). An id repeated after an empty
// answer replays nothing and marks nothing — that is what a retry after a lost empty hold looks
// like. Memory only: a shard restart forgets it, and the next poll starts at the journaled cursor.
export class PollReplay {
  private key: string | undefined;
  private from = 0;
  private to = 0;
  private at = 0;
  /** the last answer was a replay */
  private replayed = false;
  /** the client has shown it reuses one id across polls: no replays for this session */
  private reuses = false;

  /**
   * Where this poll's answer starts: the cursor, or the start of the last answered batch when this
   * poll is a retry of it. `key` is the poll's correlation id (undefined: none sent).
   */
  startFor(key: string | undefined, cursor: number, now: number, windowMs: number): number {
    if (windowMs <= 0 || key === undefined || this.reuses || key !== this.key) return cursor;
    if (this.replayed) {
      this.reuses = true;
      return cursor;
    }
    // a retry of the last batch: it held something, nothing (another poll) moved the cursor since, and it is recent
    if (this.to === this.from || this.to !== cursor || now - this.at > windowMs) return cursor;
    return this.from;
  }

  /** After answering a poll that started at `from`: `to` is the cursor after it (`to` = `from`: empty). */
  answered(key: string | undefined, from: number, to: number, cursorBefore: number, now: number): void {
    this.key = key;
    this.replayed = from < cursorBefore;
    this.from = from;
    this.to = to;
    this.at = now;
  }
}
