// Password spraying — one password tried against many user names from one address — can be
// throttled. The per-(address, user) limit never sees it: 305 user names tried against agentTokens
// from one address were all answered 401 in 0.52 s, none 429. With PARLEY_AUTH_MAX_FAILURES_PER_ADDRESS
// set, an address has a failure budget across every user name within the window: past it, its Basic
// sign-ins get 429 TOO_MANY_ATTEMPTS with Retry-After on every issuer endpoint. Successes do not
// count, and a user that signed in from the address within the window keeps signing in (its own
// per-user limit still applies).
//
// The budget is off by default: when it was on (30), 30 made-up user names from one address locked
// every correct agent, backend and the admin token at that address out for 5 minutes — and behind a
// proxy without PARLEY_TRUST_PROXY that address is everyone's. The admin token never meets it (its
// own per-address limit only): it is a long random secret, nothing to spray, and the issuer's
// failures must not lock the operator out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call, metric, sleep } from './helpers/client.ts';
import { SignInThrottle } from '../src/http/auth-throttle.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
let s: TestServer;
beforeAll(async () => {
  // the budget set explicitly: off by default
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
    // the backend that signed in from here within the window goes on
    expect((await establish('demo', 'demo')).status).toBe(200);
    expect((await chatAuth('demo', 'demo')).status).toBe(201);
    await sleep(2100);
    expect((await tokens('agent2', 'demo')).status).toBe(200);
    expect((await admin('test-admin')).status).toBe(200);
    expect(await metric(s.url, 'parley_auth_throttled_total')).toBeGreaterThanOrEqual(4);
    await sleep(2100);
  });

  it('the admin token is never refused for the address budget, nor counts against it', async () => {
    for (let i = 0; i < 5; i++) expect((await tokens(`made-up${i}`, 'y')).status).toBe(401);
    expect((await tokens('agent2', 'demo')).status).toBe(429); // the budget is spent
    for (let i = 0; i < 5; i++) expect((await admin('test-admin')).status).toBe(200);
    await sleep(2100);
    // its failures count only against its own per-address limit (3): the next user names still get 401
    for (let i = 0; i < 2; i++) expect((await admin(`wrong${i}`)).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await tokens(`again${i}`, 'y')).status).toBe(401);
    expect((await tokens('again5', 'y')).status).toBe(429);
    expect((await admin('test-admin')).status).toBe(200);
  });
});

describe('the address budget by default', () => {
  let d: TestServer;
  beforeAll(async () => {
    d = await startTestServer(); // PARLEY_AUTH_MAX_FAILURES_PER_ADDRESS left at its default
  });
  afterAll(async () => d?.stop());

  it('is off: 40 made-up user names from one address, then correct agents, backends and the admin token sign in', async () => {
    const on = (path: string, user: string, pass: string) => call(d.url, 'POST', `${ISSUER}/${path}`, { body: {}, headers: { authorization: basic(user, pass) } });
    for (let i = 0; i < 40; i++) expect((await on('establishSessions', `x${i}`, 'y')).status).toBe(401);
    expect((await on('agentTokens', 'agent1', 'demo')).status).toBe(200);
    expect((await on('establishSessions', 'demo', 'demo')).status).toBe(200);
    expect((await call(d.url, 'GET', '/admin/v1/stats', { headers: { authorization: `Bearer ${d.adminToken}` } })).status).toBe(200);
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

  it('leaves a sign-in without an address budget (the admin token) to its own limit', () => {
    const t = new SignInThrottle({ perUser: 3, perAddress: 2, windowMs: 60_000 });
    for (const u of ['a', 'b']) t.failed('10.0.0.1', `10.0.0.1\u0000${u}`, 0);
    expect(t.blockedFor('10.0.0.1', '10.0.0.1\u0000c', 1)).toBeGreaterThan(0);
    expect(t.blockedFor(undefined, '10.0.0.1', 1)).toBe(0);
    for (let i = 0; i < 3; i++) t.failed(undefined, '10.0.0.9', 1);
    expect(t.blockedFor(undefined, '10.0.0.9', 2)).toBe(60_000 - 1);
    expect(t.blockedFor('10.0.0.9', '10.0.0.9\u0000a', 2)).toBe(0);
  });
});
