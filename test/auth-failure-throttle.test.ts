// Password guessing against the issuer (Basic auth) and the admin token is throttled: after
// PARLEY_AUTH_MAX_FAILURES failures from one address for one user within the window, that pair gets
// 429 TOO_MANY_ATTEMPTS with Retry-After — even with the right password, which is not even
// compared — while other users, and the right password before the limit, are unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call, metric } from './helpers/client.ts';
import { AuthThrottle, clientAddress } from '../src/http/auth-throttle.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ authMaxFailures: 3, authFailureWindowS: 2 });
});
afterAll(async () => s?.stop());

const tokens = (user: string, pass: string) => call(s.url, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { body: {}, headers: { authorization: basic(user, pass) } });
const establish = (user: string, pass: string) => call(s.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { body: { sessionInformation: {} }, headers: { authorization: basic(user, pass) } });

describe('failed sign-ins', () => {
  it('blocks a user after the failure limit, right password included, with Retry-After; others unaffected; clears after the window', async () => {
    for (let i = 0; i < 3; i++) expect((await tokens('agent1', `guess${i}`)).status).toBe(401);
    const blocked = await tokens('agent1', 'demo');
    expect(blocked.status).toBe(429);
    expect(blocked.json.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await tokens('agent2', 'demo')).status).toBe(200); // another user from the same address
    expect((await establish('demo', 'demo')).status).toBe(200);
    expect(await metric(s.url, 'parley_auth_throttled_total')).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await tokens('agent1', 'demo')).status).toBe(200);
  });

  it('a success clears the count: the right password between failures never reaches the limit', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await establish('demo', 'typo')).status).toBe(401);
      expect((await establish('demo', 'demo')).status).toBe(200);
    }
  });

  it('throttles the admin token by address', async () => {
    const admin = (token: string) => call(s.url, 'GET', '/admin/v1/stats', { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await admin(`wrong${i}`)).status).toBe(401);
    expect((await admin('test-admin')).status).toBe(429);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await admin('test-admin')).status).toBe(200);
  });
});

describe('AuthThrottle', () => {
  it('keeps at most maxKeys keys, dropping the least recently failed', () => {
    const t = new AuthThrottle(2, 60_000, 3);
    expect(t.fail('z', 0)).toBe(false);
    expect(t.fail('z', 0)).toBe(true); // the failure that blocks: logged by the caller
    for (const k of ['a', 'b', 'c']) t.fail(k, 0);
    t.fail('a', 1); // 'a' is now the most recent
    t.fail('d', 2); // evicts 'b'
    expect(t.size).toBe(3);
    t.fail('a', 3);
    expect(t.blockedFor('a', 4)).toBe(60_000 - 4 + 1); // two failures (at 1 and 3): blocked until 1 + 60 s
    expect(t.blockedFor('b', 4)).toBe(0);
    expect(new AuthThrottle(0, 1000).blockedFor('x')).toBe(0);
  });

  it('takes the address a trusted proxy appended, not one the client wrote', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.9', false)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '1.2.3.4, 203.0.113.9', true)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '', true)).toBe('10.0.0.2');
  });
});
