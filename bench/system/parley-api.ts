// Minimal Parley client for setting up load: the consumer flow of chat-api.md §2.1/§3 and the
// agent log-on/accept/post flow of §7, over keep-alive node:http (setup is not the measured part).
import http from 'node:http';

export interface HttpReply {
  status: number;
  json: unknown;
  text: string;
}

export class Api {
  private readonly agent: http.Agent;
  private readonly url: URL;
  constructor(base: string, maxSockets = 64) {
    this.url = new URL(base);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, json, text });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

const basic = (u: string, p: string): string => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined);

export class ApiError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    text: string,
  ) {
    super(`${step} → ${status} ${text.slice(0, 200)}`);
  }
}

export interface ConsumerSession {
  sessionId: string;
  engagementId: string;
  pool: string;
}

export const consumerPath = (site: string, ep: string, pool: string): string =>
  `/engagement/api/consumer/${site}/v1/${ep}?pool=${encodeURIComponent(pool)}`;
export const agentPath = (site: string, ep: string, pool: string): string =>
  `/engagement/api/agent/${site}/v1/${ep}?pool=${encodeURIComponent(pool)}`;

/** establishSessions (unique e-mail = its own Tier-1 sender) → requestEngagement. */
export async function newEngagement(api: Api, site: string, user: string, pass: string, email: string): Promise<ConsumerSession> {
  const est = await api.request(
    'POST',
    '/services/rest/crossChannelServices/latest/establishSessions',
    { sessionInformation: { emailAddress: email, firstName: 'Bench' } },
    { authorization: basic(user, pass) },
  );
  if (est.status !== 200 && est.status !== 201) throw new ApiError('establishSessions', est.status, est.text);
  const e = obj(est.json);
  const jwt = str(e.jwt) ?? str(e.channelToken);
  if (!jwt) throw new ApiError('establishSessions (no jwt)', est.status, est.text);
  let pool = '1:1';
  try {
    pool = str(obj(JSON.parse(str(e.sessionServerResponse) ?? '{}')).pool) ?? pool;
  } catch {
    /* keep the default pool: single-pool deployment */
  }
  const req = await api.request('POST', consumerPath(site, 'requestEngagement', pool), {}, { authorization: `Bearer ${jwt}` });
  if (req.status !== 200) throw new ApiError('requestEngagement', req.status, req.text);
  const r = obj(req.json);
  const sessionId = str(r.sessionId);
  const engagementId = str(r.engagementIdString) ?? str(r.engagementId);
  if (!sessionId || !engagementId) throw new ApiError('requestEngagement (no sessionId)', req.status, req.text);
  return { sessionId, engagementId, pool };
}

export interface AgentSession {
  accountId: string;
  sessionId: string;
  pool: string;
  headers: Record<string, string>;
}

/** serviceSettings → agentTokens → createAutomatedAgentSession → AVAILABLE. */
export async function agentLogon(api: Api, site: string, user: string, pass: string): Promise<AgentSession> {
  const ss = await api.request('GET', '/services/rest/crossChannelServices/latest/serviceSettings/1', undefined, { authorization: basic(user, pass) });
  if (ss.status !== 200) throw new ApiError('serviceSettings', ss.status, ss.text);
  const pool = str(obj(ss.json).pool) ?? '1:1';
  const tok = await api.request('POST', '/services/rest/crossChannelServices/latest/agentTokens', undefined, { authorization: basic(user, pass) });
  if (tok.status !== 200 && tok.status !== 201) throw new ApiError('agentTokens', tok.status, tok.text);
  const t = obj(tok.json);
  const jwt = str(t.sessionToken) ?? str(t.jwt) ?? str(t.channelToken);
  if (!jwt) throw new ApiError('agentTokens (no token)', tok.status, tok.text);
  const s = await api.request('POST', agentPath(site, 'createAutomatedAgentSession', pool), {}, { authorization: `Bearer ${jwt}` });
  if (s.status !== 200) throw new ApiError('createAutomatedAgentSession', s.status, s.text);
  const so = obj(s.json);
  const lr = obj(so.chatLogonResult);
  const accountId = str(lr.accountId) ?? str(so.accountId) ?? '';
  const sessionId = str(so.sessionId) ?? '';
  const headers = { 'X-AID': accountId, 'X-JSESSIONID': sessionId };
  const st = await api.request('POST', agentPath(site, 'setActivityStatus', pool), { status: 'AVAILABLE', subTypeId: 0 }, headers);
  if (st.status !== 200) throw new ApiError('setActivityStatus', st.status, st.text);
  return { accountId, sessionId, pool, headers };
}

/** Engagement ids offered to the agent in one getMessages answer (offer type name is not fixed by the spec). */
export function offeredEngagementIds(reply: unknown): string[] {
  const out: string[] = [];
  const types = obj(reply).getResponseTypes;
  if (!Array.isArray(types)) return out;
  for (const entry of types) {
    for (const [name, inner] of Object.entries(obj(entry))) {
      if (name === 'ChatGetTimeout' || name === 'ChatPostMessage' || name === 'ChatActivitySignal') continue;
      const id = str(obj(inner).engagementIdString) ?? str(obj(inner).engagementId);
      if (id && /offer|assign|engagement/i.test(name)) out.push(id);
    }
  }
  return out;
}
