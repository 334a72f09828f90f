// Consumer WebSocket delivery: the same system message objects getMessages returns, as JSON array
// frames in sequence order, each exactly once per socket. `?after=<seq>` resumes. The session comes
// from the SessionId header or the sessionId query parameter (browsers cannot set headers).
// Slot lifetimes, buffering and backpressure: stream-hub.ts.
import type { TemplatedApp } from 'uWebSockets.js';
import { err } from '../errors.ts';
import { begin, decodeParam, sendError } from './respond.ts';
import type { HttpContext } from './context.ts';
import { decodeSessionId, shardOfVshard, vshardOfId } from '../router/ids.ts';
import { AFTER_SHAPE, StreamHub, afterParam, type StreamData } from './stream-hub.ts';

export { CLOSE_BACKPRESSURE, CLOSE_GOING_AWAY } from './stream-hub.ts';

interface WsData extends StreamData {
  engagementId: number;
  secret: string;
}

export class WsHub extends StreamHub<WsData> {
  constructor(ctx: HttpContext) {
    super(ctx, 'engagement concluded');
  }

  routes(app: TemplatedApp): void {
    app.ws<WsData>(
      '/engagement/api/consumer/:site/v1/ws',
      this.behavior((res, req, context) => {
        const site = req.getParameter(0) ?? '';
        const token = req.getHeader('sessionid') || (req.getQuery('sessionId') ?? '') || (req.getQuery('sessionid') ?? '');
        const afterRaw = req.getQuery('after') ?? '0';
        const up = { key: req.getHeader('sec-websocket-key'), protocol: req.getHeader('sec-websocket-protocol'), extensions: req.getHeader('sec-websocket-extensions'), context };
        const x = begin(res);
        if (!this.ctx.tenants.get(site)) return sendError(x, 'UNKNOWN_SITE');
        const session = decodeSessionId(decodeParam(token).trim());
        if (!session) return sendError(x, 'SESSION_UNKNOWN');
        const after = afterParam(afterRaw);
        if (after === undefined) return sendError(x, err('INVALID_FIELD', AFTER_SHAPE));
        const shard = shardOfVshard(vshardOfId(session.engagementId), this.ctx.shards.shardCount);
        const data: WsData = { wsId: this.reserve(), engagementId: session.engagementId, secret: session.secret, shard };
        this.ctx.shards.request(shard, { op: 'wsSubscribe', site, engagementId: session.engagementId, secret: session.secret, after, wsId: data.wsId }, this.subscribed(x, res, data, up));
      }),
    );
  }

  protected unsubscribe(d: WsData): void {
    this.ctx.shards.send(d.shard, { k: 'req', id: 0, op: { op: 'wsUnsubscribe', engagementId: d.engagementId, secret: d.secret, wsId: d.wsId } });
  }
}
