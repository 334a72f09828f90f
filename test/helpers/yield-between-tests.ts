// For test files whose tests block in spawnSync: vitest's worker reports each test to its runner
// over an RPC with a fixed 60 s timeout, and the reply is read only when the worker's event loop
// reaches its poll phase. Awaiting between tests does not get there (resolved promises are
// microtasks), so a file of many blocking tests on a loaded machine kept the worker from it for
// over 60 s: every test passed and the run failed with `Timeout calling "onTaskUpdate"` (seen in a
// full run at load average 7). A setImmediate before each test is one real event-loop turn.
import { beforeEach } from 'vitest';

export function yieldBetweenTests(): void {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
}
