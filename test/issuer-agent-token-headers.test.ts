// agentTokens takes the same three headers as establishSessions (spec §2.2: "same three headers
// as above"), so its OSvC-CREST-Application-Context is held to the same 40 characters, and its
// "empty body only" refusal says what it wants instead of the catalogue's bare BAD_REQUEST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

const token = (headers: Record<string, string>, opts: { body?: unknown; raw?: string } = {}) =>
  call(s.url, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { ...opts, headers: { authorization: basic('agent1', 'demo'), ...headers } });

describe('agentTokens request checks', () => {
  it('refuses an application context over 40 characters, naming the header; 40 pass', async () => {
    const over = await token({ 'OSvC-CREST-Application-Context': 'x'.repeat(41) }, { body: {} });
    expect(over.status).toBe(400);
    expect(over.json).toMatchObject({ code: 'INVALID_FIELD', message: 'OSvC-CREST-Application-Context: expected free text of at most 40 characters (a header), got 41' });
    expect((await token({ 'OSvC-CREST-Application-Context': 'x'.repeat(40) }, { body: {} })).status).toBe(200);
  });

  it('takes an empty object or no body, and says so when given attributes', async () => {
    expect((await token({}, { body: {} })).status).toBe(200);
    expect((await token({}, { raw: '' })).status).toBe(200);
    const r = await token({}, { body: { user: 'agent1' } });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'BAD_REQUEST', message: 'agentTokens takes an empty body: no attributes are accepted (send {} or nothing).' });
  });
});
