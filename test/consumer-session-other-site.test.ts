// A consumer session belongs to its tenant: used under another site's path (`{fqSiteName}`, spec
// §1.1) it is an unknown session there, 403 SESSION_UNKNOWN (spec §1.6; the agent API answers the
// same) — on every consumer endpoint and the WebSocket. Served there, an acme chat was readable
// under demo's CORS policy ("*"), past acme's own origin list, and writable under any site's path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, openWs, transcript } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({
    'acme.yaml': ['site: acme', 'credentials: [{ user: acme, password: pw }]', 'cors: { origins: ["https://www.acme.example"] }'].join('\n'),
  });
  s = await startTestServer({ configDir });
});
afterAll(async () => s?.stop());

const EVIL = 'https://evil.example';

describe('a consumer session used under another site', () => {
  it('is refused 403 SESSION_UNKNOWN on every consumer endpoint, and the session is untouched', async () => {
    const c = await newConsumer(s.url, 'acme', undefined, ['acme', 'pw']);
    const bodies: Record<string, unknown> = {
      getMessages: {},
      postMessage: { body: 'posted under the wrong site' },
      activity: { mode: 'RESPONDING' },
      concludeEngagement: {},
    };
    for (const [op, body] of Object.entries(bodies)) {
      const r = await call(s.url, 'POST', cpath('demo', op), { body, headers: { SessionId: c.sessionId, origin: EVIL } });
      expect([op, r.status, r.json?.code]).toEqual([op, 403, 'SESSION_UNKNOWN']);
      expect(r.text, op).not.toContain(c.engagementId);
    }
    // nothing happened to the chat: not concluded, nothing posted
    expect((await c.post('still open', { messageId: 'm1' })).status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect((t.json.messages as Array<{ body: string }>).map((m) => m.body)).toEqual(['still open']);
    // and under its own site it works as before
    const own = await call(s.url, 'POST', cpath('acme', 'getMessages'), { body: {}, headers: { SessionId: c.sessionId } });
    expect(own.status).toBe(200);
    await c.conclude();
  });

  it('is refused on the WebSocket too', async () => {
    const c = await newConsumer(s.url, 'acme', undefined, ['acme', 'pw']);
    const other = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${c.sessionId}`);
    await expect(other.opened).rejects.toThrow('upgrade refused: 403');
    const own = openWs(s.url, `/engagement/api/consumer/acme/v1/ws?sessionId=${c.sessionId}`);
    await own.opened;
    own.ws.close();
    await c.conclude();
  });
});
