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
//   engagementId = perVshardCounter * VSHARDS + vshard        (≤ MAX_ENGAGEMENT_ID)
//   participant clientIds: consumer engagementId × 4 + 1, System × 4 + 2, agent accountId × 4 + 3
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

/**
 * Every id sent as a JSON number stays below 2^53 (spec §1.5 rule 3): a browser reads the numeric
 * field as a double, and above 2^53 it reads another id. ClientIds are 4 × id + 1..3, so the ids
 * they are made of stay below 2^51: an agent's `accountId` (the tenant file refuses a larger one)
 * and an engagement id (a vshard whose counter reached it mints no more: 2^43 engagements each).
 */
export const MAX_ACCOUNT_ID = (2 ** 53 - 4) / 4;
export const MAX_ENGAGEMENT_ID = (2 ** 53 - 4) / 4;

/** The vshard's `counter`th engagement id, or undefined once that would pass MAX_ENGAGEMENT_ID. */
export function mintEngagementId(vshard: number, counter: number): number | undefined {
  const id = counter * VSHARDS + vshard;
  return id <= MAX_ENGAGEMENT_ID ? id : undefined;
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

// base64url digit values by char code (-1: not a digit), and back
const B64_VALUE = new Int8Array(128).fill(-1);
const B64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < 64; i++) B64_VALUE[B64_DIGITS.charCodeAt(i)] = i;
const TOKEN_CHARS = (SESSION_BYTES * 4) / 3; // 32: 192 bits, no padding
const SECRET_CHARS = 22; // 16 bytes, unpadded
const secretCodes: number[] = new Array<number>(SECRET_CHARS).fill(0);
const digitValues = new Int8Array(TOKEN_CHARS);

/**
 * → { engagementId, secret } or undefined when the token cannot be one of ours. Decoded digit by
 * digit (every consumer call decodes one on the HTTP thread: ~0.5 µs through Buffer, a regex and
 * BigInt, 0.2–0.3 µs here); `test/session-id-codec.test.ts` holds it to the Buffer decoding.
 */
export function decodeSessionId(token: string): { engagementId: number; secret: string } | undefined {
  if (token.length !== TOKEN_CHARS) return undefined;
  const v = digitValues;
  for (let i = 0; i < TOKEN_CHARS; i++) {
    const c = token.charCodeAt(i);
    const d = c < 128 ? (B64_VALUE[c] ?? -1) : -1;
    if (d < 0) return undefined;
    v[i] = d;
  }
  // The id is the first 64 bits: digits 0–4 (30 bits), 5–9 (30 bits) and the top 4 bits of digit
  // 10. Above 2^53 − 1 it cannot be a JS number: `hi` (its top 30 bits) must stay under 2^19.
  let hi = 0;
  let mid = 0;
  for (let i = 0; i < 5; i++) hi = hi * 64 + (v[i] ?? 0);
  for (let i = 5; i < 10; i++) mid = mid * 64 + (v[i] ?? 0);
  if (hi >= 2 ** 19) return undefined;
  const engagementId = hi * 2 ** 34 + mid * 16 + ((v[10] ?? 0) >> 2);
  // The secret is bits 64–191 re-encoded from a 6-bit boundary: each of its digits is the low 2
  // bits of one token digit and the top 4 of the next (the last one's low 4 bits are padding).
  for (let j = 0; j < SECRET_CHARS; j++) {
    const d = (((v[10 + j] ?? 0) & 3) << 4) | (j + 11 < TOKEN_CHARS ? (v[11 + j] ?? 0) >> 2 : 0);
    secretCodes[j] = B64_DIGITS.charCodeAt(d);
  }
  return { engagementId, secret: String.fromCharCode(...secretCodes) };
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
