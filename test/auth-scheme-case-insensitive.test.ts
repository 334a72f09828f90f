// The authentication scheme is a case-insensitive token (RFC 9110 §11.1): `bearer`, `BEARER` and
// `Bearer` are one scheme, as `basic` and `Basic` are. A client library that lower-cases it is
// signed in, not refused 401 (admin — where each refusal counted toward the 429 lockout) or 403
// INVALID_TOKEN (a consumer's or agent's token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, establish } from './helpers/client.ts';
import { apath } from './helpers/agent-client.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

const basicAs = (scheme: string, user: string, pass: string): string => `${scheme} ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('authorization scheme case', () => {
  it.each(['bearer', 'BEARER', 'bEaReR'])('admin token as "%s …"', async (scheme) => {
    const r = await call(s.url, 'GET', '/admin/v1/stats', { headers: { authorization: `${scheme} test-admin` } });
    expect(r.status).toBe(200);
  });

  it.each(['bearer', 'BEARER'])('consumer JWT as "%s …" on requestEngagement', async (scheme) => {
    const est = await establish(s.url);
    expect(est.status).toBe(200);
    const r = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: {}, headers: { authorization: `${scheme} ${est.json.jwt}` } });
    expect(r.status).toBe(200);
    expect(typeof r.json.sessionId).toBe('string');
  });

  it('agent token as "bearer …" on createAutomatedAgentSession', async () => {
    const tok = await call(s.url, 'POST', `${ISSUER}/agentTokens`, { headers: { authorization: basicAs('basic', 'agent1', 'demo') } });
    expect(tok.status).toBe(200);
    const r = await call(s.url, 'POST', apath('demo', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `bearer ${tok.json.sessionToken}` } });
    expect(r.status).toBe(200);
    await call(s.url, 'POST', apath('demo', 'logoff'), { body: {}, headers: { 'X-AID': String(r.json.chatLogonResult.accountIdString), 'X-JSESSIONID': r.json.sessionId } });
  });

  it.each(['basic', 'BASIC'])('issuer credentials as "%s …"', async (scheme) => {
    const r = await call(s.url, 'POST', `${ISSUER}/establishSessions`, { body: {}, headers: { authorization: basicAs(scheme, 'demo', 'demo') } });
    expect(r.status).toBe(200);
  });

  it('still refuses a different scheme carrying the admin token', async () => {
    expect((await call(s.url, 'GET', '/admin/v1/stats', { headers: { authorization: 'Token test-admin' } })).status).toBe(401);
  });
});
