// Delivery out of an agent session's inbox: the parked long poll, WebSocket subscribers, the
// one-retrieval-loop rule and the resend of an answer the HTTP thread could not write (spec §5,
// workers/actor/poll-replay.ts). A poll repeating its `sequenceNumber` is not taken for a retry:
// the agent's other calls go to its engagements' shards, unseen here, and a bot may count its own
// actions in it (ids 3,3,4,4…), so at-most-once, as Oracle's server is. Staged outputs leave
// after the batch's journal barrier; only an empty poll expiring (no new state) is sent directly.
import type { ShardOut } from '../../src/protocol/shard.ts';
import { int64Pair, type Int64 } from '../../src/protocol/json.ts';
import type { AgentSession, InboxEntry } from './agent-session.ts';
import { pollStart, rememberAnswer, unpark, type ReplayReason } from '../actor/poll-replay.ts';

export interface InboxIo {
  stage(o: ShardOut): void;
  sendNow(o: ShardOut): void;
  /** a poll answer moved the session's journaled cursor: its batch's outputs leave at once (workers/shard.ts) */
  cursorMoved(): void;
  readonly longPollMs: number;
  /** an answer started before the cursor (counted for the metrics) */
  readonly replayed: (reason: ReplayReason) => void;
}

const MAX_BATCH = 100;
export const TIMEOUT_BODY = '{"getResponseTypes":[{"ChatGetTimeout":{}}]}';

/** An empty answer echoes the poll's `sequenceNumber` like every other agent answer (spec §1.4). */
export const timeoutBody = (seq: Int64 | undefined): string => (seq === undefined ? TIMEOUT_BODY : `${TIMEOUT_BODY.slice(0, -1)},${int64Pair('sequenceNumber', seq)}}`);

export const frame = (list: InboxEntry[]): string => `{"getResponseTypes":[${list.map((x) => x.json).join(',')}]}`;

/** Numbers an entry into a session's inbox and hands it to its parked poll and sockets. */
export function deliver(io: InboxIo, s: AgentSession, type: string, fields: Record<string, unknown>, at: number): void {
  const e = s.append(type, fields, at);
  if (s.poll) {
    const p = s.poll;
    unpark(s);
    answerPoll(io, s, p.id, p.seq);
  }
  let sent = false;
  for (const [wsId, last] of s.ws) {
    if (e.seq <= last) continue;
    s.ws.set(wsId, e.seq);
    io.stage({ k: 'agentPush', wsId, lastSeq: e.seq, json: frame(s.after(last)) });
    sent = true;
  }
  if (sent) s.sentUpTo(e.seq);
}

/**
 * A new socket gets the entries after `after`, then every new one. The session keeps at most `cap`
 * sockets; the oldest beyond it close as replaced (4009) after the subscribe's reply.
 */
export function subscribe(io: InboxIo, s: AgentSession, wsId: number, after: number, cap: number): void {
  for (const old of s.addSocket(wsId, cap)) io.stage({ k: 'agentWsEnd', wsId: old, replaced: true });
  const list = s.after(after);
  const last = list[list.length - 1];
  if (!last) return;
  io.stage({ k: 'agentPush', wsId, lastSeq: last.seq, json: frame(list) });
  s.sentUpTo(last.seq);
}

/**
 * The refusal of a socket resuming from before the oldest kept entry (410 RESUME_TOO_OLD): served
 * from what is left, the client would miss the entries in between without knowing it.
 */
export function beforeKept(after: number, oldest: number): string {
  return `after: ${after} is older than what this agent session keeps (entries ${after + 1} to ${oldest - 1} were pruned once delivered); resume with after=${oldest - 1}, or open the socket without after= for what is kept`;
}

/** Answers a poll with everything after `from` (the cursor, or a retried batch's start; at most MAX_BATCH) and moves the cursor. */
export function answerPoll(io: InboxIo, s: AgentSession, id: number, seq: Int64 | undefined, from = s.cursor): void {
  const before = s.cursor;
  s.polled(Date.now());
  const list = s.after(from, MAX_BATCH);
  const last = list[list.length - 1];
  if (last && last.seq > before) {
    s.advanceCursor(last.seq);
    io.cursorMoved();
  }
  rememberAnswer(s, id, undefined, from, before, false);
  if (!last) return io.stage({ k: 'reply', id, status: 200, json: timeoutBody(seq) });
  const echo = seq !== undefined ? `,${int64Pair('sequenceNumber', seq)}` : '';
  io.stage({ k: 'reply', id, status: 200, json: `${frame(list).slice(0, -1)}${echo}}` });
}

/** Answers poll `id` empty (ChatGetTimeout): staged, or `now` when it changes no state. */
function answerTimeout(io: InboxIo, s: AgentSession, id: number, seq: Int64 | undefined, now: boolean): void {
  rememberAnswer(s, id, undefined, s.cursor, s.cursor, !now);
  const o: ShardOut = { k: 'reply', id, status: 200, json: timeoutBody(seq) };
  if (now) io.sendNow(o);
  else io.stage(o);
}

/** Ends a parked poll now, as its hold ending would (a graceful stop). */
export function endPoll(io: InboxIo, s: AgentSession): void {
  const p = s.poll;
  if (!p) return;
  unpark(s);
  answerTimeout(io, s, p.id, p.seq, true);
}

/** getMessages: answer now if anything is pending, else park until an entry arrives or the hold time ends. */
export function getMessages(io: InboxIo, s: AgentSession, id: number, seq: Int64 | undefined): void {
  if (s.poll) {
    // one retrieval loop per session: the older poll is answered at once with a ChatGetTimeout
    const old = s.poll;
    unpark(s);
    answerTimeout(io, s, old.id, old.seq, false);
  }
  const from = pollStart(s, undefined, false, 0, io.replayed); // a known-lost answer only
  if (s.nextSeq - 1 > from) return answerPoll(io, s, id, seq, from);
  s.poll = {
    id,
    seq,
    timer: setTimeout(() => {
      if (s.poll?.id !== id) return;
      unpark(s);
      answerTimeout(io, s, id, seq, true);
    }, io.longPollMs),
  };
}
