// Links to hosts on the tenant's own URL_DENY.allow list are not counted by URL_COUNT or
// URL_RATE, for anyone: those rules stop a sender pushing people to outside destinations, and the
// tenant vouches for its allow list (only the tenant writes it). Before, an agent bot sending the
// tenant's own canned reply (one link to its allow-listed help site) to 9 chats within seconds had
// chats 6–7 blocked on URL_RATE and was ejected from chats 8–9 (409). Links anywhere else still
// count, the canned words with another link included, and a message stuffed with more than
// URL_COUNT.extremeAt links of any host still terminates (link parsing stops there).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { newAgent, ready, type Agent } from './helpers/agent-client.ts';
import { replyToNewChats } from './helpers/agent-chat.ts';

beforeAll(initTier1);

const CANNED = 'Thanks for contacting Acme! You can also call us at +1 800 555 0100 or visit https://www.acme-support.com/help anytime.';
// distinct words per message, so the duplicate rules (which mask links) stay out of it
const W = ['amber', 'birch', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'island', 'jasper', 'kettle', 'lantern', 'meadow', 'nectar'];
const TIER1 = { rules: { CAMPAIGN_XCONV: { cannedReplies: [CANNED] }, URL_DENY: { allow: ['acme-support.com'] } } };

describe('allow-listed links and the link rules', () => {
  it('an agent bot sends the canned reply to 9 chats in 9 seconds: every one delivered', () => {
    const h = harness(cfg(TIER1));
    const outs = Array.from({ length: 9 }, (_, i) => h.screen(CANNED, { role: 'AGENT', senderKey: 'agent:bot', engagementId: `e${i}`, nowMs: 1_700_000_000_000 + i * 1000 }));
    expect(outs.map((r) => r.outcome)).toEqual(Array(9).fill('allow'));
    expect(h.codes()).toEqual([]);
  });

  it('a customer linking the tenant\'s help pages, subdomains included, is not rate-limited or flagged', () => {
    const h = harness(cfg(TIER1));
    const outs = ['https://acme-support.com/a', 'help.acme-support.com/b', 'www.acme-support.com/c', 'https://acme-support.com/d', 'acme-support.com/e', 'https://docs.acme-support.com/f', 'acme-support.com/g']
      .map((u, i) => h.screen(`${W[i]} ${W[i + 7]}: the page ${u} says my order is late`, { nowMs: 1_700_000_000_000 + i * 3000 }).outcome);
    expect(outs).toEqual(Array(7).fill('allow'));
    expect(harness(cfg(TIER1)).screen('see https://acme-support.com/1 https://acme-support.com/2 https://acme-support.com/3 https://acme-support.com/4 https://acme-support.com/5').outcome).toBe('allow');
  });

  it('links elsewhere count as before: URL_RATE blocks the 6th within a minute, URL_COUNT the 4th in one message', () => {
    const h = harness(cfg(TIER1));
    const outs = Array.from({ length: 6 }, (_, i) => h.screen(`${W[i]} ${W[i + 7]}: look at https://acme-support.com/x and https://deals${i}.example.com now`, { nowMs: 1_700_000_000_000 + i * 3000 }).outcome);
    expect(outs.slice(0, 5)).not.toContain('block');
    expect(outs[5]).toBe('block');
    const one = harness(cfg(TIER1));
    expect(one.screen('https://acme-support.com/a https://a.example.com https://b.example.com https://c.example.com').outcome).toBe('flag');
    expect(one.screen('https://acme-support.com/a https://a.example.com https://b.example.com https://c.example.com https://d.example.com').outcome).toBe('block');
  });

  it('the canned words with another link are not the canned reply: an agent sending them to 9 chats is stopped', () => {
    const h = harness(cfg(TIER1));
    const spam = CANNED.replace('https://www.acme-support.com/help', 'https://www.acme-support.com.evil.io/help');
    const outs = Array.from({ length: 9 }, (_, i) => h.screen(spam, { role: 'AGENT', senderKey: 'agent:bot', engagementId: `e${i}`, nowMs: 1_700_000_000_000 + i * 1000 }).outcome);
    expect(outs.slice(0, 5)).not.toContain('block');
    expect(outs.slice(5, 7)).toEqual(['block', 'block']);
    expect(outs[7]).toBe('terminate');
  });

  it('hosts that only look like the allowed one count', () => {
    for (const u of ['https://acme-support.com.evil.io/x', 'https://evil-acme-support.com/x', 'https://acme-support.co/x']) {
      const h = harness(cfg(TIER1));
      const outs = Array.from({ length: 6 }, (_, i) => h.screen(`${W[i]} ${W[i + 7]}: go to ${u}${i} now please`, { nowMs: 1_700_000_000_000 + i * 3000 }).outcome);
      expect(outs[5], u).toBe('block');
    }
  });

  it('more than URL_COUNT.extremeAt links terminate whatever their host', () => {
    const h = harness(cfg(TIER1));
    const many = Array.from({ length: 25 }, (_, i) => `https://acme-support.com/p${i}`).join(' ');
    expect(h.screen(many).outcome).toBe('terminate');
  });
});

describe('over HTTP: an agent bot answering 9 chats with the canned reply', () => {
  let s: TestServer;
  let a: Agent;
  beforeAll(async () => {
    const configDir = tempDir('allowlinks');
    fs.mkdirSync(path.join(configDir, 'tenants'), { recursive: true });
    fs.writeFileSync(path.join(configDir, 'tenants', 'acme.json'), JSON.stringify({
      site: 'acme', credentials: [{ user: 'acme', password: 'pw' }], agents: [{ user: 'bot', password: 'pw' }], tier1: TIER1,
    }));
    // one shard: an agent's per-sender state lives on each engagement's shard, and all 9 chats
    // must meet on one (as they do in production for chats on the same shard)
    s = await startTestServer({ configDir, longPollMs: 300, shards: 1 });
    a = await newAgent(s.url, 'bot', 'acme', 'pw');
    await ready(a, 9);
  });
  afterAll(async () => {
    await a?.call('logoff', { forceLogoff: true });
    await s?.stop();
  });

  it('every post is answered 200 and delivered; the bot is never ejected', async () => {
    const got = await replyToNewChats(s.url, a, CANNED, 9, 'acme', ['acme', 'pw']);
    expect(got).toEqual(Array(9).fill('200 delivered'));
  });
});
