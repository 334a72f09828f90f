// The bench's posts carry a messageId each, as chat fronts send them, and no two load-client runs
// repeat an id: a repeated id on the same engagement is the retry of an acknowledged message, which
// Parley answers without screening or storing it — a bench that repeated ids would measure that.
// The Node load client (the fallback when wrk is not installed; the half-peak client always) runs
// for real here against a plain HTTP server that records every body.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNodeLoad } from '../bench/system/node-load.ts';
import { consumerPostSession, messageIdPrefix, newIdNonce, renderSessionFile, renderTextsFile } from '../bench/system/plan.ts';
import { tempDir } from './helpers/server.ts';

let server: http.Server;
let base = '';
const bodies: string[] = [];
let dir = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let b = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (b += c));
    req.on('end', () => {
      bodies.push(b);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = tempDir('bench-ids');
  fs.writeFileSync(path.join(dir, 'sessions.tsv'), renderSessionFile([consumerPostSession('bench', '1:1', 's-one'), consumerPostSession('bench', '1:1', 's-two')]));
  fs.writeFileSync(path.join(dir, 'ham.txt'), renderTextsFile(['hello there', 'is my "parcel" on its way?', 'ünïcødé 😀']));
});
afterAll(() => {
  server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function load(idNonce: string | null): Promise<Array<{ body: string; messageId?: string }>> {
  bodies.length = 0;
  const r = await runNodeLoad({ url: base, sessionsFile: path.join(dir, 'sessions.tsv'), hamFile: path.join(dir, 'ham.txt'), advFile: null, advEvery: 0, processes: 2, connections: 4, durationS: 1, rate: 0, warmupS: 0, idNonce });
  expect(r.requests).toBeGreaterThan(50);
  return bodies.map((b) => JSON.parse(b) as { body: string; messageId?: string });
}

describe('bench posts and their messageIds', () => {
  it('gives every post of a run its own messageId, and no id of one run comes again in the next', async () => {
    const first = await load(newIdNonce());
    const ids = first.map((b) => b.messageId);
    expect(ids.every((id) => typeof id === 'string' && /^[0-9a-z]+-[01]-[01]-[0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(first.map((b) => b.body))).toEqual(new Set(['hello there', 'is my "parcel" on its way?', 'ünïcødé 😀']));

    const second = await load(newIdNonce());
    const again = new Set(second.map((b) => b.messageId));
    expect(again.size).toBe(second.length);
    expect(ids.filter((id) => again.has(id))).toEqual([]);
  });

  it('sends no messageId with --no-message-ids', async () => {
    const got = await load(null);
    expect(got.every((b) => !('messageId' in b))).toBe(true);
  });

  it('builds the id the wrk script builds (plan.ts is the format both follow)', () => {
    expect(messageIdPrefix('k3x', 0, 17) + '5"' + '}').toBe(',"messageId":"k3x-0-17-5"}');
    expect(JSON.parse('{"body":"hi"' + messageIdPrefix('k3x', 1, 2) + '9"}')).toEqual({ body: 'hi', messageId: 'k3x-1-2-9' });
    expect(newIdNonce()).not.toBe(newIdNonce());
  });
});
