// A tenant's queueTimeoutSec is kept to within a fraction of a second, not to the shard's periodic
// sweep (10 s with the default grace period): a customer no agent took is concluded QUEUE_TIMEOUT
// right after the limit, and an ACCEPT of its offer sent after the limit is refused (the offer is
// revoked QUEUE_TIMEOUT), even when it reaches the home shard before the timeout was acted on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { newConsumer, sleep, type Consumer } from './helpers/client.ts';
import { accept, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, type Agent } from './helpers/agent-client.ts';

const LIMIT_MS = 1000;
let s: TestServer;
let agent: Agent;
beforeAll(async () => {
  const configDir = tenantConfigDir({
    'qt.yaml': 'site: qt\ncredentials: [{ user: qt, password: qt }]\nagents: [{ user: qa, password: qa, accountId: 501 }]\nqueueTimeoutSec: 1\n',
  });
  // the default grace period: the shard sweeps every 10 s
  s = await startTestServer({ shards: 2, configDir, longPollMs: 300, concludeGraceMs: 60_000 });
  agent = await newAgent(s.url, 'qa', 'qt', 'qa');
});
afterAll(async () => {
  await agent?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const customer = (): Promise<Consumer> => newConsumer(s.url, 'qt', undefined, ['qt', 'qt']);

/** ms from `since` until `c` sees its conclusion (polling, ~300 ms long polls), or undefined within `ms`. */
async function concludedAfter(c: Consumer, since: number, ms: number): Promise<{ after: number; reason: unknown } | undefined> {
  while (Date.now() - since < ms) {
    const end = c.seen.find((m) => m.messageName === 'RNEngagementConcludedMessage');
    if (end) return { after: Date.now() - since, reason: end.reason };
    await c.poll();
  }
  return undefined;
}

describe('queue timeout, on time', () => {
  it('concludes a customer nobody took within a second of the limit', async () => {
    const since = Date.now();
    const c = await customer();
    const end = await concludedAfter(c, since, 12_000);
    expect(end?.reason).toBe('QUEUE_TIMEOUT');
    expect(end?.after).toBeLessThan(LIMIT_MS + 1500);
  });

  it('refuses an ACCEPT sent after the limit, and revokes the offer QUEUE_TIMEOUT', async () => {
    const since = Date.now();
    const c = await customer();
    await ready(agent, 1);
    expect(await waitEntry(agent, isOfferOf(c.engagementId))).toBeDefined();
    await sleep(Math.max(0, since + LIMIT_MS + 200 - Date.now()));
    const late = await accept(agent, c.engagementId);
    expect(`${late.status} ${String(late.json.code ?? '')}`).toBe('409 OFFER_UNKNOWN');
    const revoked = await waitEntry(agent, (e) => typeOf(e) === 'ChatEngagementAssignmentRevokedNotification' && engOf(e) === c.engagementId, 4);
    expect(revoked && inner(revoked).reason).toBe('QUEUE_TIMEOUT');
    const end = await concludedAfter(c, since, 12_000);
    expect(end?.reason).toBe('QUEUE_TIMEOUT');
    expect(end?.after).toBeLessThan(LIMIT_MS + 1500);
  });
});
