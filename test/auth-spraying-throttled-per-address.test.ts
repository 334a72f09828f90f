// Password spraying — one password tried against many user names from one address — is throttled.
// The per-(address, user) limit never saw it: 305 user names tried against agentTokens from one
// address were all answered 401 in 0.52 s, none 429. Now an address has a failure budget across
// every user and the admin token (PARLEY_AUTH_MAX_FAILURES_PER_ADDRESS within the window): past it,
// its sign-ins get 429 TOO_MANY_ATTEMPTS with Retry-After on every throttled endpoint. Successes do
// not count, and a user that signed in from the address within the window keeps signing in (its
// own per-user limit still applies), so a busy backend behind a shared proxy address is not locked
// out by a sprayer behind the same proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call, metric, sleep } from './helpers/client.ts';
import { SignInThrottle } from '../src/http/auth-throttle.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ authMaxFailures: 3, authMaxFailuresPerAddress: 5, authFailureWindowS: 2 });
});
afterAll(async () => s?.stop());

const tokens = (user: string, pass: string) => call(s.url, 'POST', `${ISSUER}/agentTokens`, { body: {}, headers: { authorization: basic(user, pass) } });
const settings = (user: string, pass: string) => call(s.url, 'GET', `${ISSUER}/serviceSettings/1`, { headers: { authorization: basic(user, pass) } });
const establish = (user: string, pass: string) => call(s.url, 'POST', `${ISSUER}/establishSessions`, { body: {}, headers: { authorization: basic(user, pass) } });
const chatAuth = (user: string, pass: string) => call(s.url, 'POST', '/serviceApi/resources/latest/chatAuthenticate', { body: { authUserName: 'ada' }, headers: { authorization: basic(user, pass) } });
const admin = (token: string) => call(s.url, 'GET', '/admin/v1/stats', { headers: { authorization: `Bearer ${token}` } });

describe('many user names from one address', () => {
  it('successes do not count against the address', async () => {
    for (let i = 0; i < 40; i++) expect((await establish('demo', 'demo')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await tokens(`nobody${i}`, 'Winter2026!')).status).toBe(401);
    await sleep(2100); // the window passes: a clean address for the next case
  });

  it('past the address budget every throttled endpoint answers 429 with Retry-After, for any user', async () => {
    expect((await establish('demo', 'demo')).status).toBe(200); // signed in from here within the window
    for (let i = 0; i < 5; i++) expect((await tokens(`user${i}`, 'Winter2026!')).status).toBe(401);
    const sprayed = await tokens('user5', 'Winter2026!');
    expect(sprayed.status).toBe(429);
    expect(sprayed.json.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(sprayed.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // a user not signed in from here lately: refused, right password included (not even compared)
    expect((await tokens('agent2', 'demo')).status).toBe(429);
    expect((await settings('agent3', 'demo')).status).toBe(429);
    expect((await chatAuth('someone', 'x')).status).toBe(429);
    expect((await admin('test-admin')).status).toBe(429);
    // the backend that signed in from here within the window goes on
    expect((await establish('demo', 'demo')).status).toBe(200);
    expect((await chatAuth('demo', 'demo')).status).toBe(201);
    await sleep(2100);
    expect((await tokens('agent2', 'demo')).status).toBe(200);
    expect((await admin('test-admin')).status).toBe(200);
    expect(await metric(s.url, 'parley_auth_throttled_total')).toBeGreaterThanOrEqual(5);
  });
});

describe('SignInThrottle', () => {
  it('keeps the address budget apart from the per-user counts and bounded in keys', () => {
    const t = new SignInThrottle({ perUser: 3, perAddress: 4, windowMs: 60_000, maxKeys: 3 });
    for (const u of ['a', 'b', 'c', 'd']) t.failed('10.0.0.1', `10.0.0.1\u0000${u}`, 0);
    expect(t.blockedFor('10.0.0.1', '10.0.0.1\u0000e', 1)).toBe(60_000 - 1);
    expect(t.blockedFor('10.0.0.2', '10.0.0.2\u0000e', 1)).toBe(0);
    for (let i = 0; i < 10; i++) t.failed(`192.0.2.${i}`, `192.0.2.${i}\u0000u`, 2);
    expect(t.size).toBeLessThanOrEqual(3 * 3);
  });
});
