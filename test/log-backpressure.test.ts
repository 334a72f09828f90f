// A log reader that stops reading (a full pipe, a blocked container log driver) costs log lines,
// never the process: each thread buffers at most PARLEY_LOG_BUFFER_BYTES of unwritten lines, drops
// the rest and counts them, keeps answering requests meanwhile, and logs again once stdout drains.
// Before the cap the buffer grew without bound in the V8 heap of the thread that logs — a shard
// under a spam attack writes a decision line per flagged message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { metric, newConsumer, until } from './helpers/client.ts';

let srv: ServerProcess;
beforeAll(async () => {
  // observe mode with the text in the audit line: every caps post is flagged, delivered and logged
  // as a ~3 kB line
  const cfg = tenantConfigDir({ 'obs.yaml': 'site: obs\ncredentials: [{ user: obs, password: obs }]\ntier1:\n  mode: observe\n  audit: { logText: true }\n' });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('logbp'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info', PARLEY_SHARDS: '1', PARLEY_LOG_BUFFER_BYTES: '65536' });
});
afterAll(async () => {
  srv?.child.stdout?.resume();
  srv?.child.kill('SIGKILL');
  await srv?.exited;
});

const dropped = (): Promise<number> => metric(srv.url, 'parley_log_lines_dropped_total');

describe('logging when stdout stops taking lines', () => {
  it('keeps answering, drops and counts lines past the buffer, and logs again once stdout drains', async () => {
    const c = await newConsumer(srv.url, 'obs', undefined, ['obs', 'obs']);
    expect(await dropped()).toBe(0);
    // stop reading the server's stdout: the pipe fills and every later line waits in its buffer
    srv.child.stdout!.pause();
    const shout = (i: number): string => `PLEASE READ THIS ${i} `.repeat(150);
    for (let i = 0; i < 150; i++) expect((await c.post(shout(i))).status).toBe(200);
    // ~150 lines of ~3 kB against a 64 KiB buffer (plus the pipe's own 64 KiB): most are dropped
    expect(await until(async () => (await dropped()) > 50, 5000)).toBe(true);

    srv.child.stdout!.resume();
    const marker = 'AFTER THE DRAIN MARKER '.repeat(3);
    expect((await c.post(marker)).status).toBe(200);
    expect(await until(() => srv.output().includes('AFTER THE DRAIN MARKER'), 5000)).toBe(true);
  }, 60_000);
});
