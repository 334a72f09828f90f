// A journal.mdb damaged inside (a tree page, the second meta page) stops start-up naming the file
// (README, PARLEY_DATA_DIR) — before, a damaged tree page left the shard that recovers it
// restarting forever on MDB_CORRUPTED / MDB_PAGE_NOTFOUND (restartInMs up to 30 s, the node never
// listening), and a damaged second meta page ended the process with SIGSEGV (exit 139, no message).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runToExit, spawnServer } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { newConsumer } from './helpers/client.ts';

const PAGE = 4096;
let journal: string;

/**
 * Where the journal's 'log' tree root keeps the page number of its rightmost child, read from
 * LMDB's page format (lmdb-js's build: 24-byte page header, node offsets from its end): a pointer
 * recovery follows and start-up's check (the first entry of each tree) does not.
 */
function rightmostLogPointer(buf: Buffer): number {
  const meta = buf.readBigUInt64LE(PAGE + 152) > buf.readBigUInt64LE(152) ? PAGE : 0; // the newer txnid
  const nodes = (pg: number): number[] => Array.from({ length: buf.readUInt16LE(pg * PAGE + 20) >> 1 }, (_, i) => pg * PAGE + 24 + buf.readUInt16LE(pg * PAGE + 24 + 2 * i));
  for (const n of nodes(Number(buf.readBigUInt64LE(meta + 136)))) {
    const ksize = buf.readUInt16LE(n + 6);
    if (buf.toString('latin1', n + 8, n + 8 + ksize).replace(/\0+$/, '') !== 'log') continue;
    const db = n + 8 + ksize;
    expect(buf.readUInt16LE(db + 6), 'log tree depth').toBeGreaterThanOrEqual(2);
    return nodes(Number(buf.readBigUInt64LE(db + 40))).at(-1) ?? 0; // a branch node starts with its child's page number (low 32 bits)
  }
  throw new Error('no log tree in the journal');
}

/** a copy of the real journal with `bytes` written at `offset` */
function damaged(offset: number, bytes: Buffer): string {
  const dir = tempDir('corrupt');
  fs.copyFileSync(journal, path.join(dir, 'journal.mdb'));
  fs.copyFileSync(path.join(path.dirname(journal), 'jwt.key'), path.join(dir, 'jwt.key'));
  const fd = fs.openSync(path.join(dir, 'journal.mdb'), 'r+');
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    fs.closeSync(fd);
  }
  return dir;
}

beforeAll(async () => {
  const dir = tempDir('corrupt-src');
  const s = await spawnServer({ PARLEY_DATA_DIR: dir });
  for (let i = 0; i < 30; i++) {
    const c = await newConsumer(s.url);
    for (let n = 0; n < 3; n++) expect((await c.post(`Question ${i}.${n}: my parcel for order ${1000 + i} has not arrived yet; could you tell me when it will be delivered to my address?`)).status).toBe(200);
  }
  s.child.kill('SIGTERM');
  expect(await s.exited).toBe(0);
  journal = path.join(dir, 'journal.mdb');
  // the page size this test writes by: LMDB keeps it in the first meta page
  expect(fs.readFileSync(journal).readUInt32LE(48)).toBe(PAGE);
}, 60_000);

describe('start-up on a journal.mdb damaged inside', () => {
  it('a log-tree page pointing past the file (MDB_PAGE_NOTFOUND at recovery): the node stops, exit non-zero, naming journal.mdb and the error', async () => {
    const dir = damaged(rightmostLogPointer(fs.readFileSync(journal)), Buffer.from([0xff, 0xff, 0xff, 0x7f]));
    const t0 = Date.now();
    const r = await runToExit({ PARLEY_DATA_DIR: dir, PARLEY_SHARDS: '2', PARLEY_ADMIN_TOKEN: 'test-admin' });
    expect(r.code, r.out.slice(-1500)).not.toBe(null); // not killed by the 30 s guard: it stopped itself
    expect(r.code).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.out).not.toContain('Parley listening');
    expect(r.out).toContain(`parley: journal ${path.join(dir, 'journal.mdb')} is damaged`);
    expect(r.out).toContain('MDB_PAGE_NOTFOUND');
  }, 40_000);

  it('a second meta page of random bytes: one line naming journal.mdb, not SIGSEGV', async () => {
    let x = 12345; // a fixed sequence: the same bytes on every run
    const dir = damaged(PAGE, Buffer.from(Array.from({ length: PAGE }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff)));
    const r = await runToExit({ PARLEY_DATA_DIR: dir, PARLEY_SHARDS: '2', PARLEY_ADMIN_TOKEN: 'test-admin' });
    expect(r.code, r.out.slice(-1500)).toBe(1);
    expect(r.out).not.toContain('Parley listening');
    expect(r.out).toContain(`journal ${path.join(dir, 'journal.mdb')} is corrupt or not an LMDB file (bad meta page)`);
  }, 40_000);
});
