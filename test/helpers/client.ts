// Real HTTP (fetch) and WebSocket (ws) clients for the consumer side, as a chat front uses them.
import WebSocket from 'ws';

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test client: responses are asserted field by field
}

export async function call(base: string, method: string, p: string, opts: { body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | Uint8Array | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(base + p, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const basic = (u: string, p: string): string => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
export const cpath = (site: string, op: string): string => `/engagement/api/consumer/${site}/v1/${op}?pool=1:1`;

let serial = 0;

export interface Consumer {
  jwt: string;
  sessionId: string;
  engagementId: string;
  clientId: string;
  seen: Array<Record<string, unknown>>;
  post(body: string, extra?: Record<string, unknown>): Promise<Res>;
  poll(): Promise<Res>;
  conclude(): Promise<Res>;
}

export async function establish(base: string, info: Record<string, unknown> = {}, user = 'demo', pass = 'demo'): Promise<Res> {
  return call(base, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { body: { sessionInformation: info }, headers: { authorization: basic(user, pass) } });
}

export async function newConsumer(base: string, site = 'demo', info?: Record<string, unknown>, cred: [string, string] = ['demo', 'demo']): Promise<Consumer> {
  const n = `${process.pid}-${++serial}-${Math.random().toString(36).slice(2, 8)}`;
  const est = await establish(base, info ?? { firstName: 'Ada', lastName: `T${n}`, emailAddress: `ada.${n}@example.com` }, ...cred);
  if (est.status !== 200) throw new Error(`establishSessions ${est.status} ${est.text}`);
  const jwt = est.json.jwt as string;
  const req = await call(base, 'POST', cpath(site, 'requestEngagement'), { body: {}, headers: { authorization: `Bearer ${jwt}` } });
  if (req.status !== 200) throw new Error(`requestEngagement ${req.status} ${req.text}`);
  const c: Consumer = {
    jwt,
    sessionId: req.json.sessionId,
    engagementId: req.json.engagementIdString,
    clientId: req.json.clientIdString,
    seen: [],
    post: (body, extra = {}) => call(base, 'POST', cpath(site, 'postMessage'), { body: { body, ...extra }, headers: { SessionId: c.sessionId } }),
    poll: async () => {
      const r = await call(base, 'POST', cpath(site, 'getMessages'), { body: {}, headers: { SessionId: c.sessionId } });
      if (r.status === 200) c.seen.push(...(r.json.systemMessages as Array<Record<string, unknown>>));
      return r;
    },
    conclude: () => call(base, 'POST', cpath(site, 'concludeEngagement'), { body: {}, headers: { SessionId: c.sessionId } }),
  };
  return c;
}

export async function transcript(base: string, engagementId: string, token = 'test-admin'): Promise<Res> {
  return call(base, 'GET', `/admin/v1/engagements/${engagementId}/transcript`, { headers: { authorization: `Bearer ${token}` } });
}

export interface WsClient {
  ws: WebSocket;
  frames: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  /** client-side errors (a refused upgrade, an invalid frame, a reset), for assertion messages */
  errors: string[];
  seqs(): number[];
}

/** Opens a WebSocket and flattens array frames into `frames`. */
export function openWs(base: string, p: string, headers: Record<string, string> = {}): WsClient {
  const ws = new WebSocket(base.replace(/^http/, 'ws') + p, { headers });
  const frames: Array<Record<string, unknown>> = [];
  ws.on('message', (d) => {
    const v: unknown = JSON.parse(String(d));
    if (Array.isArray(v)) frames.push(...(v as Array<Record<string, unknown>>));
    else frames.push(v as Record<string, unknown>);
  });
  const errors: string[] = [];
  ws.on('error', (e) => errors.push(String(e)));
  const opened = new Promise<void>((ok, ko) => {
    ws.once('open', () => ok());
    ws.once('unexpected-response', (_req, res) => {
      // the refusal's body (a coded error) goes into the message, for tests that check the code
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => ko(new Error(`upgrade refused: ${res.statusCode} ${body}`)));
    });
    ws.once('error', ko);
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  return { ws, frames, opened, closed, errors, seqs: () => frames.map((f) => Number(f.sequenceNumber)) };
}

/** One sample of the operator metrics (its name and labels exactly as rendered); NaN when absent. */
export async function metric(base: string, sample: string, token = 'test-admin'): Promise<number> {
  const text = await (await fetch(`${base}/admin/v1/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? NaN : Number(line.slice(sample.length + 1));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `pred` until true or the deadline (for asynchronous delivery, not for timing assertions). */
export async function until(pred: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return true;
    await sleep(20);
  }
  return pred();
}
