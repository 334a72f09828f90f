// False positives through the real API: every distinct ham row of the SMS collection, each posted
// by its own sender into its own engagement, must be allowed (≤ 0.1 % blocked, none terminated).
// The per-rule figures come from the server's own decision log lines.
import { smsRows } from '../bench/sms-dataset.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';

let srv: ServerProcess;
beforeAll(async () => {
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('ham'), PARLEY_LOG_LEVEL: 'info', PARLEY_LONG_POLL_MS: '1000' });
});
afterAll(() => {
  srv?.child.kill('SIGKILL');
});

describe('ham over HTTP', () => {
  it('allows ≥ 99.9 % of distinct ham rows and terminates none', async () => {
    const ham = smsRows('ham').filter((t) => t.trim().length > 0);
    expect(ham.length).toBeGreaterThan(4000);
    const statuses = new Map<number, number>();
    const blockedEngagements: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= ham.length) return;
        const c = await newConsumer(srv.url);
        const r = await c.post(ham[i]!);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        const t = await transcript(srv.url, c.engagementId);
        if (!t.json.messages.some((m: { kind: string; body: string }) => m.kind === 'message' && m.body === ham[i])) blockedEngagements.push(c.engagementId);
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    // per-rule figures from the decision logs (reason codes live only there)
    const perRule: Record<string, number> = {};
    for (const line of srv.output().split('\n')) {
      if (!line.includes('"tier1 decision"')) continue;
      const d = JSON.parse(line).tier1 as { code: string; outcome: string };
      perRule[`${d.code}:${d.outcome}`] = (perRule[`${d.code}:${d.outcome}`] ?? 0) + 1;
    }
    const blockedShare = blockedEngagements.length / ham.length;
    console.log(JSON.stringify({ rows: ham.length, statuses: Object.fromEntries(statuses), notDelivered: blockedEngagements.length, blockedPct: +(blockedShare * 100).toFixed(3), perRule }));
    expect(statuses.get(409) ?? 0).toBe(0);
    expect(statuses.get(200)).toBe(ham.length);
    expect(blockedShare).toBeLessThanOrEqual(0.001);
  }, 240_000);
});
