// A tenant whose customers may post hundreds of messages in a row (Tier-1's per-sender rate and
// duplicate rules off), for tests of how much of an agent session's inbox the server keeps.
import { startTestServer, tenantConfigDir, tempDir, type TestServer } from './server.ts';
import { newConsumer, type Consumer } from './client.ts';
import { inner, newAgent, typeOf, word, type Agent, type Entry } from './agent-client.ts';

/** INBOX_KEEP in workers/routing/agent-session.ts: entries kept behind the furthest delivered one */
export const KEEP = 500;

export const busyTenant = (): string =>
  tenantConfigDir({
    'acme.yaml': `site: acme
credentials: [{ user: acme, password: pw }]
agents:
  - { user: alice, password: pw, name: Alice, accountId: 201 }
queues: [{ id: 1, name: Default }]
tier1: { rules: { RATE_BURST: { mode: off }, DUP_EXACT: { mode: off }, DUP_NEAR: { mode: off } } }
`,
  });

/** `wsMaxBackpressure`: a session keeps twice this many bytes of socket-sent entries besides KEEP of them */
export const startBusy = (configDir: string, dataDir = tempDir('data'), wsMaxBackpressure?: number): Promise<TestServer> =>
  startTestServer({ shards: 2, longPollMs: 1000, configDir, dataDir, ...(wsMaxBackpressure === undefined ? {} : { wsMaxBackpressure }) });
export const customer = (s: TestServer): Promise<Consumer> => newConsumer(s.url, 'acme', undefined, ['acme', 'pw']);
export const alice = (s: TestServer): Promise<Agent> => newAgent(s.url, 'alice', 'acme', 'pw');

/** `n` customer posts, 50 at a time; every one answered 200 (the statuses that were not). */
export async function posts(c: Consumer, from: number, n: number): Promise<number[]> {
  const bad: number[] = [];
  for (let i = from; i < from + n; i += 50) {
    const rs = await Promise.all(Array.from({ length: Math.min(50, from + n - i) }, (_, j) => c.post(`customer message ${word(i + j)} about my order`)));
    for (const r of rs) if (r.status !== 200) bad.push(r.status);
  }
  return bad;
}

/** Agent socket frames are `{getResponseTypes:[...]}`: their entries, in order. */
export const entries = (frames: Array<Record<string, unknown>>): Entry[] => frames.flatMap((f) => (f.getResponseTypes as Entry[] | undefined) ?? []);
export const seqOf = (e: Entry): number => Number(inner(e).sequenceNumber);
export const postsIn = (list: Entry[]): number => list.filter((e) => typeOf(e) === 'ChatPostMessage').length;
