// The quarantine of requests that took a shard down, as plain data: what counts as the same
// request, how long it is refused, and that it stays bounded.
import { describe, expect, it } from 'vitest';
import { QUARANTINE_MS, Quarantine } from '../src/shards/quarantine.ts';
import type { ShardIn } from '../src/protocol/shard.ts';

type Req = Extract<ShardIn, { k: 'req' }>;
// the echo (with the time the request arrived) differs on every retry, as the request id does
const post = (id: number, body: string, messageId: string, engagementId = 7): Req => ({
  k: 'req',
  id,
  op: { op: 'postMessage', site: 'demo', engagementId, secret: 's', body, richText: false, offTheRecord: false, messageId, echo: { t0: id } },
});

const refuses = (q: Quarantine, m: Req, now: number): boolean => q.refuses(m, now);

describe('request quarantine', () => {
  it('refuses the same operation and fields whatever the request id and messageId, and nothing else', () => {
    const q = new Quarantine();
    q.add(post(1, 'boom', 'a'), 0);
    expect(refuses(q, post(2, 'boom', 'a'), 1)).toBe(true);
    expect(refuses(q, post(3, 'boom', 'b'), 1)).toBe(true);
    expect(refuses(q, post(4, 'boom ', 'a'), 1)).toBe(false);
    expect(refuses(q, post(5, 'boom', 'a', 8), 1)).toBe(false);
    expect(q.refusals).toBe(2);
  });

  it('lets the request through again after QUARANTINE_MS', () => {
    const q = new Quarantine();
    q.add(post(1, 'boom', 'a'), 1000);
    expect(refuses(q, post(2, 'boom', 'a'), 1000 + QUARANTINE_MS - 1)).toBe(true);
    expect(refuses(q, post(3, 'boom', 'a'), 1000 + QUARANTINE_MS)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('holds at most 1,000 requests, dropping the one that expires first', () => {
    const q = new Quarantine();
    for (let i = 0; i < 1001; i++) q.add(post(i, `boom ${i}`, 'a', i), i);
    expect(q.size).toBe(1000);
    expect(refuses(q, post(0, 'boom 0', 'a', 0), 2000)).toBe(false);
    expect(refuses(q, post(1, 'boom 1', 'a', 1), 2000)).toBe(true);
    expect(refuses(q, post(1000, 'boom 1000', 'a', 1000), 2000)).toBe(true);
  });
});
