// The shard port sends what one event-loop turn produced as one message, but never more than
// maxBatch messages in one: a burst of posts is handed over in pieces, so the shard starts on the
// first while the HTTP thread still parses the rest (src/shards/transport.ts). Real MessagePorts.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchPort, type PortWire } from '../src/shards/transport.ts';
import { optionsFromEnv, resolveServerConfig } from '../src/config/server.ts';

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});

/** BatchPorts on both ends of a real channel; the receiving one records every batch it gets. */
function channel(wire: PortWire): { port: BatchPort<number>; got: unknown[][]; settle: () => Promise<void> } {
  const { port1, port2 } = new MessageChannel();
  const got: unknown[][] = [];
  const port = new BatchPort<number>(port1, () => {}, wire);
  opened.push(port, new BatchPort<number>(port2, (b) => got.push(b as unknown[]), wire));
  // two macrotask hops: the end-of-turn flush (setImmediate), then the delivery on the other end
  const settle = () => new Promise<void>((r) => setTimeout(() => setTimeout(r, 5), 5));
  return { port, got, settle };
}

describe('shard port batching', () => {
  it('hands a burst over in pieces of at most maxBatch, in order', async () => {
    for (const codec of ['clone', 'msgpackr'] as const) {
      const { port, got, settle } = channel({ codec, maxBatch: 16 });
      for (let i = 0; i < 40; i++) port.send(i);
      await settle();
      expect(got.map((b) => b.length), codec).toEqual([16, 16, 8]);
      expect(got.flat(), codec).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });

  it('sends what stays under the cap as one message at the end of the turn', async () => {
    const { port, got, settle } = channel({ codec: 'clone', maxBatch: 16 });
    for (let i = 0; i < 5; i++) port.send(i);
    expect(got).toEqual([]);
    await settle();
    expect(got).toEqual([[0, 1, 2, 3, 4]]);
    port.send(5);
    await settle();
    expect(got).toEqual([[0, 1, 2, 3, 4], [5]]);
  });

  it('an exact multiple of the cap sends no empty message at the end of the turn', async () => {
    const { port, got, settle } = channel({ codec: 'clone', maxBatch: 3 });
    for (let i = 0; i < 6; i++) port.send(i);
    await settle();
    expect(got).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('PARLEY_SHARD_BATCH_MAX sets the cap; 0 is refused with the expected shape', () => {
    expect(resolveServerConfig({}).shardBatchMax).toBe(16);
    const ok = optionsFromEnv({ PARLEY_SHARD_BATCH_MAX: '64' });
    expect(resolveServerConfig(ok.options, ok.problems).shardBatchMax).toBe(64);
    const bad = optionsFromEnv({ PARLEY_SHARD_BATCH_MAX: '0' });
    expect(() => resolveServerConfig(bad.options, bad.problems)).toThrow(/PARLEY_SHARD_BATCH_MAX: expected an integer in \[1, 1000000\]/);
  });
});
