// Operators scrape GET /admin/v1/metrics (Prometheus text format, admin bearer token): API answers
// by operation and status with answer times, Tier-1 screens and decisions per tenant and rule
// (reported by the shard threads once a second), shard health and in-flight requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, newConsumer, openWs, until } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry } from './helpers/agent-client.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
let s: TestServer;
beforeAll(async () => {
  // `tally` is posted to by one test only, so its counter's value is known exactly at every step
  // (shards report once a second: a counter shared with earlier tests may still be catching up)
  s = await startTestServer({ configDir: tenantConfigDir({ 'tally.yaml': 'site: tally\ncredentials: [{ user: tally, password: tally }]\n' }) });
});
afterAll(async () => s?.stop());

async function scrape(token = 'test-admin'): Promise<{ status: number; type: string | null; text: string }> {
  const r = await fetch(`${s.url}/admin/v1/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}

/** The value of one series (exact name and label set as rendered), or undefined. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrapeUntil(ok: (text: string) => boolean, ms = 5000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const { text } = await scrape();
    if (ok(text) || Date.now() > end) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('operator metrics', () => {
  it('needs the admin token', async () => {
    const r = await scrape('wrong');
    expect(r.status).toBe(401);
  });

  it('counts answers, Tier-1 screens and decisions, and reports shard health, in the Prometheus text format', async () => {
    const c = await newConsumer(s.url);
    for (const t of ['hello, I need help with my order', 'it was due on Monday', 'thanks!']) expect((await c.post(t)).status).toBe(200);
    expect((await c.post(CANARY)).status).toBe(200); // blocked: not delivered, answered 200
    expect((await c.post(42 as unknown as string)).status).toBe(400);
    expect((await call(s.url, 'GET', '/no/such/path')).status).toBe(404);

    const decision = 'parley_tier1_decisions_total{site="demo",code="CANARY",outcome="block",mode="enforce"}';
    const text = await scrapeUntil((t) => value(t, decision) === 1);
    const r = await scrape();
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');

    // every line is a comment or a sample
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) [a-z_][a-z0-9_]* .+|[a-z_][a-z0-9_]*(\{[^}]*\})? -?[0-9.e+]+)$/);

    expect(value(text, 'parley_http_requests_total{api="consumer",op="postMessage",status="200"}')).toBe(4);
    expect(value(text, 'parley_http_requests_total{api="consumer",op="postMessage",status="400"}')).toBe(1);
    expect(value(text, 'parley_http_requests_total{api="consumer",op="requestEngagement",status="200"}')).toBe(1);
    expect(value(text, 'parley_http_requests_total{api="issuer",op="establishSessions",status="200"}')).toBe(1);
    expect(value(text, 'parley_http_requests_total{api="other",op="other",status="404"}')).toBe(1);

    // the histogram, per status: cumulative buckets ending at the count
    const l = 'api="consumer",op="postMessage",status="200"';
    const buckets = text.split('\n').filter((x) => x.startsWith(`parley_http_request_duration_seconds_bucket{${l},`)).map((x) => Number(x.split(' ')[1]));
    expect(buckets.length).toBe(15);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1]!);
    expect(buckets.at(-1)).toBe(4);
    expect(value(text, `parley_http_request_duration_seconds_count{${l}}`)).toBe(4);
    expect(value(text, `parley_http_request_duration_seconds_count{api="consumer",op="postMessage",status="400"}`)).toBe(1);
    expect(value(text, `parley_http_request_duration_seconds_sum{${l}}`)).toBeGreaterThanOrEqual(0);

    // Tier-1, from the shard: the four posts with a text were screened, the canary was blocked
    expect(value(text, 'parley_tier1_screened_total{site="demo"}')).toBe(4);
    expect(value(text, decision)).toBe(1);
    expect(text).not.toContain(CANARY); // reasons and texts stay in the logs

    expect(value(text, 'parley_shard_up{shard="0"}')).toBe(1);
    expect(value(text, 'parley_shard_up{shard="1"}')).toBe(1);
    expect(value(text, 'parley_shard_restarts_total{shard="0"}')).toBe(0);
    expect(value(text, 'parley_inflight_requests')).toBe(0);
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const held = text.split('\n').filter((x) => x.startsWith('parley_engagements_in_memory{')).map((x) => Number(x.split(' ')[1]));
    expect(held.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  });

  it('times answers by status as well as by operation (a fast refusal does not pull down the times of served requests)', async () => {
    const c = await newConsumer(s.url);
    expect((await c.post('one more question about my order')).status).toBe(200);
    expect((await c.post(42 as unknown as string)).status).toBe(400);
    const { text } = await scrape();
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = /^parley_http_requests_total\{(.*)\} (\d+)$/.exec(line);
      if (m) counts.set(m[1]!, Number(m[2]));
    }
    expect(counts.size).toBeGreaterThan(2);
    // one histogram per (api, op, status): its count is that status's answer count
    for (const [labels, n] of counts) {
      expect(labels).toMatch(/^api="[a-z]+",op="[A-Za-z]+",status="\d{3}"$/);
      expect([labels, value(text, `parley_http_request_duration_seconds_count{${labels}}`)]).toEqual([labels, n]);
      expect([labels, value(text, `parley_http_request_duration_seconds_bucket{${labels},le="+Inf"}`)]).toEqual([labels, n]);
    }
    expect(counts.get('api="consumer",op="postMessage",status="400"')).toBeGreaterThanOrEqual(1);
  });

  it('counts engagements ended by cause: the consumer, the agent, Tier-1', async () => {
    const byConsumer = await newConsumer(s.url);
    expect((await byConsumer.conclude()).status).toBe(200);
    const byAgent = await newConsumer(s.url);
    const agent = await newAgent(s.url, 'agent3');
    await ready(agent, 10); // the earlier tests' customers still wait, oldest first
    expect(await waitEntry(agent, isOfferOf(byAgent.engagementId))).toBeDefined();
    expect((await accept(agent, byAgent.engagementId)).status).toBe(200);
    expect((await agent.call('concludeChat', { engagementId: Number(byAgent.engagementId) })).status).toBe(200);
    const byTier1 = await newConsumer(s.url);
    const long = 'x'.repeat(40_001); // over 10× the length cap: an extreme first hit terminates
    expect((await byTier1.post(long)).status).toBe(409);
    const ended = (cause: string): string => `parley_engagements_ended_total{cause="${cause}"}`;
    const text = await scrapeUntil((t) => value(t, ended('consumer')) === 1 && value(t, ended('agent')) === 1 && value(t, ended('tier1')) === 1);
    expect([value(text, ended('consumer')), value(text, ended('agent')), value(text, ended('tier1'))]).toEqual([1, 1, 1]);
  });

  it('keeps counting across scrapes (counters only grow)', async () => {
    const series = 'parley_tier1_screened_total{site="tally"}';
    expect(value((await scrape()).text, series)).toBeUndefined();
    const c = await newConsumer(s.url, 'tally', undefined, ['tally', 'tally']);
    expect((await c.post('one more message')).status).toBe(200);
    const first = await scrapeUntil((t) => value(t, series) !== undefined);
    expect(value(first, series)).toBe(1);
    expect((await c.post('and one after that')).status).toBe(200);
    const second = await scrapeUntil((t) => (value(t, series) ?? 0) > 1);
    expect(value(second, series)).toBe(2);
  });

  it('counts WebSocket subscribers and the frames sent to them', async () => {
    const base = await scrape();
    const frames0 = value(base.text, 'parley_websocket_frames_total{api="consumer"}') ?? 0;
    expect(value(base.text, 'parley_websocket_connections{api="consumer"}')).toBe(0);
    const c = await newConsumer(s.url);
    const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${encodeURIComponent(c.sessionId)}`);
    await w.opened;
    expect(await until(() => w.frames.length > 0)).toBe(true);
    const open = await scrape();
    expect(value(open.text, 'parley_websocket_connections{api="consumer"}')).toBe(1);
    expect(value(open.text, 'parley_websocket_frames_total{api="consumer"}')).toBeGreaterThan(frames0);
    expect(value(open.text, 'parley_websocket_connections{api="agent"}')).toBe(0);
    w.ws.close();
    await w.closed;
    expect(await until(async () => value((await scrape()).text, 'parley_websocket_connections{api="consumer"}') === 0)).toBe(true);
  });

  it('counts a crashed shard thread\'s restart and shows it up again', async () => {
    const f = await startTestServer({ shards: 2, faultInjection: true });
    try {
      const r = await call(f.url, 'POST', '/admin/v1/shards/1/fault?mode=exit', { headers: { authorization: 'Bearer test-admin' } });
      expect(r.status).toBe(202);
      const end = Date.now() + 10_000;
      let text = '';
      while (Date.now() < end) {
        text = await (await fetch(`${f.url}/admin/v1/metrics`, { headers: { authorization: 'Bearer test-admin' } })).text();
        if (value(text, 'parley_shard_restarts_total{shard="1"}') === 1 && value(text, 'parley_shard_up{shard="1"}') === 1) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(value(text, 'parley_shard_restarts_total{shard="1"}')).toBe(1);
      expect(value(text, 'parley_shard_up{shard="1"}')).toBe(1);
      expect(value(text, 'parley_shard_restarts_total{shard="0"}')).toBe(0);
    } finally {
      await f.stop();
    }
  });
});
