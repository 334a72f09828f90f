// The hot messages cross the shard port as flat arrays (protocol/wire.ts): they must come back as
// the same messages through either codec, malformed arrays must be refused, and a server on the
// msgpackr codec must work end to end.
import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { inToWire, outToWire } from '../src/protocol/wire.ts';
import { asShardInBatch, asShardOutBatch, type ShardIn, type ShardOut } from '../src/protocol/shard.ts';
import { startTestServer } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';

const post = (over: Record<string, unknown>, echo: Record<string, unknown>): ShardIn => ({
  k: 'req', id: 7, op: { op: 'postMessage', site: 'demo', engagementId: 4097, secret: 's3cret', body: 'hello', richText: false, offTheRecord: false, ...over, echo: { t0: 1764000000000, ...echo } },
} as ShardIn);

const cases: ShardIn[] = [
  post({}, { clientTransactionId: undefined, clientRequestTime: undefined }),
  post({ messageId: 'm-1', richText: true }, { clientTransactionId: '9007199254740993', clientRequestTime: '2026-11-25T20:00:00.000Z' }),
  post({ offTheRecord: true }, { clientTransactionId: '17', clientRequestTime: null }),
  post({ richText: true, offTheRecord: true }, { clientTransactionId: undefined, clientRequestTime: 1764000000123 }),
  { k: 'req', id: 8, op: { op: 'getMessages', site: 'demo', engagementId: 1, secret: 'x', echo: { t0: 1 } } },
  { k: 'cancel', id: 9, engagementId: 1 },
];
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const codecs: Record<string, (v: unknown) => unknown> = { clone: (v) => structuredClone(v), msgpackr: (v) => packr.unpack(packr.pack(v)) };
// what the receiver sees: absent and undefined fields mean the same
const norm = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('shard wire forms', () => {
  for (const [name, codec] of Object.entries(codecs)) {
    it(`a postMessage request and a reply come back as the same messages (${name})`, () => {
      const back = asShardInBatch(codec(cases.map(inToWire)));
      expect(back.map(norm)).toEqual(cases.map(norm));
      expect(Array.isArray(inToWire(cases[0]!))).toBe(true);
      const outs: ShardOut[] = [{ k: 'reply', id: 3, status: 200, json: '{"a":"é\\u2028"}' }, { k: 'wsEnd', wsId: 4 }];
      expect(asShardOutBatch(codec(outs.map(outToWire)))).toEqual(outs);
    });
  }

  it('refuses malformed wire arrays instead of guessing', () => {
    const good = inToWire(cases[1]!) as unknown[];
    expect(() => asShardInBatch([good.slice(0, 10)])).toThrow(TypeError);
    expect(() => asShardInBatch([[...good.slice(0, 5), 42, ...good.slice(6)]])).toThrow(TypeError);
    expect(() => asShardInBatch([[9, ...good.slice(1)]])).toThrow(TypeError);
    expect(() => asShardOutBatch([[1, 3, '200', '{}']])).toThrow(TypeError);
  });

  it('a server on the msgpackr codec answers posts and keeps them', async () => {
    const s = await startTestServer({ shardCodec: 'msgpackr' });
    try {
      const c = await newConsumer(s.url);
      const r = await c.post('first note over msgpackr', { messageId: 'mp-1', clientTransactionId: 12 });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ messageId: 'mp-1', clientTransactionId: 12, clientTransactionIdString: '12' });
      expect((await c.post('second note, different words')).status).toBe(200);
      const t = await transcript(s.url, c.engagementId);
      expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(['first note over msgpackr', 'second note, different words']);
    } finally {
      await s.stop();
    }
  });
});
