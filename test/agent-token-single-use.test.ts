// An agent logon token (agentTokens) is single-use, as a consumer's is (spec §2.2: "reject expired
// or replayed tokens with 403"). It used to open a new session on every use for its whole hour, each
// one taking over the agent's live session: a token seen once on the wire was as good as the password.
// Found by exploratory testing (one token: 200, 200, 200).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call } from './helpers/client.ts';
import { agentFor, apath } from './helpers/agent-client.ts';

async function agentToken(base: string, user: string): Promise<string> {
  const r = await call(base, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: basic(user, 'demo') } });
  expect(r.status).toBe(200);
  return String(r.json.sessionToken);
}

const logon = (base: string, jwt: string) =>
  call(base, 'POST', apath('demo', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `Bearer ${jwt}` } });

describe('agent logon tokens are single-use', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ shards: 2 });
  });
  afterAll(async () => {
    await s.stop();
  });

  it('refuses a second logon with the same token (403 INVALID_TOKEN) and leaves the first session alone', async () => {
    const jwt = await agentToken(s.url, 'agent1');
    const first = await logon(s.url, jwt);
    expect(first.status).toBe(200);
    const again = await logon(s.url, jwt);
    expect(again.status).toBe(403);
    expect(again.json.code).toBe('INVALID_TOKEN');
    // a replayed logon would have taken the account's session over: the first id still works
    const a = agentFor(s.url, 'demo', String(first.json.sessionId), String(first.json.chatLogonResult.accountIdString), String(first.json.chatLogonResult.clientIdString));
    expect((await a.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 })).status).toBe(200);
    // a fresh token logs on as usual (and takes the session over, as a re-logon does)
    const next = await logon(s.url, await agentToken(s.url, 'agent1'));
    expect(next.status).toBe(200);
    expect(next.json.sessionId).not.toBe(first.json.sessionId);
    await call(s.url, 'POST', apath('demo', 'logoff'), { body: { forceLogoff: true }, headers: { 'X-AID': String(next.json.chatLogonResult.accountIdString), 'X-JSESSIONID': String(next.json.sessionId) } });
  });
});

describe('agent logon tokens stay used across a restart', () => {
  it('refuses a token used before the restart, and takes a fresh one', async () => {
    let s: TestServer = await startTestServer({ shards: 2 });
    try {
      const jwt = await agentToken(s.url, 'agent2');
      expect((await logon(s.url, jwt)).status).toBe(200);
      await s.stop();
      s = await startTestServer({ shards: 2, dataDir: s.dataDir, configDir: s.configDir });
      const again = await logon(s.url, jwt);
      expect(again.status).toBe(403);
      expect(again.json.code).toBe('INVALID_TOKEN');
      expect((await logon(s.url, await agentToken(s.url, 'agent2'))).status).toBe(200);
    } finally {
      await s.stop();
    }
  }, 60_000);
});
