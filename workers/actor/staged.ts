// What a mailbox batch (or a timer) produced for the HTTP thread and the other shards, held until
// the journal barrier for it resolves (group commit): no client sees state that is not durable,
// and outputs keep their order (workers/shard.ts release()).
import type { ShardOut } from '../../src/protocol/shard.ts';

export class Staged {
  private out: ShardOut[] = [];
  private moved = false;

  push(o: ShardOut): void {
    this.out.push(o);
  }

  /** A poll answer (consumer or agent) moved a journaled cursor: these outputs leave at once. */
  cursorMoved(): void {
    this.moved = true;
  }

  /** Everything staged since the last take, and whether a poll answer among it moved a cursor. */
  take(): { out: ShardOut[]; cursorMoved: boolean } {
    const taken = { out: this.out, cursorMoved: this.moved };
    this.out = [];
    this.moved = false;
    return taken;
  }
}
