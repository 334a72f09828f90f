// Micro-batching over one long-lived MessagePort: what is sent during one event-loop turn goes as a
// single message, or as several of at most `maxBatch` messages. Used on both sides of the port.
//
// Why a cap: a closed-loop load falls into a convoy. The HTTP thread parses a whole burst of posts
// in one turn, hands it over in one message, sleeps while the shard screens and journals it, and
// writes all the answers at once; the clients answer all at once, and the cycle repeats with one
// thread busy at a time. Sending every `maxBatch` posts lets the shard start on the first ones while
// the HTTP thread still parses the rest (and the HTTP thread write their answers while the shard
// works on the next): measured with 64 wrk connections on the 2-core dev VM (.prof server A/B,
// two Parley processes up together, alternating 4 s slices): cap 16 ÷ no cap 1.065× and 1.096×
// req/s (6 and 8 rounds; the machine's idle share 26 → 20 %), cap 8 ÷ cap 16 0.94×, cap 32 ÷ cap 16
// 0.95×. More messages cost more per request (each post may wake the other thread), so the cap
// trades CPU for overlap; PARLEY_SHARD_BATCH_MAX sets it.
//
// Codec (measured by `npm run bench:tier1`, transport section, on the 2-core dev machine: request/
// reply round trips through a real worker, 8 batches in flight): a Piscina task per request ~10k/s
// (91 µs CPU each); batches of 100 structured-cloned 643k/s (2.8 µs CPU per round trip), with the
// flat wire forms of protocol/wire.ts 1.39M/s (1.2 µs), with msgpackr 381k/s (4.1 µs). Structured
// clone of wire forms is the default; msgpackr stays selectable (PARLEY_SHARD_CODEC=msgpackr).
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';

export type Codec = 'clone' | 'msgpackr';

/** How batches cross a shard port (the same on both sides). */
export interface PortWire {
  readonly codec: Codec;
  /** a batch that reaches this many messages leaves at once instead of at the end of the turn */
  readonly maxBatch: number;
}

export const DEFAULT_WIRE: PortWire = Object.freeze({ codec: 'clone', maxBatch: 16 });

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export class BatchPort<Out> {
  // messages already in their wire form (see protocol/wire.ts)
  private queue: unknown[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    onBatch: (batch: unknown) => void,
    private readonly wire: PortWire = DEFAULT_WIRE,
    private readonly toWire: (m: Out) => unknown = (m) => m,
  ) {
    port.on('message', (data: unknown) => {
      onBatch(data instanceof Uint8Array ? packr.unpack(data) : data);
    });
  }

  send(m: Out): void {
    if (this.closed) return;
    this.queue.push(this.toWire(m));
    if (this.queue.length >= this.wire.maxBatch) return this.post();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    this.post();
  };

  // send() calls it early at maxBatch: the immediate already scheduled then finds the queue empty
  // or holding what came after, which is the next batch
  private post(): void {
    if (this.queue.length === 0 || this.closed) return;
    const q = this.queue;
    this.queue = [];
    if (this.wire.codec === 'clone') {
      this.port.postMessage(q);
      return;
    }
    // pack() may return a view into a shared scratch buffer: copy exactly our bytes into a fresh
    // buffer and transfer it, so nothing else is cloned or aliased across threads.
    const bytes = new Uint8Array(packr.pack(q));
    this.port.postMessage(bytes, [bytes.buffer]);
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.port.close();
  }
}
