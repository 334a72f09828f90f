// Fusion Service's issuer endpoint (spec §2.1): `POST /serviceApi/resources/11.13.0.0/chatAuthenticate`
// (and `.../latest/chatAuthenticate`), Basic auth as establishSessions, the customer's fields at the
// top level of the body, answered 201 with `domain`, `poolId`, `jwt`, `chatSiteName` and `port` (when
// not the scheme's default). Its JWT opens an engagement exactly as establishSessions' does. Found by
// exploratory testing porting a Fusion chat front: both paths answered 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { basic, call, type Res } from './helpers/client.ts';
import { inner, newAgent, OFFER, ready, takeOffer, typeOf, waitEntry, type Entry } from './helpers/agent-client.ts';

const SITE = 'sdi_11_20_18_2022_21-3586727808788512-Fusion';
const PATHS = ['/serviceApi/resources/11.13.0.0/chatAuthenticate', '/serviceApi/resources/latest/chatAuthenticate'];
const TENANT = `site: ${SITE}
pool: "353:2"
credentials: [{ user: integ, password: integ-pw }]
agents: [{ user: bot, password: bot-pw, name: Bot, accountId: 42 }]
queues: [{ id: 1, name: Default }, { id: 2, name: Escalation }]
`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 300, authMaxFailures: 0, authMaxFailuresPerAddress: 0, configDir: tenantConfigDir({ [`${SITE}.yaml`]: TENANT }) });
});
afterAll(async () => s?.stop());

const authenticate = (path: string, body: unknown, cred: [string, string] = ['integ', 'integ-pw']): Promise<Res> =>
  call(s.url, 'POST', path, { body, headers: { authorization: basic(...cred) } });
const cpath = (op: string): string => `/engagement/api/consumer/${SITE}/v1/${op}?pool=353:2`;
const queueStats = async (queueId: number): Promise<number> =>
  (await call(s.url, 'GET', `${cpath('getQueueStats')}&request=${encodeURIComponent(JSON.stringify({ queueId }))}`)).json.engagementsInQueue as number;

describe('chatAuthenticate', () => {
  it.each(PATHS)('%s answers 201 with domain, poolId, jwt, chatSiteName and the port', async (path) => {
    const r = await authenticate(path, { authUserName: 'fiona@example.com' });
    expect(r.status, r.text).toBe(201);
    const port = Number(new URL(s.url).port);
    expect(r.json).toEqual({ domain: '127.0.0.1', poolId: '353:2', jwt: expect.any(String), chatSiteName: SITE, port });
    // the same address establishSessions hands out
    const est = await call(s.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { body: {}, headers: { authorization: basic('integ', 'integ-pw') } });
    expect([est.json.domain, est.json.port]).toEqual([r.json.domain, r.json.port]);
  });

  it.each(PATHS)('%s: its JWT opens an engagement that carries the customer into the chat as establishSessions does', async (path) => {
    const r = await authenticate(path, {
      clientType: 'CONSUMER', authUserName: `fiona.${path.length}@example.com`, firstName: 'Fiona', lastName: 'Fusion', emailAddress: 'fiona@example.com',
      contactId: 3001, organizationId: null, question: 'Where is my parcel?', queueId: 2, chatSource: 'WEB', allowAgentAttachments: true, escalationLevel: null,
    });
    expect(r.status, r.text).toBe(201);
    const before = await queueStats(2);
    const start = await call(s.url, 'POST', cpath('requestEngagement'), { body: {}, headers: { authorization: `Bearer ${r.json.jwt}` } });
    expect(start.status, start.text).toBe(200);
    const eid = start.json.engagementIdString as string;
    // queued in the queue it named
    expect(await queueStats(2)).toBe(before + 1);
    const agent = await newAgent(s.url, 'bot', SITE, 'bot-pw');
    await ready(agent);
    const offer = await waitEntry(agent, (e: Entry) => typeOf(e) === OFFER && inner(e).engagementIdString === eid);
    expect(inner(offer as Entry)).toMatchObject({ name: 'Fiona Fusion', question: 'Where is my parcel?' });
    await takeOffer(agent, eid);
    const post = await call(s.url, 'POST', cpath('postMessage'), { body: { body: 'Hello, it has been a week' }, headers: { SessionId: start.json.sessionId } });
    expect(post.status, post.text).toBe(200);
    const got = await waitEntry(agent, (e) => typeOf(e) === 'ChatPostMessage' && inner(e).body === 'Hello, it has been a week');
    expect(got).toBeDefined();
    // the JWT is single-use, as establishSessions' is
    const again = await call(s.url, 'POST', cpath('requestEngagement'), { body: {}, headers: { authorization: `Bearer ${r.json.jwt}` } });
    expect(again.status).toBe(403);
    await call(s.url, 'POST', cpath('concludeEngagement'), { body: {}, headers: { SessionId: start.json.sessionId } });
    await agent.call('logoff', { forceLogoff: true });
  });

  it.each(PATHS)('%s: wrong credentials are 401 with the Basic challenge', async (path) => {
    for (const cred of [['integ', 'wrong'], ['bot', 'bot-pw'], ['nobody', 'x']] as Array<[string, string]>) {
      const r = await authenticate(path, { authUserName: 'x' }, cred);
      expect(r.status, cred.join(':')).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('Basic');
    }
    const none = await call(s.url, 'POST', path, { body: { authUserName: 'x' } });
    expect(none.status).toBe(401);
  });

  it.each(PATHS)('%s: authUserName missing, null, empty or not a string is 400 naming it; other fields of the wrong type too', async (path) => {
    for (const body of [{}, { authUserName: null }, { authUserName: '' }, { authUserName: 42 }, { firstName: 'Fiona' }]) {
      const r = await authenticate(path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.code).toBe('INVALID_FIELD');
      expect(String(r.json.message).startsWith('authUserName:'), r.json.message).toBe(true);
    }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ firstName: 7 }, 'firstName'],
      [{ allowAgentAttachments: 'yes' }, 'allowAgentAttachments'],
      [{ queueId: 'two' }, 'queueId'],
      [{ contactId: { id: 1 } }, 'contactId'],
      [{ clientType: 'AGENT' }, 'clientType'],
    ];
    for (const [extra, field] of cases) {
      const r = await authenticate(path, { authUserName: 'fiona', ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(String(r.json.message).startsWith(`${field}:`), r.json.message).toBe(true);
    }
    const big = await authenticate(path, { authUserName: 'fiona', question: 'q'.repeat(5000) });
    expect(big.status).toBe(413);
    expect((await call(s.url, 'POST', path, { raw: '[1]', headers: { authorization: basic('integ', 'integ-pw'), 'content-type': 'application/json' } })).json.code).toBe('BODY_NOT_OBJECT');
  });
});

describe('chatAuthenticate behind a public address, under the sign-in throttle', () => {
  let p: TestServer;
  beforeAll(async () => {
    p = await startTestServer({ shards: 1, authMaxFailures: 2, publicUrl: 'https://chat.acme.com', configDir: tenantConfigDir({ [`${SITE}.yaml`]: TENANT }) });
  });
  afterAll(async () => p?.stop());

  it('hands out the public domain, no port when it is the scheme default, and counts failed sign-ins with establishSessions', async () => {
    const ok = await call(p.url, 'POST', PATHS[1] as string, { body: { authUserName: 'ada' }, headers: { authorization: basic('integ', 'integ-pw') } });
    expect(ok.status).toBe(201);
    expect(ok.json.domain).toBe('chat.acme.com');
    expect('port' in ok.json).toBe(false);
    // one failure on each issuer endpoint: the third try of the user is refused on either
    expect((await call(p.url, 'POST', PATHS[0] as string, { body: { authUserName: 'ada' }, headers: { authorization: basic('integ', 'guess1') } })).status).toBe(401);
    expect((await call(p.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { body: {}, headers: { authorization: basic('integ', 'guess2') } })).status).toBe(401);
    const blocked = await call(p.url, 'POST', PATHS[1] as string, { body: { authUserName: 'ada' }, headers: { authorization: basic('integ', 'integ-pw') } });
    expect(blocked.status).toBe(429);
    expect(blocked.json.code).toBe('TOO_MANY_ATTEMPTS');
  });
});
