// The journal appends to logs ([logId, seq] keys, one log per shard start). What must hold:
// an engagement's events come back in order when they span several logs (restarts, a different
// shard count moving its vshard to another shard), retention removes them from every log, and a
// journal in the layout before logs ([vshard, engagementId, n] keys) is migrated on start with
// nothing lost.
import { afterAll, describe, expect, it } from 'vitest';
import { open } from 'lmdb';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, transcript, type Consumer } from './helpers/client.ts';
import { LmdbJournal, journalPath } from '../src/store/lmdb.ts';
import { tempDir } from './helpers/server.ts';
import { VSHARDS } from '../src/router/ids.ts';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function restart(s: TestServer, shards: number): Promise<TestServer> {
  await s.stop();
  servers.splice(servers.indexOf(s), 1);
  const next = await startTestServer({ shards, dataDir: s.dataDir, configDir: s.configDir });
  servers.push(next);
  return next;
}

/** posts on whichever server now holds the engagement (a restart changes the port) */
const postTo = (base: string, u: Consumer, body: string) => call(base, 'POST', cpath('demo', 'postMessage'), { body: { body }, headers: { SessionId: u.sessionId } });

const bodies = (t: { json: { messages: Array<{ body: string }> } }): string[] => t.json.messages.map((m) => m.body);

describe('journal log layout', () => {
  it('keeps each engagement in order across logs written by different shard counts', async () => {
    let s = await startTestServer({ shards: 2 });
    servers.push(s);
    const users = await Promise.all([1, 2, 3, 4].map(() => newConsumer(s.url)));
    const said = new Map<string, string[]>(users.map((u) => [u.engagementId, []]));
    const say = async (round: string): Promise<void> => {
      for (const u of users) {
        const body = `round ${round} from ${u.engagementId.slice(-4)} about my parcel`;
        expect((await postTo(s.url, u, body)).status).toBe(200);
        said.get(u.engagementId)!.push(body);
      }
    };
    await say('one');
    s = await restart(s, 1); // every vshard now on shard 0, which writes a new log
    await say('two');
    s = await restart(s, 2);
    await say('three');
    for (const u of users) {
      const t = await transcript(s.url, u.engagementId);
      expect(t.status).toBe(200);
      expect(bodies(t)).toEqual(said.get(u.engagementId));
    }
    // the same events through a fresh reader, which indexes every log
    await s.stop();
    servers.splice(servers.indexOf(s), 1);
    const j = new LmdbJournal(s.dataDir, 'commit');
    try {
      const id = Number(users[0]!.engagementId);
      const posted = j.read(id).filter((e) => (e as { e: string }).e === 'posted');
      expect(posted.map((e) => (e as { body: string }).body)).toEqual(said.get(users[0]!.engagementId));
      j.remove(id);
      await j.barrier();
      expect(j.read(id)).toEqual([]);
    } finally {
      await j.close();
    }
    const reread = new LmdbJournal(s.dataDir, 'commit');
    try {
      expect(reread.read(Number(users[0]!.engagementId))).toEqual([]);
      expect(reread.read(Number(users[1]!.engagementId)).length).toBeGreaterThan(3);
    } finally {
      await reread.close();
    }
  });

  it('migrates a journal in the layout before logs on start', async () => {
    let s = await startTestServer({ shards: 2 });
    servers.push(s);
    const u = await newConsumer(s.url);
    const said = ['first line before the upgrade', 'second line before the upgrade'];
    for (const b of said) expect((await u.post(b)).status).toBe(200);
    await s.stop();
    servers.splice(servers.indexOf(s), 1);

    // rewrite the file in the old layout: `events` keyed [vshard, engagementId, n], no `log`
    const root = open({ path: journalPath(s.dataDir), maxDbs: 4, noSubdir: true, noSync: true, useWritemap: true });
    const log = root.openDB<unknown, [number, number]>({ name: 'log', sharedStructuresKey: Symbol.for('structures') });
    const legacy = root.openDB<unknown, [number, number, number]>({ name: 'events', sharedStructuresKey: Symbol.for('structures') });
    let copied = 0;
    root.transactionSync(() => {
      for (const { key, value } of log.getRange({ start: [0], end: [Number.MAX_SAFE_INTEGER] })) {
        // a record holds one or more [engagementId, n, event] triples, flattened
        const triples = value as unknown[];
        for (let i = 0; i < triples.length; i += 3) {
          const engagementId = triples[i] as number;
          void legacy.put([engagementId % VSHARDS, engagementId, triples[i + 1] as number], triples[i + 2]);
          copied++;
        }
        void log.remove(key);
      }
    });
    await root.close();
    expect(copied).toBeGreaterThan(2);

    s = await startTestServer({ shards: 2, dataDir: s.dataDir, configDir: s.configDir });
    servers.push(s);
    const t = await transcript(s.url, u.engagementId);
    expect(t.status).toBe(200);
    expect(bodies(t)).toEqual(said);
    expect((await postTo(s.url, u, 'third line after the upgrade')).status).toBe(200);
    expect(bodies(await transcript(s.url, u.engagementId))).toEqual([...said, 'third line after the upgrade']);

    // nothing is left in the old layout
    await s.stop();
    servers.splice(servers.indexOf(s), 1);
    const check = open({ path: journalPath(s.dataDir), maxDbs: 4, noSubdir: true, noSync: true, useWritemap: true });
    try {
      const old = check.openDB<unknown, [number, number, number]>({ name: 'events', sharedStructuresKey: Symbol.for('structures') });
      expect([...old.getKeys({ start: [0], end: [Number.MAX_SAFE_INTEGER] })]).toEqual([]);
    } finally {
      await check.close();
    }
  });

  it("reads at recovery only the logs whose writer owned one of the recovering shard's vshards", async () => {
    const dir = tempDir('journal');
    const low = Array.from({ length: 128 }, (_, v) => v);
    const high = Array.from({ length: 128 }, (_, v) => v + 128);
    const a = new LmdbJournal(dir, 'commit', low);
    const b = new LmdbJournal(dir, 'commit', high);
    const onLow = 7 * VSHARDS + 5;
    const onHigh = 7 * VSHARDS + 200;
    try {
      a.append(onLow, 0, { e: 'created', by: 'a' });
      await a.barrier();
      b.append(onHigh, 0, { e: 'created', by: 'b' });
      await b.barrier();
    } finally {
      await a.close();
      await b.close();
    }
    const r = new LmdbJournal(dir, 'commit');
    try {
      const ownsLow = (v: number): boolean => v < 128;
      expect(r.logsToScan(ownsLow)).toHaveLength(1);
      expect(r.logsToScan((v) => v === 200)).toHaveLength(1);
      expect(r.logsToScan(ownsLow)).not.toEqual(r.logsToScan((v) => v === 200));
      expect(r.logsToScan(() => true)).toHaveLength(2);
      expect([...r.scan(ownsLow)].map((x) => x.engagementId)).toEqual([onLow]);
      expect([...r.scan(() => true)].map((x) => x.engagementId)).toEqual([onLow, onHigh]);
    } finally {
      await r.close();
    }
  });
});
