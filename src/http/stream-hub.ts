// What the consumer and agent WebSockets share: a slot per subscription, frames buffered until
// `open`, corked sends, the backpressure bound, and unsubscribing from the owning shard on close.
//
// Lifetimes: a slot exists from the moment the shard is asked to subscribe until the socket
// closes (or the subscription is refused). The upgrade is asynchronous, so callers copy every
// header out of the upgrade request first and attach onAborted (begin()) before asking the shard.
// A socket whose unsent bytes exceed wsMaxBackpressure is closed (4008): the client resumes with
// ?after=<last sequence it saw> — memory stays bounded and nothing is skipped silently (an agent
// session keeps what it may be asked to resume: agent-session.ts; older is refused 410). The close
// frame waits behind those bytes (nothing can overtake what is queued or half a frame out), and uWS
// drops the connection when the close handshake has not finished within its ping margin (16 s):
// a client stalled longer sees 1006, not 4008; the resume is the same.
import type { HttpResponse, WebSocket, WebSocketBehavior, us_socket_context_t } from 'uWebSockets.js';
import { sendError, type Exchange } from './respond.ts';
import type { HttpContext } from './context.ts';
import type { ReplyCb } from '../shards/supervisor.ts';

export const AFTER_SHAPE = 'after: expected a sequence number (decimal digits)';

/**
 * `?after=<seq>`: decimal digits only (Number() would also take 0x10, 1e3 or ' 5'); '' is 0. Digits
 * past 2^53 are Infinity, not a rounded number: beyond every stream's end, and the shard's refusal
 * then says so (beyondEnd) as it does for any other number past the end.
 */
export function afterParam(raw: string): number | undefined {
  if (!/^\d*$/.test(raw)) return undefined;
  const n = Number(raw || '0');
  return Number.isSafeInteger(n) ? n : Infinity;
}

/**
 * uWS pings a socket it has heard nothing from for this many seconds less a margin (16 s from 40
 * up), and closes it when the pong is not back by the full timeout. 40: the ping comes at ~24 s
 * (uWS's timers tick every 4 s), well inside the 60 s idle limit of proxies (nginx's
 * proxy_read_timeout in README's configuration, an AWS ALB by default), which would otherwise cut
 * every idle widget's socket — browsers cannot ping; at 120 the first ping came at ~101 s. A peer
 * that does not answer is closed at ~40 s (1006, measured 39 s) rather than ~120 s.
 */
export const WS_IDLE_TIMEOUT_S = 40;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_BACKPRESSURE = 4008;
const UWS_BACKPRESSURE_FENCE = 1024 * 1024 * 1024;
/** a newer socket of the same session took this one's place (PARLEY_WS_MAX_PER_ENGAGEMENT / _PER_AGENT_SESSION) */
export const CLOSE_REPLACED = 4009;
/** the shard thread that fed this socket restarted (RFC 6455's 1012, Service Restart) */
export const CLOSE_SERVICE_RESTART = 1012;
/** a client sent a data frame larger than these send-only sockets ignore (RFC 6455's 1009) */
export const CLOSE_TOO_BIG = 1009;
/** Client frames up to this size are ignored: some fronts send application-level keep-alives. */
export const CLIENT_FRAME_IGNORED_MAX = 16 * 1024;

export interface StreamData {
  wsId: number;
  shard: number;
}

interface Slot<D extends StreamData> {
  ws: WebSocket<D> | undefined;
  early: string[];
  /** set once the stream is over: the close to send (at once, or on `open` if it comes later) */
  ended: { code: number; reason: string } | undefined;
}

/** The upgrade request's parts, copied while the request was valid. */
export interface UpgradeParts {
  key: string;
  protocol: string;
  extensions: string;
  context: us_socket_context_t;
}

export abstract class StreamHub<D extends StreamData> {
  private readonly slots = new Map<number, Slot<D>>();
  private nextId = 1;
  /** sockets between open and close (a slot can be dropped before its socket's close fires) */
  private readonly openIds = new Set<number>();
  /** for the operator metrics: frames sent, sockets closed for a slow reader */
  private frames = 0;
  private slowCloses = 0;

  constructor(
    protected readonly ctx: HttpContext,
    private readonly endReason: string,
  ) {}

  /** Tells the owning shard this socket is gone. */
  protected abstract unsubscribe(d: D): void;

  protected reserve(): number {
    const wsId = this.nextId++;
    this.slots.set(wsId, { ws: undefined, early: [], ended: undefined });
    return wsId;
  }

  /** The shard's answer to a subscribe: upgrade, or refuse with a coded error. */
  protected subscribed(x: Exchange, res: HttpResponse, data: D, up: UpgradeParts): ReplyCb {
    return (r) => {
      if ('error' in r || r.status !== 200 || x.aborted) {
        this.drop(data);
        if ('error' in r) sendError(x, r.error);
        else if (r.status !== 200) sendError(x, 'SESSION_UNKNOWN');
        return;
      }
      x.done = true;
      res.cork(() => res.upgrade(data, up.key, up.protocol, up.extensions, up.context));
    };
  }

  protected behavior(upgrade: NonNullable<WebSocketBehavior<D>['upgrade']>): WebSocketBehavior<D> {
    return {
      // uWS ends a socket whose frame exceeds maxPayloadLength without a close frame (the client
      // sees 1006, like a network failure). So uWS reads frames up to what one request body may
      // carry, and message() closes those over the ignored size with 1009 and a reason; only a
      // frame over PARLEY_MAX_BODY_BYTES still meets uWS's abrupt close.
      maxPayloadLength: Math.max(this.ctx.cfg.maxBodyBytes, CLIENT_FRAME_IGNORED_MAX),
      idleTimeout: WS_IDLE_TIMEOUT_S,
      // uWS's own cap only as a last fence: write() closes a socket once its unsent bytes pass
      // wsMaxBackpressure, so they stay under that plus one frame. A cap near the limit made uWS
      // drop frames — the 4008 close frame among them, when one frame was larger than the limit
      // (the client saw a bare FIN, 1006) — and a frame can be a whole resume batch.
      maxBackpressure: UWS_BACKPRESSURE_FENCE,
      sendPingsAutomatically: true,
      upgrade,
      open: (ws) => {
        const d = ws.getUserData();
        const slot = this.slots.get(d.wsId);
        if (!slot) return void ws.end(1011, 'subscription lost');
        slot.ws = ws;
        this.openIds.add(d.wsId);
        for (const f of slot.early.splice(0)) this.write(slot, d, f);
        if (slot.ended) ws.end(slot.ended.code, slot.ended.reason);
      },
      message: (ws, message) => {
        // one-way streams: clients act through the REST calls (pings are handled by uWS)
        if (message.byteLength > CLIENT_FRAME_IGNORED_MAX) {
          ws.end(CLOSE_TOO_BIG, `message too big: this socket only sends (frames over ${CLIENT_FRAME_IGNORED_MAX} bytes end it); act through the REST calls`);
        }
      },
      close: (ws) => {
        const d = ws.getUserData();
        const slot = this.slots.get(d.wsId);
        this.openIds.delete(d.wsId);
        if (slot) slot.ws = undefined;
        this.drop(d);
      },
    };
  }

  protected drop(d: D): void {
    if (this.slots.delete(d.wsId)) this.unsubscribe(d);
  }

  private write(slot: Slot<D>, d: D, json: string): void {
    const ws = slot.ws;
    if (!ws) return;
    if (ws.getBufferedAmount() > this.ctx.cfg.wsMaxBackpressure) {
      // slow reader: close rather than buffer without bound; it resumes with ?after=
      this.slowCloses++;
      ws.end(CLOSE_BACKPRESSURE, 'backpressure: reconnect with ?after=<last sequenceNumber>');
      slot.ws = undefined;
      this.drop(d);
      return;
    }
    ws.send(json, false);
    this.frames++;
  }

  /** For the operator metrics. */
  get stats(): { connected: number; frames: number; slowCloses: number } {
    return { connected: this.openIds.size, frames: this.frames, slowCloses: this.slowCloses };
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

  /** The stream is over: normally (1000), or `replaced` by a newer socket of the same session (4009). */
  end(wsId: number, replaced = false): void {
    const slot = this.slots.get(wsId);
    if (!slot) return;
    slot.ended = replaced
      ? { code: CLOSE_REPLACED, reason: 'replaced: this session opened more WebSockets than the server keeps; the newest stay' }
      : { code: 1000, reason: this.endReason };
    slot.ws?.end(slot.ended.code, slot.ended.reason);
  }

  /**
   * The shard feeding these sockets restarted: their subscriptions died with its thread, so they
   * would stay open and silent for good. Closed with 1012 instead; the client reconnects with
   * ?after=<last sequence it saw> (503 with Retry-After until the shard has recovered) and misses
   * nothing. Sockets still waiting for the shard's answer get their 503 from the failed request.
   */
  shardDown(shard: number): void {
    for (const slot of this.slots.values()) {
      if (slot.ws?.getUserData().shard === shard) slot.ws.end(CLOSE_SERVICE_RESTART, 'service restart: reconnect with ?after=<last sequenceNumber>');
    }
  }

  closeAll(): void {
    for (const slot of this.slots.values()) slot.ws?.end(CLOSE_GOING_AWAY, 'server going away');
  }
}
