// When a consumer poll repeating a correlation id gets the last batch again (workers/actor/
// poll-replay.ts), as plain data: a session's steps in, the batches its polls got out. A repeated
// id is a retry only for a client seen to send a fresh id per request — two polls in a row, no
// other call between, with different ids — and never for one seen to repeat an id after an empty
// answer it got. A front that bumps its id when its user acts must read each message once.
import { describe, expect, it } from 'vitest';
import { PollReplay } from '../workers/actor/poll-replay.ts';

const WINDOW = 5000;

/**
 * Steps: 'm' a message arrives (a parked poll gets it); 'c' the client makes another call (a post,
 * typing, a conclude); 't' the parked poll's hold ends (answered empty); 'x' the HTTP thread could
 * not write the last answer; 'w' PARLEY_POLL_REPLAY_MS passes; '-' a poll without an id; any other
 * step a poll with that id (answered at once if anything is there from where it starts, else
 * parked; a poll coming while one is parked releases it empty). Out: the message numbers of each
 * answer, in order.
 */
function run(steps: string[], windowMs = WINDOW): number[][] {
  const r = new PollReplay();
  const got: number[][] = [];
  let n = 0;
  let cursor = 0;
  let now = 1000;
  let lastId = 0;
  let ids = 0;
  let called = false;
  let parked: { id: number; key: string | undefined } | undefined;
  const answer = (p: { id: number; key: string | undefined }, from: number, released: boolean): void => {
    const before = cursor;
    cursor = Math.max(cursor, n);
    r.answered(p.id, p.key, from, released ? from : n, before, now, released);
    got.push(released ? [] : Array.from({ length: n - from }, (_, i) => from + i + 1));
    lastId = p.id;
  };
  for (const step of steps) {
    now += 10;
    if (step === 'm') {
      n++;
      if (parked) answer(parked, cursor, false);
      parked = undefined;
    } else if (step === 'c') called = true;
    else if (step === 't') {
      if (parked) answer(parked, cursor, false);
      parked = undefined;
    } else if (step === 'x') r.undelivered(lastId);
    else if (step === 'w') now += windowMs + 1;
    else {
      if (parked) answer(parked, cursor, true);
      const p = { id: ++ids, key: step === '-' ? undefined : step };
      const from = r.startFor(p.key, called, cursor, now, windowMs);
      called = false;
      parked = n > from ? undefined : p;
      if (!parked) answer(p, from, false);
    }
  }
  return got;
}

const twice = (batches: number[][]): number[] => {
  const all = batches.flat();
  return all.filter((x, i) => all.indexOf(x) !== i);
};

describe('clients that do not send a fresh id per request read each message once', () => {
  it('a front that bumps its id only when its user acts (ids 1,1,2,2,2,2)', () => {
    const got = run(['m', '1', 'm', '1', 'c', '2', 'm', 'm', '2', 'm', '2', '2', 't', '2', 't']);
    expect(got).toEqual([[1], [2], [3], [4], [5], [], []]);
  });

  it('a client whose id changes only across its own calls, even when answers are not empty', () => {
    expect(twice(run(['m', '1', 'c', 'm', '2', 'm', '2', 'c', 'm', '3', 'm', '3', 'm', '3']))).toEqual([]);
  });

  it('one constant id on every poll', () => {
    expect(twice(run(['m', '5', 'm', '5', 'm', '5', '5', 't', 'm', '5']))).toEqual([]);
  });

  it('a client that repeated an id after an empty answer it got, even after its ids changed with no call between (sticky)', () => {
    // 1 → 2 with nothing between would be a fresh id per request; 2 again after 2's empty answer is not a retry
    const got = run(['1', 't', '2', 't', '2', 'm', 'm', '3', '3', 't']);
    expect(got).toEqual([[], [], [1], [2], []]);
  });

  it('no id at all', () => {
    expect(twice(run(['m', '-', 'm', '-', '-', 't']))).toEqual([]);
  });
});

describe('a client seen to send a fresh id per request gets a retried batch again', () => {
  it('once, same numbers plus anything newer; a third try with the id does not, and its ids must change again first', () => {
    // 1 → 2 with no call between: fresh ids per request
    const got = run(['1', 't', '2', 'm', 'm', '3', '3', 'm', '3', 'm', '3', '3', 'm', '4', 'm', '4']);
    //                   the retry ↓    bound ↓  ↓ same id, no replay      ↓ a new id, then its retry
    expect(got).toEqual([[], [1], [2], [2], [3], [4], [5], [6], [6]]);
  });

  it('also when its other calls come between some polls', () => {
    expect(run(['1', 't', '2', 'm', 'c', 'm', '3', '3'])).toEqual([[], [1], [2], [2]]);
  });

  it('not once PARLEY_POLL_REPLAY_MS has passed since the answer, nor with a window of 0', () => {
    expect(run(['1', 't', '2', 't', 'm', '3', '3'])).toEqual([[], [], [1], [1]]);
    expect(run(['1', 't', '2', 't', 'm', '3', 'w', '3', 't'])).toEqual([[], [], [1], []]);
    expect(run(['1', 't', '2', 't', 'm', '3', '3', 't'], 0)).toEqual([[], [], [1], []]);
  });

  it('not when the repeated id is not the last answered poll\'s, nor after its empty answer was released by a newer poll', () => {
    expect(run(['1', 't', '2', 't', 'm', '3', '4', '3', 't'])).toEqual([[], [], [1], [], []]);
    // a poll re-sent while its first try was still parked (a connection that died unseen) releases
    // that try empty: the client never got it, so the repeat is no evidence of a constant id
    expect(run(['1', 't', '2', 't', '3', '3', 'm', '3'])).toEqual([[], [], [], [1], [1]]);
  });
});

describe('an answer the HTTP thread could not write', () => {
  it('goes to the next poll whatever its id, once, and only the last answer', () => {
    expect(run(['m', '-', 'm', '-', 'x', '9', '9', 't'], 0)).toEqual([[1], [2], [2], []]);
    expect(run(['m', '7', 'x', 'm', '-', '-', 't'], 0)).toEqual([[1], [1, 2], []]);
    const r = new PollReplay();
    r.answered(1, undefined, 0, 4, 0, 1000, false);
    r.answered(2, undefined, 4, 6, 4, 1001, false);
    r.undelivered(1); // an older answer: the client had it or it is history
    expect(r.startFor(undefined, false, 6, 1002, 0)).toBe(6);
  });

  it('an empty answer it could not write is no evidence of a constant id', () => {
    // without the drop, 2 after 2's empty answer would mark the client constant: no replay to 3's retry
    expect(run(['1', 't', '2', 't', 'x', '2', 't', 'm', '3', '3'])).toEqual([[], [], [], [1], [1]]);
  });
});
