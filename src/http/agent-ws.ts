// Agent WebSocket delivery: the same getResponseTypes entries agent getMessages returns, as
// `{"getResponseTypes":[...]}` frames in sequence order, each entry once per socket; `?after=<seq>`
// resumes. The session comes from X-AID / X-JSESSIONID headers or aid / jsessionid query parameters.
//
// Lifetimes as for the consumer socket (ws.ts): headers are copied in `upgrade`, onAborted is
// attached before asking the home shard, frames arriving before `open` are buffered; a socket over
// wsMaxBackpressure is closed (4008) and the client resumes with ?after=.
import type { TemplatedApp, WebSocket, us_socket_context_t } from 'uWebSockets.js';
import { begin, sendError } from './respond.ts';
import type { HttpContext } from './context.ts';
import { shardOfVshard, vshardOfSite } from '../router/ids.ts';
import { CLOSE_BACKPRESSURE, CLOSE_GOING_AWAY } from './ws.ts';

interface WsData {
  wsId: number;
  site: string;
  token: string;
  shard: number;
}

interface Slot {
  ws: WebSocket<WsData> | undefined;
  early: string[];
  ended: boolean;
}

export class AgentWsHub {
  private readonly slots = new Map<number, Slot>();
  private nextId = 1;

  constructor(private readonly ctx: HttpContext) {}

  routes(app: TemplatedApp): void {
    app.ws<WsData>('/engagement/api/agent/:site/v1/ws', {
      maxPayloadLength: 16 * 1024,
      idleTimeout: 120,
      maxBackpressure: this.ctx.cfg.wsMaxBackpressure * 2,
      sendPingsAutomatically: true,
      upgrade: (res, req, context: us_socket_context_t) => {
        const site = req.getParameter(0) ?? '';
        const q = (k: string): string => req.getQuery(k) ?? '';
        const token = decodeURIComponent(req.getHeader('x-jsessionid') || q('jsessionid') || q('X-JSESSIONID') || q('JSESSIONID')).trim();
        const aid = decodeURIComponent(req.getHeader('x-aid') || q('aid') || q('X-AID') || q('accountId')).trim();
        const afterRaw = q('after') || '0';
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        const x = begin(res);
        if (!this.ctx.tenants.get(site)) return sendError(x, 'UNKNOWN_SITE');
        const who = this.ctx.agents.check(site, token, aid);
        if ('error' in who) return sendError(x, who.error);
        const after = Number(afterRaw);
        if (!Number.isSafeInteger(after) || after < 0) return sendError(x, 'INVALID_FIELD');
        const wsId = this.nextId++;
        const shard = shardOfVshard(vshardOfSite(site), this.ctx.shards.shardCount);
        this.slots.set(wsId, { ws: undefined, early: [], ended: false });
        const data: WsData = { wsId, site, token, shard };
        this.ctx.shards.requestAgent(shard, { op: 'agentWsSubscribe', who, after, wsId }, (r) => {
          if ('error' in r || r.status !== 200 || x.aborted) {
            this.drop(data);
            if ('error' in r) sendError(x, r.error);
            else if (r.status !== 200) sendError(x, 'SESSION_UNKNOWN');
            return;
          }
          x.done = true;
          res.cork(() => res.upgrade(data, key, protocol, extensions, context));
        });
      },
      open: (ws) => {
        const d = ws.getUserData();
        const slot = this.slots.get(d.wsId);
        if (!slot) return void ws.end(1011, 'subscription lost');
        slot.ws = ws;
        for (const f of slot.early.splice(0)) this.write(slot, d, f);
        if (slot.ended) ws.end(1000, 'agent session ended');
      },
      message: () => {
        // one-way stream: agent actions go through the REST calls
      },
      close: (ws) => {
        const d = ws.getUserData();
        const slot = this.slots.get(d.wsId);
        if (slot) slot.ws = undefined;
        this.drop(d);
      },
    });
  }

  private drop(d: WsData): void {
    if (!this.slots.delete(d.wsId)) return;
    this.ctx.shards.send(d.shard, { k: 'agentReq', id: 0, op: { op: 'agentWsUnsubscribe', site: d.site, token: d.token, wsId: d.wsId } });
  }

  private write(slot: Slot, d: WsData, json: string): void {
    const ws = slot.ws;
    if (!ws) return;
    if (ws.getBufferedAmount() > this.ctx.cfg.wsMaxBackpressure) {
      ws.end(CLOSE_BACKPRESSURE, 'backpressure: reconnect with ?after=<last sequenceNumber>');
      slot.ws = undefined;
      this.drop(d);
      return;
    }
    ws.send(json, false);
  }

  push(wsId: number, json: string): void {
    const slot = this.slots.get(wsId);
    if (!slot) return;
    const ws = slot.ws;
    if (!ws) {
      slot.early.push(json);
      return;
    }
    ws.cork(() => this.write(slot, ws.getUserData(), json));
  }

  end(wsId: number): void {
    const slot = this.slots.get(wsId);
    if (!slot) return;
    slot.ended = true;
    if (slot.ws) slot.ws.end(1000, 'agent session ended');
  }

  closeAll(): void {
    for (const slot of this.slots.values()) slot.ws?.end(CLOSE_GOING_AWAY, 'server going away');
  }
}
