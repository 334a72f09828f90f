// The consumer's long poll (spec §5): answered at once when messages are queued, else parked until
// one arrives or the hold ends; one retrieval loop per session (a second poll releases the first,
// empty); a retry of the last answered poll gets that batch again (poll-replay.ts). Answers are
// staged (they leave after the batch's journal barrier, at once when they moved the journaled
// cursor); only an expiring empty hold, which changes no state, is sent directly.
//
// Lifetimes: a parked poll lives in its engagement until answered, released or cancelled (its
// client went away: cancelPoll in poll-replay.ts), and dies with the thread — its client re-polls.
import type { Echo, ShardOut } from '../../src/protocol/shard.ts';
import { envelopeJson } from './consumer-messages.ts';
import type { Engagement, OutMsg } from './engagement.ts';
import type { EngEvent } from './events.ts';
import { pollStart, rememberAnswer, unpark, type ReplayReason } from './poll-replay.ts';

export interface PollIo {
  /** staged: leaves after the batch's journal barrier */
  reply(id: number, status: number, json: string): void;
  sendNow(o: ShardOut): void;
  record(eng: Engagement, ev: EngEvent): void;
  /** a poll answer moved the journaled cursor: the batch's outputs leave at once */
  cursorMoved(): void;
  readonly longPollMs: number;
  /** a retry (poll-replay.ts) repeating the last answered poll's clientTransactionId within this long gets its batch again; 0: never */
  readonly pollReplayMs: number;
  /** an answer started before the cursor (counted for the metrics) */
  readonly replayed: (reason: ReplayReason) => void;
}

const MAX_BATCH = 100;

export function getMessages(io: PollIo, eng: Engagement, id: number, echo: Echo): void {
  if (eng.poll) {
    // one retrieval loop per session: the older poll is answered at once, empty (spec §5)
    const old = eng.poll;
    unpark(eng);
    answerEmpty(io, eng, old.id, old.echo, false);
  }
  // session() counted this poll too: more than it is another call since the previous poll
  const called = eng.calls > 1;
  eng.calls = 0;
  const from = pollStart(eng, echo.clientTransactionId, called, io.pollReplayMs, io.replayed);
  if (eng.outbox.length > from) return answer(io, eng, id, echo, from);
  eng.poll = {
    id,
    echo,
    timer: setTimeout(() => {
      if (eng.poll?.id !== id) return;
      unpark(eng);
      answerEmpty(io, eng, id, echo, true);
    }, io.longPollMs),
  };
}

/** After events appended messages: the parked poll, if any, gets them. */
export function feedPoll(io: PollIo, eng: Engagement): void {
  const p = eng.poll;
  if (!p || eng.outbox.length <= eng.cursor) return;
  unpark(eng);
  answer(io, eng, p.id, p.echo, eng.cursor);
}

/** A graceful stop: the parked poll answered now, empty, as its hold ending would (the client re-polls elsewhere). */
export function endPoll(io: PollIo, eng: Engagement): void {
  const p = eng.poll;
  if (!p) return;
  unpark(eng);
  answerEmpty(io, eng, p.id, p.echo, true);
}

function answer(io: PollIo, eng: Engagement, id: number, echo: Echo, from: number): void {
  const before = eng.cursor;
  const msgs = eng.after(from, MAX_BATCH);
  const last = msgs[msgs.length - 1];
  if (last && last.seq > before) {
    io.record(eng, { e: 'cursor', seq: last.seq });
    io.cursorMoved();
  }
  rememberAnswer(eng, id, echo.clientTransactionId, from, before, false);
  io.reply(id, 200, body(eng, echo, msgs));
}

/** `now`: its hold ended (sent directly), else released by a newer poll (staged). */
function answerEmpty(io: PollIo, eng: Engagement, id: number, echo: Echo, now: boolean): void {
  rememberAnswer(eng, id, echo.clientTransactionId, eng.cursor, eng.cursor, !now);
  const json = body(eng, echo, []);
  if (now) io.sendNow({ k: 'reply', id, status: 200, json });
  else io.reply(id, 200, json);
}

function body(eng: Engagement, echo: Echo, msgs: OutMsg[]): string {
  return envelopeJson(eng.consumerClientId, echo, `"systemMessages":[${msgs.map((m) => m.json).join(',')}],"errorMessages":[]`);
}
