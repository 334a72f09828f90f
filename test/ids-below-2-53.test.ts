// Every id the server mints stays below 2^53, so a browser reading the numeric field (not its
// `…String` twin) reads it right (spec §1.5 rule 3). Found by exploratory testing: an agent's
// clientId is accountId × 4 + 3, and accountId 9007199254740991 in a tenant file gave
// createAutomatedAgentSession `"clientId":36028797018963970` (the real id is …963967); and an
// accountId of 9007199254740993 was refused with the misleading "expected a positive integer".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantFile, resolveTenant } from '../src/config/tenants.ts';
import { resolveTier1 } from '../src/config/tier1.ts';
import { MAX_ACCOUNT_ID, MAX_ENGAGEMENT_ID, VSHARDS, mintEngagementId } from '../src/router/ids.ts';
import { consumerClientIdOf, systemClientIdOf } from '../workers/actor/engagement.ts';
import { agentClientIdOf } from '../workers/routing/agent-session.ts';
import { runToExit } from './helpers/process.ts';
import { startTestServer, tempDir, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { basic, call, newConsumer } from './helpers/client.ts';
import { agentFor, apath, ready, takeOffer, waitMessage } from './helpers/agent-client.ts';

const LARGEST = 2_251_799_813_685_247; // (2^53 − 4) / 4: clientId 2^53 − 1
const BOUND_MESSAGE = `agents[1].accountId: expected an integer from 1 to ${LARGEST} (an agent's clientId is accountId × 4 + 3 and must stay below 2^53)`;

const yaml = (accountId: string): string =>
  `site: big\npool: "1:1"\ncredentials: [{ user: integ, password: integ-pw }]\nagents: [{ user: bot, password: bot-pw, accountId: 42 }, { user: bot2, password: bot-pw, name: Bot Two, accountId: ${accountId} }]\n`;

const errorsOf = (accountId: string): string[] => {
  const r = resolveTenant(parseTenantFile('big.yaml', yaml(accountId)), 'big.yaml', resolveTier1);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('agent accountIds in the tenant file', () => {
  it('are refused above the largest whose clientId stays below 2^53, naming the path and that bound', () => {
    for (const id of ['2251799813685248', '9007199254740991', '9007199254740993', '0', '-4', '1.5']) expect(errorsOf(id), id).toEqual([BOUND_MESSAGE]);
    expect(errorsOf(String(LARGEST))).toEqual([]);
    expect(errorsOf('1')).toEqual([]);
  });

  it('a refused one stops start-up with that line', async () => {
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('bigacct'), PARLEY_CONFIG_DIR: tenantConfigDir({ 'big.yaml': yaml('9007199254740993') }), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1', PARLEY_DEMO_TENANT: 'off' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(BOUND_MESSAGE);
  });
});

describe('the id schemes', () => {
  it('keep every minted id below 2^53 at their bounds', () => {
    expect(MAX_ACCOUNT_ID).toBe(LARGEST);
    expect(agentClientIdOf(MAX_ACCOUNT_ID)).toBe(2 ** 53 - 1);
    expect(Number.isSafeInteger(consumerClientIdOf(MAX_ENGAGEMENT_ID))).toBe(true);
    expect(Number.isSafeInteger(systemClientIdOf(MAX_ENGAGEMENT_ID))).toBe(true);
    // the last counter of every vshard mints at most MAX_ENGAGEMENT_ID, the next none
    const last = Math.floor((MAX_ENGAGEMENT_ID - (VSHARDS - 1)) / VSHARDS);
    for (const v of [0, 1, 128, VSHARDS - 1]) {
      const id = mintEngagementId(v, last);
      expect(id, String(v)).toBeDefined();
      expect(id as number).toBeLessThanOrEqual(MAX_ENGAGEMENT_ID);
      expect(mintEngagementId(v, last + 1), String(v)).toBeUndefined();
    }
  });
});

describe('an agent with the largest accountId', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ longPollMs: 300, configDir: tenantConfigDir({ 'big.yaml': yaml(String(LARGEST)).replace('pool: "1:1"', 'pool: "1:1"\nqueues: [{ id: 1, name: Default }]') }) });
  });
  afterAll(async () => s?.stop());

  it('gets a clientId a JS client reads exactly, and the customer sees it join with that id', async () => {
    const token = await call(s.url, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: basic('bot2', 'bot-pw') } });
    const logon = await call(s.url, 'POST', apath('big', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `Bearer ${token.json.sessionToken}` } });
    expect(logon.status, logon.text).toBe(200);
    const r = logon.json.chatLogonResult;
    expect(r.accountIdString).toBe(String(LARGEST));
    // the numeric field as JSON.parse reads it, equal to its exact twin
    expect(r.clientId).toBe(2 ** 53 - 1);
    expect(String(r.clientId)).toBe(r.clientIdString);
    const agent = agentFor(s.url, 'big', logon.json.sessionId, r.accountIdString, r.clientIdString);
    await ready(agent);
    const u = await newConsumer(s.url, 'big', undefined, ['integ', 'integ-pw']);
    await takeOffer(agent, u.engagementId);
    const joined = await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantAddedMessage' && m.role === 'LEAD');
    expect(joined?.clientId).toBe(2 ** 53 - 1);
    expect(joined?.clientIdString).toBe(String(2 ** 53 - 1));
  });
});
