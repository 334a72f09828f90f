// Every 400 INVALID_FIELD names its field and the shape expected (README, Error codes: "the message
// names it"), so a client can tell which of its fields to fix. Six answers used to carry only the
// catalogue's "A request field is missing or has the wrong type." — establishSessions' application
// context and sessionInformation, getQueueStats' queueId and chatProactiveAvailableType,
// createAutomatedAgentSession's logonOverride and sequenceNumber — and the admin fault endpoints'
// shard number and mode. The catalogue's INVALID_FIELD has no default message any more (src/errors.ts
// types it so), so a new one cannot be written without one; this goes over each endpoint's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import WebSocket from 'ws';
import { basic, call, cpath, newConsumer } from './helpers/client.ts';
import { newAgent, apath, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let a: Agent;
beforeAll(async () => {
  s = await startTestServer({ faultInjection: true, shards: 2 });
  a = await newAgent(s.url, 'agent1');
});
afterAll(async () => {
  await a?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const ISSUER = '/services/rest/crossChannelServices/latest';
const q = (o: unknown): string => `request=${encodeURIComponent(JSON.stringify(o))}`;
const admin = { authorization: 'Bearer test-admin' };

async function agentToken(): Promise<string> {
  const r = await call(s.url, 'POST', `${ISSUER}/agentTokens`, { headers: { authorization: basic('agent2', 'demo') } });
  return String(r.json.sessionToken);
}

/** [field, request] — each answered 400 INVALID_FIELD naming `field` */
type Case = [field: string, send: () => Promise<{ status: number; json: { code?: string; message?: string } }>];

const cases: Case[] = [
  // issuer
  ['OSvC-CREST-Application-Context', () => call(s.url, 'POST', `${ISSUER}/establishSessions`, { body: {}, headers: { authorization: basic('demo', 'demo'), 'OSvC-CREST-Application-Context': 'x'.repeat(41) } })],
  ['sessionInformation', () => call(s.url, 'POST', `${ISSUER}/establishSessions`, { body: { sessionInformation: 42 }, headers: { authorization: basic('demo', 'demo') } })],
  ['sessionInformation', () => call(s.url, 'POST', `${ISSUER}/establishSessions`, { body: { sessionInformation: '{"firstName":' }, headers: { authorization: basic('demo', 'demo') } })],
  ['sessionInformation', () => call(s.url, 'POST', `${ISSUER}/establishSessions`, { body: { sessionInformation: '[1,2]' }, headers: { authorization: basic('demo', 'demo') } })],
  // consumer GET endpoints
  ['queueId', () => call(s.url, 'GET', `/engagement/api/consumer/demo/v1/getQueueStats?${q({ queueId: 'x' })}`)],
  ['chatProactiveAvailableType', () => call(s.url, 'GET', `/engagement/api/consumer/demo/v1/getQueueStats?${q({ chatProactiveAvailableType: 'BOTH' })}`)],
  ['queueId', () => call(s.url, 'GET', `/engagement/api/consumer/demo/v1/getEngagementQueue?${q({ queueId: 1.5 })}`)],
  ['request', () => call(s.url, 'GET', '/engagement/api/consumer/demo/v1/getQueueStats')],
  ['customFields[0].type', () => call(s.url, 'GET', `/engagement/api/consumer/demo/v1/getEngagementQueue?${q({ customFields: [{ name: 'a', value: 'b' }] })}`)],
  // agent logon
  ['logonOverride', async () => call(s.url, 'POST', apath('demo', 'createAutomatedAgentSession'), { body: { logonOverride: 'yes' }, headers: { authorization: `Bearer ${await agentToken()}` } })],
  ['sequenceNumber', async () => call(s.url, 'POST', apath('demo', 'createAutomatedAgentSession'), { body: { sequenceNumber: 'abc' }, headers: { authorization: `Bearer ${await agentToken()}` } })],
  // agent calls
  ['sequenceNumber', () => a.call('getMessages', { sequenceNumber: 'abc' })],
  ['status', () => a.call('setActivityStatus', { status: 'BUSY' })],
  ['destinationId', () => a.call('postMessage', { body: 'x', destinationType: 'ENGAGEMENT' })],
  ['engagementId', () => a.call('concludeChat', {})],
  // consumer calls
  ['body', async () => call(s.url, 'POST', cpath('demo', 'postMessage'), { body: { body: 7 }, headers: { SessionId: (await newConsumer(s.url)).sessionId } })],
  ['mode', async () => call(s.url, 'POST', cpath('demo', 'activity'), { body: { mode: 'AWAY' }, headers: { SessionId: (await newConsumer(s.url)).sessionId } })],
  ['clientTransactionId', async () => call(s.url, 'POST', cpath('demo', 'getMessages'), { body: { clientTransactionId: 'abc' }, headers: { SessionId: (await newConsumer(s.url)).sessionId } })],
  // admin fault injection
  ['n', () => call(s.url, 'POST', '/admin/v1/shards/9/fault?mode=throw', { headers: admin })],
  ['n', () => call(s.url, 'POST', '/admin/v1/shards/x/fault?mode=throw', { headers: admin })],
  ['mode', () => call(s.url, 'POST', '/admin/v1/shards/0/fault?mode=explode', { headers: admin })],
  ['mode', () => call(s.url, 'POST', '/admin/v1/http/fault?mode=explode', { headers: admin })],
];

describe('INVALID_FIELD answers', () => {
  it.each(cases.map(([field, send], i) => [i, field, send] as const))('#%i names %s and the shape expected', async (_i, field, send) => {
    const r = await send();
    expect([r.status, r.json?.code]).toEqual([400, 'INVALID_FIELD']);
    expect(r.json.message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: (expected|.*expected)`));
  });

  it('the WebSocket resume point too', async () => {
    const c = await newConsumer(s.url);
    const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/engagement/api/consumer/demo/v1/ws?sessionId=${c.sessionId}&after=x`);
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      ws.once('open', () => reject(new Error('upgraded')));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += String(d)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'INVALID_FIELD', message: expect.stringMatching(/^after: expected /) });
  });
});
