// Every agent call after createAutomatedAgentSession carries X-AID (the agent's account id) beside
// X-JSESSIONID (spec §1.3, §2.2, §4: both headers required). A call with a valid X-JSESSIONID and no
// X-AID is refused 403 ACCESS_DENIED, as one with an X-AID of another account is: the session is
// known, the caller did not show whose it is. Not SESSION_UNKNOWN: that tells a client its session
// ended, and a client logging on again would take over (end) the session it still holds. The agent
// WebSocket alike, with the account id neither in the X-AID header nor in the `aid` query parameter.
// Before, the X-AID was checked only when sent: each of these calls was answered 200 (the socket opened).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, openWs, type Res } from './helpers/client.ts';
import { apath, newAgent, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let a: Agent;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 200 });
  a = await newAgent(s.url, 'agent1');
});
afterAll(async () => {
  await a?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const code = (r: Res): string => `${r.status} ${String(r.json?.code ?? '')}`;

describe('an agent call without X-AID', () => {
  it('is refused 403 ACCESS_DENIED on POST and GET endpoints, a blank X-AID too', async () => {
    const onlySession = { 'X-JSESSIONID': a.sessionId };
    expect(code(await call(s.url, 'POST', apath('demo', 'getMessages'), { body: {}, headers: onlySession }))).toBe('403 ACCESS_DENIED');
    expect(code(await call(s.url, 'POST', apath('demo', 'setActivityStatus'), { body: { status: 'AVAILABLE', subTypeId: 0 }, headers: onlySession }))).toBe('403 ACCESS_DENIED');
    expect(code(await call(s.url, 'POST', apath('demo', 'getMessages'), { body: {}, headers: { ...onlySession, 'X-AID': '  ' } }))).toBe('403 ACCESS_DENIED');
    const get = await call(s.url, 'GET', `/engagement/api/agent/demo/v1/rerouteAvailability?pool=1:1&request=${encodeURIComponent(JSON.stringify({ engagementId: 1 }))}`, { headers: onlySession });
    expect(code(get)).toBe('403 ACCESS_DENIED');
    expect(String(get.json.message)).toMatch(/X-AID/);
    // an unknown session stays SESSION_UNKNOWN, with or without X-AID
    expect(code(await call(s.url, 'POST', apath('demo', 'getMessages'), { body: {}, headers: { 'X-JSESSIONID': 'node0nope' } }))).toBe('403 SESSION_UNKNOWN');
    // and the session is unharmed: the same call with X-AID is answered
    expect(code(await a.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 }))).toBe('200 ');
  });

  it('opens no agent WebSocket: header or query, the account id is required', async () => {
    const header = openWs(s.url, '/engagement/api/agent/demo/v1/ws', { 'X-JSESSIONID': a.sessionId });
    await expect(header.opened).rejects.toThrow(/403/);
    const query = openWs(s.url, `/engagement/api/agent/demo/v1/ws?jsessionid=${a.sessionId}`);
    await expect(query.opened).rejects.toThrow(/403/);
    const both = openWs(s.url, `/engagement/api/agent/demo/v1/ws?aid=${a.accountId}&jsessionid=${a.sessionId}`);
    await both.opened;
    both.ws.close();
  });
});
