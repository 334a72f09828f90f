// Consumer WebSocket delivery: the same system message objects getMessages returns, as JSON array
// frames in sequence order, each exactly once per socket. `?after=<seq>` resumes.
//
// Lifetimes: the upgrade is asynchronous (the owning shard checks the session and registers the
// subscriber), so the upgrade request's headers are copied out first and onAborted is attached
// before asking the shard. Frames the shard sends before `open` ran are buffered in the slot.
// A socket whose unsent bytes exceed wsMaxBackpressure is closed (4008); the client resumes with
// ?after=<last sequence it saw> — memory stays bounded, nothing is skipped.
import type { TemplatedApp, WebSocket, us_socket_context_t } from 'uWebSockets.js';
import { begin, sendError } from './respond.ts';
import type { HttpContext } from './context.ts';
import { decodeSessionId, shardOfVshard, vshardOfId } from '../router/ids.ts';

interface WsData {
  wsId: number;
  engagementId: number;
  secret: string;
  shard: number;
}

interface Slot {
  ws: WebSocket<WsData> | undefined;
  early: string[];
  ended: boolean;
}

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_BACKPRESSURE = 4008;

export class WsHub {
  private readonly slots = new Map<number, Slot>();
  private nextId = 1;

  constructor(private readonly ctx: HttpContext) {}

  routes(app: TemplatedApp): void {
    app.ws<WsData>('/engagement/api/consumer/:site/v1/ws', {
      maxPayloadLength: 16 * 1024,
      idleTimeout: 120,
      maxBackpressure: this.ctx.cfg.wsMaxBackpressure * 2,
      sendPingsAutomatically: true,
      upgrade: (res, req, context: us_socket_context_t) => {
        const site = req.getParameter(0) ?? '';
        const token = req.getHeader('sessionid') || (req.getQuery('sessionId') ?? '') || (req.getQuery('sessionid') ?? '');
        const afterRaw = req.getQuery('after') ?? '0';
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        const x = begin(res);
        if (!this.ctx.tenants.get(site)) return sendError(x, 'UNKNOWN_SITE');
        const session = decodeSessionId(decodeURIComponent(token).trim());
        if (!session) return sendError(x, 'SESSION_UNKNOWN');
        const after = Number(afterRaw || '0');
        if (!Number.isSafeInteger(after) || after < 0) return sendError(x, 'INVALID_FIELD');
        const wsId = this.nextId++;
        const shard = shardOfVshard(vshardOfId(session.engagementId), this.ctx.shards.shardCount);
        this.slots.set(wsId, { ws: undefined, early: [], ended: false });
        const data: WsData = { wsId, engagementId: session.engagementId, secret: session.secret, shard };
        this.ctx.shards.request(shard, { op: 'wsSubscribe', site, engagementId: session.engagementId, secret: session.secret, after, wsId }, (r) => {
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
        if (slot.ended) ws.end(1000, 'engagement concluded');
      },
      message: () => {
        // the consumer stream is one-way; client frames are ignored (pings are handled by uWS)
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
    this.ctx.shards.send(d.shard, { k: 'req', id: 0, op: { op: 'wsUnsubscribe', engagementId: d.engagementId, secret: d.secret, wsId: d.wsId } });
  }

  private write(slot: Slot, d: WsData, json: string): void {
    const ws = slot.ws;
    if (!ws) return;
    if (ws.getBufferedAmount() > this.ctx.cfg.wsMaxBackpressure) {
      // slow consumer: close rather than buffer without bound; it resumes with ?after=
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
    if (!slot.ws) {
      slot.early.push(json);
      return;
    }
    slot.ws.cork(() => this.write(slot, slot.ws!.getUserData(), json));
  }

  end(wsId: number): void {
    const slot = this.slots.get(wsId);
    if (!slot) return;
    slot.ended = true;
    if (slot.ws) slot.ws.end(1000, 'engagement concluded');
  }

  closeAll(): void {
    for (const slot of this.slots.values()) slot.ws?.end(CLOSE_GOING_AWAY, 'server going away');
  }
}
