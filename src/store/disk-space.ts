// Free space on the journal's filesystem, watched. In the default sync mode the journal writes
// through LMDB's writable memory map, and a page the filesystem cannot back is not an error code:
// the kernel kills the whole process with SIGBUS. Measured (.prof harness, 24 MB tmpfs as the
// data dir, 2 kB posts): 6,080 acknowledged, then SIGBUS — every engagement on the node gone at
// once, and a restart would die the same way at its first write. So each shard checks the free
// space twice a second (statfs, off its request path) and, below PARLEY_JOURNAL_MIN_FREE_MB,
// refuses what grows the journal without bound — new posts and new engagements, 503 STORE_FULL —
// while everything else (polls, conclusions, reads of what is stored) keeps working; it accepts
// again once space is back. The margin has to hold the writes of the half second before a check.
import fs from 'node:fs';

export class DiskSpace {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** below the minimum at the last check */
  low = false;
  freeBytes = Infinity;

  constructor(
    private readonly dir: string,
    private readonly minFreeBytes: number,
    private readonly onChange: (low: boolean, freeBytes: number) => void,
    private readonly everyMs = 500,
  ) {}

  private apply(freeBytes: number): void {
    this.freeBytes = freeBytes;
    const low = freeBytes < this.minFreeBytes;
    if (low === this.low) return;
    this.low = low;
    this.onChange(low, freeBytes);
  }

  /** Checks once now (synchronous: at start-up, before the first write) and then every `everyMs`. */
  start(): void {
    if (this.minFreeBytes <= 0) return;
    try {
      const s = fs.statfsSync(this.dir);
      this.apply(s.bavail * s.bsize);
    } catch {
      // no statfs here: nothing to watch
      return;
    }
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      fs.promises.statfs(this.dir).then(
        (s) => this.apply(s.bavail * s.bsize),
        () => {},
      ).finally(() => {
        this.busy = false;
      });
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
