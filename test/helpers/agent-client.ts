// A real agent client over HTTP (fetch) and WebSocket (ws), as an automated agent (bot) written
// against Oracle's agent API drives it: serviceSettings → agentTokens → createAutomatedAgentSession,
// then X-AID + X-JSESSIONID on every call.
import { basic, call, openWs, type Res, type WsClient } from './client.ts';

export type Entry = Record<string, Record<string, unknown>>;

export interface Agent {
  site: string;
  sessionId: string;
  accountId: string;
  clientId: string;
  /** every getResponseTypes entry received by poll(), in order (ChatGetTimeout included) */
  seen: Entry[];
  call(op: string, body?: unknown): Promise<Res>;
  poll(): Promise<Res>;
  /** `after` null: no `after=` parameter at all */
  ws(after?: number | null): WsClient;
}

export const apath = (site: string, op: string): string => `/engagement/api/agent/${site}/v1/${op}?pool=1:1`;
export const typeOf = (e: Entry): string => Object.keys(e)[0] ?? '';
export const inner = (e: Entry): Record<string, unknown> => Object.values(e)[0] ?? {};
export const engOf = (e: Entry): string => String(inner(e).engagementIdString ?? '');
export const OFFER = 'ChatEngagementAssignmentNotification';

export async function newAgent(base: string, user = 'agent1', site = 'demo', pass = 'demo'): Promise<Agent> {
  const ss = await call(base, 'GET', '/services/rest/crossChannelServices/latest/serviceSettings/1', { headers: { authorization: basic(user, pass) } });
  if (ss.status !== 200) throw new Error(`serviceSettings ${ss.status} ${ss.text}`);
  const tok = await call(base, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: basic(user, pass) } });
  if (tok.status !== 200) throw new Error(`agentTokens ${tok.status} ${tok.text}`);
  const s = await call(base, 'POST', apath(site, 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `Bearer ${tok.json.sessionToken}` } });
  if (s.status !== 200) throw new Error(`createAutomatedAgentSession ${s.status} ${s.text}`);
  return agentFor(base, site, s.json.sessionId, String(s.json.chatLogonResult.accountIdString), String(s.json.chatLogonResult.clientIdString));
}

/** A client for an existing session (e.g. the same X-JSESSIONID after a server restart). */
export function agentFor(base: string, site: string, sessionId: string, accountId: string, clientId: string): Agent {
  const a: Agent = {
    site,
    sessionId,
    accountId,
    clientId,
    seen: [],
    call: (op, body = {}) => call(base, 'POST', apath(site, op), { body, headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId } }),
    poll: async () => {
      const r = await a.call('getMessages', {});
      if (r.status === 200) a.seen.push(...(r.json.getResponseTypes as Entry[]));
      return r;
    },
    ws: (after = 0) => openWs(base, `/engagement/api/agent/${site}/v1/ws${after === null ? '' : `?after=${after}`}`, { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId }),
  };
  return a;
}

/** Polls until an entry matching `pred` has been seen (bounded by `tries` long polls). */
export async function waitEntry(a: Agent, pred: (e: Entry) => boolean, tries = 8): Promise<Entry | undefined> {
  for (let i = 0; i < tries; i++) {
    const hit = a.seen.find(pred);
    if (hit) return hit;
    await a.poll();
  }
  return a.seen.find(pred);
}

export async function waitMessage(u: { seen: Array<Record<string, unknown>>; poll(): Promise<Res> }, pred: (m: Record<string, unknown>) => boolean, tries = 8): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < tries; i++) {
    const hit = u.seen.find(pred);
    if (hit) return hit;
    await u.poll();
  }
  return u.seen.find(pred);
}

export async function ready(a: Agent, max = 1): Promise<void> {
  const st = await a.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 });
  if (st.status !== 200) throw new Error(`setActivityStatus ${st.status} ${st.text}`);
  const ra = await a.call('requestAssignment', { assignmentRequested: true, idleSessionCount: max, maxSessionCount: max });
  if (ra.status !== 200) throw new Error(`requestAssignment ${ra.status} ${ra.text}`);
}

export const accept = (a: Agent, engagementId: string): Promise<Res> =>
  a.call('assignmentAcknowledgement', { action: 'ACCEPT', actionType: 'MANUAL', assignmentType: 'LEAD', engagementId: Number(engagementId) });

export const decline = (a: Agent, engagementId: string): Promise<Res> =>
  a.call('assignmentAcknowledgement', { action: 'DECLINE', actionType: 'MANUAL', assignmentType: 'LEAD', engagementId: Number(engagementId) });

export const isOfferOf = (engagementId: string) => (e: Entry): boolean => typeOf(e) === OFFER && engOf(e) === engagementId;

/** `a` waits for the offer of `engagementId` and accepts it (throws when either fails). */
export async function takeOffer(a: Agent, engagementId: string): Promise<void> {
  if (!(await waitEntry(a, isOfferOf(engagementId)))) throw new Error(`no offer of ${engagementId} reached ${a.accountId}`);
  const r = await accept(a, engagementId);
  if (r.status !== 200) throw new Error(`accepting ${engagementId}: ${r.status} ${r.text}`);
}

/** Distinct words per number (Tier-1 masks digits, so texts of one sender must differ in words). */
export const word = (k: number): string => {
  let s = '';
  let n = k + 26;
  while (n) {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
};
