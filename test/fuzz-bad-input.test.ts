// Property: whatever a client sends to any endpoint — random JSON values, wrong types, huge or
// deep structures, broken bytes, odd headers — the answer is a 2xx or a coded 4xx, never a 5xx,
// a hang or a crash, and the server keeps serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, type Consumer } from './helpers/client.ts';
import { newAgent, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let c: Consumer;
let a: Agent;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 200 });
  c = await newConsumer(s.url);
  a = await newAgent(s.url, 'agent1');
});
afterAll(async () => s?.stop());

const CONSUMER = ['requestEngagement', 'getMessages', 'activity', 'postMessage', 'concludeEngagement', 'noSuch'];
const AGENT = ['setActivityStatus', 'requestAssignment', 'assignmentAcknowledgement', 'getMessages', 'postMessage', 'setInteractionStatus', 'concludeChat', 'releaseChat', 'setEngagementProperty', 'modifyProperties', 'retrieveAgentsAndQueues', 'rerouteEngagement'];
const FIELDS = ['body', 'mode', 'engagementId', 'clientTransactionId', 'clientRequestTime', 'messageId', 'richText', 'destinationId', 'destinationType', 'action', 'actionType', 'assignmentType', 'status', 'subTypeId', 'maxSessionCount', 'idleSessionCount', 'assignmentRequested', 'propertiesMap', 'name', 'value', 'type', 'forceLogoff', 'sequenceNumber'];

const value = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String),
  fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  fc.constantFrom(9007199254740993, -1, 0, 1e308, 'ACCEPT', 'LEAD', 'AVAILABLE', 'RESPONDING', 'ENGAGEMENT', '\u202e\u0000'),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
);

const isFine = (r: { status: number; json: { code?: unknown } | undefined }): boolean =>
  (r.status >= 200 && r.status < 300) || (r.status >= 400 && r.status < 500 && typeof r.json?.code === 'string');

describe('fuzzed requests', () => {
  it('consumer endpoints answer 2xx or coded 4xx to anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CONSUMER), body, fc.boolean(), async (op, raw, withSession) => {
        const r = await call(s.url, 'POST', `/engagement/api/consumer/demo/v1/${op}?pool=1:1`, { raw, headers: withSession ? { SessionId: c.sessionId } : { SessionId: raw.slice(0, 40).replace(/[^\x20-\x7e]/g, '') } });
        expect(isFine(r), `${op} ${raw.slice(0, 60)} → ${r.status} ${r.text.slice(0, 80)}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('agent endpoints answer 2xx or coded 4xx to anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...AGENT), body, async (op, raw) => {
        const r = await call(s.url, 'POST', `/engagement/api/agent/demo/v1/${op}?pool=1:1`, { raw, headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId } });
        expect(isFine(r), `${op} ${raw.slice(0, 60)} → ${r.status} ${r.text.slice(0, 80)}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('still serves afterwards', async () => {
    const fresh = await newConsumer(s.url);
    expect((await fresh.post('still here after the fuzzing')).status).toBe(200);
  });
});
