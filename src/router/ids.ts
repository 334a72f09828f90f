// Routing: how a request finds the one thread that owns its state.
//
//   client ──HTTP/WS──▶ main thread (uWS adapter: parse, validate, copy bytes; decides nothing)
//                          │  shardOf(id) = vshard(id) % shards        — pure, no lookup table
//                          ▼
//            per-shard outbox ──one batch per event-loop turn──▶ MessagePort ──▶ shard thread
//                                                                   │ mailbox → engagement actor
//                                                                   │ → Tier-1 screen → journal
//            replies / WS frames ◀──one batch per commit── barrier ◀┘ (group commit, then reply)
//                          │
//   consumer post to an agent:  engagement shard E ──fwd (one way, via main)──▶ tenant home shard H
//
// Ids carry their shard (architecture §1):
//
//   engagementId = perVshardCounter * VSHARDS + vshard        (always < 2^53)
//   consumer sessionId = base64url( engagementId as 8 bytes BE ‖ 16 random bytes )
//   a sender's engagements: vshardOfSender(site, senderKey); a tenant's routing: vshardOfSite(site)
//
// The random part is the secret the owning shard checks against its session table; the id part
// only routes. A vshard maps onto a thread as vshard % shards, so the thread count can change
// between restarts without rewriting ids.
import crypto from 'node:crypto';

export const VSHARDS = 256;

export function vshardOfId(id: number): number {
  return id % VSHARDS;
}

export function shardOfVshard(vshard: number, shards: number): number {
  return vshard % shards;
}

/** The vshards one shard thread owns while the thread count is `shards`. */
export function vshardsOfShard(shard: number, shards: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < VSHARDS; v++) if (shardOfVshard(v, shards) === shard) out.push(v);
  return out;
}

export function mintEngagementId(vshard: number, counter: number): number {
  return counter * VSHARDS + vshard;
}

/** FNV-1a 32-bit: cheap, stable across processes; used to place senders and tenants on vshards. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** All engagements of one sender live on one vshard, so per-sender Tier-1 state needs no locks. */
export function vshardOfSender(site: string, senderKey: string): number {
  return hash32(`${site}\u0000${senderKey}`) % VSHARDS;
}

/** The tenant's home vshard holds its queues, agents and agent sessions. */
export function vshardOfSite(site: string): number {
  return hash32(`site\u0000${site}`) % VSHARDS;
}

const SESSION_BYTES = 24;

export function newSecret(): string {
  return crypto.randomBytes(16).toString('base64url');
}

export function encodeSessionId(engagementId: number, secret: string): string {
  const buf = Buffer.alloc(SESSION_BYTES);
  buf.writeBigUInt64BE(BigInt(engagementId), 0);
  Buffer.from(secret, 'base64url').copy(buf, 8);
  return buf.toString('base64url');
}

/** → { engagementId, secret } or undefined when the token cannot be one of ours. */
export function decodeSessionId(token: string): { engagementId: number; secret: string } | undefined {
  if (token.length !== 32 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const buf = Buffer.from(token, 'base64url');
  if (buf.length !== SESSION_BYTES) return undefined;
  const id = buf.readBigUInt64BE(0);
  if (id > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { engagementId: Number(id), secret: buf.subarray(8).toString('base64url') };
}

/** Agent session ids look like Oracle's ("node0…") and are pure secrets; the site routes them. */
export function newAgentSessionId(): string {
  return 'node0' + crypto.randomBytes(16).toString('hex');
}

/** Constant-time compare of two short secrets. */
export function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}
