// Both journal durability levels (PARLEY_JOURNAL_SYNC=commit: writable map, no fsync; flush: fsync
// per group commit) keep every acknowledged message across kill -9, and a data dir written in one
// mode opens in the other.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';

let srv: ServerProcess | undefined;
afterAll(() => srv?.child.kill('SIGKILL'));

describe('journal sync modes', () => {
  it('keeps acknowledged posts across kill -9 in commit and in flush mode, switching modes on one data dir', async () => {
    const dataDir = tempDir('sync-modes');
    const expected = new Map<string, string[]>();
    for (const mode of ['commit', 'flush', 'commit']) {
      srv = await spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_JOURNAL_SYNC: mode, PARLEY_LOG_LEVEL: 'warn' });
      // what earlier runs acknowledged is all there
      for (const [id, bodies] of expected) {
        const t = await transcript(srv.url, id);
        expect(t.status).toBe(200);
        expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(bodies);
      }
      const cs = await Promise.all(Array.from({ length: 4 }, () => newConsumer(srv!.url)));
      await Promise.all(cs.map(async (c, i) => {
        const bodies: string[] = [];
        for (let k = 0; k < 3; k++) {
          // distinct wording per message: near-duplicates from one sender would be screened
          const body = `${mode} ${['apple', 'river', 'cloud', 'stone'][i]} ${['north', 'quiet', 'amber'][k]} parcel question`;
          expect((await c.post(body)).status).toBe(200);
          bodies.push(body);
        }
        expected.set(c.engagementId, bodies);
      }));
      srv.child.kill('SIGKILL');
      await srv.exited;
    }
    srv = await spawnServer({ PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn' });
    expect(expected.size).toBe(12);
    for (const [id, bodies] of expected) {
      const t = await transcript(srv.url, id);
      expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(bodies);
    }
  }, 60_000);
});
