// Micro-batching over one long-lived MessagePort: everything sent during one event-loop turn goes
// as a single msgpackr-packed message (measured here: a Piscina task round trip ~70 µs, a raw port
// message ~2 µs, a 100-message batch 1.6–1.9 M messages/s). Used on both sides of the port.
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export class BatchPort<Out> {
  private queue: Out[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly port: MessagePort,
    onBatch: (batch: unknown) => void,
  ) {
    port.on('message', (data: unknown) => {
      if (data instanceof Uint8Array) onBatch(packr.unpack(data));
    });
  }

  send(m: Out): void {
    if (this.closed) return;
    this.queue.push(m);
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
