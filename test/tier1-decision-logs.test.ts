// Reasons live only in structured logs: each non-allow decision is one pino JSON line with tenant,
// engagement, participant, code, outcome, observed value, threshold, config version and a hash of
// the text — never the text. Observe mode logs "would have blocked" and delivers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { newConsumer, sleep, transcript } from './helpers/client.ts';

let srv: ServerProcess;
beforeAll(async () => {
  const cfg = tenantConfigDir({ 'obs.yaml': 'site: obs\ncredentials: [{ user: obs, password: obs }]\ntier1:\n  version: 42\n  mode: observe\n' });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('logs'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info' });
});
afterAll(() => srv?.child.kill('SIGKILL'));

const decisions = (): Array<Record<string, unknown>> =>
  srv.output().split('\n').filter((l) => l.includes('"tier1 decision"')).map((l) => JSON.parse(l).tier1 as Record<string, unknown>);

describe('Tier-1 decision logs', () => {
  it('logs an observe-mode flood with every field, delivers it, and never logs the text', async () => {
    const c = await newConsumer(srv.url, 'obs', undefined, ['obs', 'obs']);
    const flood = '🔥'.repeat(40) + ' secret-marker-text';
    for (let i = 0; i < 12; i++) expect((await c.post(`${flood} ${'abcdefghijkl'[i]}`)).status).toBe(200);
    const t = await transcript(srv.url, c.engagementId, 'test-admin');
    expect(t.json.messages.filter((m: { kind: string }) => m.kind === 'message')).toHaveLength(12);
    await sleep(300);
    const mine = decisions().filter((d) => d.engagementId === c.engagementId);
    expect(mine.some((d) => d.code === 'EMOJI_FLOOD' && d.mode === 'observe')).toBe(true);
    expect(mine.some((d) => d.code === 'RATE_BURST' && d.mode === 'observe')).toBe(true);
    for (const d of mine) {
      expect(d).toMatchObject({ tenant: 'obs', engagementId: c.engagementId, participant: c.clientId });
      for (const k of ['code', 'outcome', 'observed', 'threshold', 'configVersion', 'textHash']) expect(d, k).toHaveProperty(k);
      expect(String(d.configVersion)).toMatch(/^42\//);
      expect(String(d.textHash)).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(srv.output()).not.toContain('secret-marker-text');
  });

  it('logs an enforced block (the canary) while the response and the stream carry no reason', async () => {
    const c = await newConsumer(srv.url);
    const r = await c.post('XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X');
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(/CANARY|tier1/i);
    await c.poll();
    expect(JSON.stringify(c.seen)).not.toMatch(/CANARY/);
    await sleep(300);
    expect(decisions().some((d) => d.engagementId === c.engagementId && d.code === 'CANARY' && d.outcome === 'block' && d.mode === 'enforce')).toBe(true);
  });
});
