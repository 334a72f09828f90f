// The last answered long poll of one session, kept so its batch is not lost when its answer was.
// Oracle's API has no acknowledgement, so a poll answer that never reached its client would lose
// its messages: the next poll starts after them. Two cases are recovered (spec §5):
//
// - known lost: the HTTP thread could not write the answer (the client's connection closed while
//   it was on its way) and says so (`cancel` of an already answered poll). The next poll, whatever
//   its id, starts at that batch. No duplicate is possible: the batch was never written.
// - retried: an answer written to a connection that then died (a phone changing networks) is lost
//   in transit, unseen by the server. A client that pairs requests and answers sends a fresh
//   correlation id per request (`clientTransactionId`; an agent's `sequenceNumber`) and repeats it
//   only to retry, so a poll repeating the last answered poll's id within `windowMs` of that answer
//   starts at that answer's batch again (same sequence numbers, plus anything newer).
//
// Which clients send a fresh id per poll is learnt, not assumed: retries are replayed only once a
// session has changed its id from one poll to the next. A client that sends one constant id on
// every poll is never replayed to (it would read every batch twice). A client that stops changing
// its id is caught by the bound on replays in a row (MAX_RETRIES): past it, the session counts as
// not changing ids until it changes one again. The first poll of a session is not covered (no id
// change seen yet). Memory only: a shard restart forgets it, and the next poll starts at the
// journaled cursor.
const MAX_RETRIES = 2;

/** Why a poll's answer started before the cursor (parley_poll_replays_total{reason}). */
export type ReplayReason = 'undelivered' | 'retry';

export class PollReplay {
  /** request id of the last answered poll */
  private id = 0;
  private key: string | undefined;
  private from = 0;
  private to = 0;
  private at = 0;
  /** the last answer is known not to have reached its client */
  private lost = false;
  /** the session has changed its id between polls (it sends one per request) */
  private changes = false;
  /** answers in a row that started before the cursor for the same id */
  private streak = 0;
  /** why the last startFor that returned less than the cursor did */
  reason: ReplayReason = 'retry';

  /**
   * Where this poll's answer starts: the cursor, or the start of the last answered batch when that
   * answer is known lost or this poll is a retry of it. `key`: the poll's correlation id, if any.
   */
  startFor(key: string | undefined, cursor: number, now: number, windowMs: number): number {
    // the last answer held messages and nothing (another poll) moved the cursor since
    const last = this.to > this.from && this.to === cursor;
    if (this.lost) {
      this.lost = false;
      this.reason = 'undelivered';
      return last ? this.from : cursor;
    }
    if (windowMs <= 0 || key === undefined || key !== this.key || !this.changes) return cursor;
    if (this.streak >= MAX_RETRIES) {
      this.changes = false; // the same id again and again: not a retry any more
      return cursor;
    }
    this.reason = 'retry';
    return last && now - this.at <= windowMs ? this.from : cursor;
  }

  /** After answering poll `id`, which started at `from`: `to` is the cursor after it (`to` = `from`: empty). */
  answered(id: number, key: string | undefined, from: number, to: number, cursorBefore: number, now: number): void {
    if (key !== undefined && this.key !== undefined && key !== this.key) this.changes = true;
    this.streak = from < cursorBefore && key === this.key ? this.streak + 1 : 0;
    this.lost = false;
    this.id = id;
    this.key = key;
    this.from = from;
    this.to = to;
    this.at = now;
  }

  /** The HTTP thread dropped the answer to poll `id` (its client had gone): the next poll gets it. */
  undelivered(id: number): void {
    if (id === this.id && this.to > this.from) this.lost = true;
  }
}

/** What both long-poll sides keep per session: an engagement (its consumer), an agent session. */
export interface PollSession {
  /** the last sequence number handed to a long poll (journaled by the owner) */
  readonly cursor: number;
  poll: { readonly id: number; readonly timer: NodeJS.Timeout } | undefined;
  replay: PollReplay | undefined;
  /** for the idle expiry (abandoned.ts, routing/expiry.ts): a parked poll is contact until it ends */
  lastContactAt: number;
}

/**
 * Ends the parked poll (answered, timed out, replaced or cancelled) and stamps the contact it was:
 * the idle sweeps see a parked poll only at their ticks, so without the stamp a session could expire
 * up to one sweep interval before its idle limit, counted from that poll's end.
 */
export function unpark(s: PollSession): void {
  if (!s.poll) return;
  clearTimeout(s.poll.timer);
  s.poll = undefined;
  s.lastContactAt = Date.now();
}

/** Where a poll with correlation id `key` starts reading: the cursor, or a batch again (counted). */
export function pollStart(s: PollSession, key: string | undefined, windowMs: number, replayed: (reason: ReplayReason) => void): number {
  if (!s.replay) return s.cursor;
  const from = s.replay.startFor(key, s.cursor, Date.now(), windowMs);
  if (from < s.cursor) replayed(s.replay.reason);
  return from;
}

/**
 * After answering poll `id` (correlation id `key`) from `from`, the cursor having been `before`. A
 * session gets its replay memory at its first answer that held messages or answered an id.
 */
export function rememberAnswer(s: PollSession, id: number, key: string | undefined, from: number, before: number): void {
  if (key === undefined && s.cursor === from && !s.replay) return;
  (s.replay ??= new PollReplay()).answered(id, key, from, s.cursor, before, Date.now());
}

/**
 * The HTTP thread cancels a poll whose client went away: parked, it is dropped; already answered,
 * its answer was dropped unwritten (the next poll gets that batch).
 */
export function cancelPoll(s: PollSession, id: number): void {
  if (s.poll?.id === id) unpark(s);
  else s.replay?.undelivered(id);
}
