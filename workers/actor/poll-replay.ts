// The last answered long poll of one session, kept so its batch is not lost when its answer was.
// Oracle's API has no acknowledgement, so a poll answer that never reached its client would lose
// its messages: the next poll starts after them. Two cases are recovered (spec §5):
//
// - known lost: the HTTP thread could not write the answer (the client's connection closed while
//   it was on its way) and says so (`cancel` of an already answered poll). The next poll, whatever
//   its id, starts at that batch. No duplicate is possible: the batch was never written. Both APIs.
// - retried (consumer only): an answer written to a connection that then died (a phone changing
//   networks) is lost in transit, unseen by the server. A client that sends a fresh
//   `clientTransactionId` per request repeats one only to retry, so its poll repeating the last
//   answered poll's id within `windowMs` (PARLEY_POLL_REPLAY_MS) of that answer starts at that
//   answer's batch again (same sequence numbers, plus anything newer), at most MAX_RETRIES times
//   in a row.
//
// The spec lets a client pick any id (§1.4), and Oracle's own server is at-most-once, so a
// duplicate breaks clients that never saw one: a front that bumps its id when its user acts (ids
// 1,1,2,2,2) repeats ids without retrying. So a session is replayed to only on evidence read from
// two consecutive polls with no other call of the session between them (a call may be what made
// the client change its id; Engagement.calls, counted in ShardState.session()):
// - fresh ids: their ids differ — the client changes its id per request, not per action;
// - constant ids (sticky, whatever came between): a poll repeats the id of a poll whose empty
//   answer (a hold ending) the client got — no retry, as there was nothing to lose.
// Replay needs the first and not the second. A replay past the bound clears the first (it must be
// seen again). An empty answer made because a newer poll came (released) is no evidence: its
// client had not seen it. Agents get no retry replay: an agent's calls go to its engagements'
// shards, not to the one holding its polls, so "no call between" is not known there, and a bot's
// sequenceNumber that counts its actions would read as retries. Memory only: a shard restart
// forgets it, and the next poll starts at the journaled cursor.
const MAX_RETRIES = 1;

/** Why a poll's answer started before the cursor (parley_poll_replays_total{reason}). */
export type ReplayReason = 'undelivered' | 'retry';

export class PollReplay {
  // the last answered poll: its request id, correlation id, batch [from, to) and when
  private id = 0;
  private key: string | undefined;
  private from = 0;
  private to = 0;
  private at = 0;
  /** the last answer is known not to have reached its client */
  private lost = false;
  /** answers in a row that started before the cursor for the same id */
  private streak = 0;
  // evidence, from consecutive polls
  /** correlation id of the last poll to arrive (answered or not) */
  private prevKey: string | undefined;
  /** that poll was answered empty by its hold ending, and the answer was not known lost */
  private emptySeen = false;
  /** two consecutive polls with no call between had different ids */
  private fresh = false;
  /** a poll repeated the id of one whose empty answer its client got (never cleared) */
  private constant = false;
  /** why the last startFor that returned less than the cursor did */
  reason: ReplayReason = 'retry';

  /**
   * A poll arrives: where its answer starts — the cursor, or the start of the last answered batch
   * when that answer is known lost or this poll is a retry of it. `key`: its correlation id, if
   * any; `called`: the session made another call since the previous poll arrived.
   */
  startFor(key: string | undefined, called: boolean, cursor: number, now: number, windowMs: number): number {
    if (key !== undefined && this.prevKey !== undefined) {
      if (key !== this.prevKey) this.fresh ||= !called;
      else if (this.emptySeen) this.constant = true;
    }
    this.prevKey = key;
    this.emptySeen = false;
    // the last answer held messages and nothing (another poll) moved the cursor since
    const last = this.to > this.from && this.to === cursor;
    if (this.lost) {
      this.lost = false;
      this.reason = 'undelivered';
      return last ? this.from : cursor;
    }
    if (windowMs <= 0 || key === undefined || key !== this.key || !this.fresh || this.constant) return cursor;
    if (this.streak >= MAX_RETRIES) {
      this.fresh = false; // the same id again and again: not a retry any more
      return cursor;
    }
    this.reason = 'retry';
    return last && now - this.at <= windowMs ? this.from : cursor;
  }

  /**
   * After answering poll `id` (always the last to arrive), which started at `from`: `to` is the
   * cursor after it (`to` = `from`: empty). `released`: answered empty because a newer poll came.
   */
  answered(id: number, key: string | undefined, from: number, to: number, cursorBefore: number, now: number, released: boolean): void {
    this.streak = from < cursorBefore && key === this.key ? this.streak + 1 : 0;
    this.lost = false;
    this.id = id;
    this.key = key;
    this.from = from;
    this.to = to;
    this.at = now;
    this.prevKey = key; // the last poll to arrive: the memory may be made at its answer, not having seen it arrive
    this.emptySeen = to === from && !released;
  }

  /** The HTTP thread dropped the answer to poll `id` (its client had gone): the next poll gets it. */
  undelivered(id: number): void {
    if (id !== this.id) return;
    if (this.to > this.from) this.lost = true;
    this.emptySeen = false;
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

/**
 * Where a poll starts reading: the cursor, or a batch again (counted). `key`, `called`: its
 * correlation id and whether the session made another call since its previous poll (see
 * PollReplay.startFor); agents pass no key (no retry replay for them, only a known-lost answer).
 */
export function pollStart(s: PollSession, key: string | undefined, called: boolean, windowMs: number, replayed: (reason: ReplayReason) => void): number {
  if (!s.replay) return s.cursor;
  const from = s.replay.startFor(key, called, s.cursor, Date.now(), windowMs);
  if (from < s.cursor) replayed(s.replay.reason);
  return from;
}

/**
 * After answering poll `id` (correlation id `key`) from `from`, the cursor having been `before`;
 * `released`: empty because a newer poll came. A session gets its replay memory at its first
 * answer that held messages or answered an id.
 */
export function rememberAnswer(s: PollSession, id: number, key: string | undefined, from: number, before: number, released: boolean): void {
  if (key === undefined && s.cursor === from && !s.replay) return;
  (s.replay ??= new PollReplay()).answered(id, key, from, s.cursor, before, Date.now(), released);
}

/**
 * The HTTP thread cancels a poll whose client went away: parked, it is dropped; already answered,
 * its answer was dropped unwritten (the next poll gets that batch).
 */
export function cancelPoll(s: PollSession, id: number): void {
  if (s.poll?.id === id) unpark(s);
  else s.replay?.undelivered(id);
}
