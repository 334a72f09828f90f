// Micro-batching over one long-lived MessagePort: everything sent during one event-loop turn goes
// as a single message. Used on both sides of the port.
//
// Codec (measured by `npm run bench:tier1`, transport section, on the 2-core dev machine: request/
// reply round trips through a real worker, 8 batches in flight): a Piscina task per request ~10k/s
// (91 µs CPU each); batches of 100 structured-cloned 643k/s (2.8 µs CPU per round trip), with the
// flat wire forms of protocol/wire.ts 1.39M/s (1.2 µs), with msgpackr 381k/s (4.1 µs). Structured
// clone of wire forms is the default; msgpackr stays selectable (PARLEY_SHARD_CODEC=msgpackr).
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';

export type Codec = 'clone' | 'msgpackr';

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export class BatchPort<Out> {
  // messages already in their wire form (see protocol/wire.ts)
  private queue: unknown[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    private readonly onBatch: (batch: unknown) => void,
    private readonly codec: Codec = 'clone',
    private readonly toWire: (m: Out) => unknown = (m) => m,
  ) {
    port.on('message', this.receive);
  }

  private readonly receive = (data: unknown): void => {
    this.onBatch(data instanceof Uint8Array ? packr.unpack(data) : data);
  };

  /**
   * Hands over, now, every message the other side posted that has not been dispatched yet: the
   * other thread died, and what it sent just before (answers it committed) must not be dropped
   * with the port, nor come after the crash has been acted on.
   */
  drain(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined && !this.closed; m = receiveMessageOnPort(this.port)) this.receive(m.message);
  }

  send(m: Out): void {
    if (this.closed) return;
    this.queue.push(this.toWire(m));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.queue.length === 0 || this.closed) return;
    const q = this.queue;
    this.queue = [];
    if (this.codec === 'clone') {
      this.port.postMessage(q);
      return;
    }
    // pack() may return a view into a shared scratch buffer: copy exactly our bytes into a fresh
    // buffer and transfer it, so nothing else is cloned or aliased across threads.
    const bytes = new Uint8Array(packr.pack(q));
    this.port.postMessage(bytes, [bytes.buffer]);
  };

  close(): void {
    this.flush();
    this.closed = true;
    this.port.close();
  }
}
