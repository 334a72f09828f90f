// The shard protocol: one discriminated union per direction. Traffic travels as msgpackr-packed
// micro-batches (arrays of these) over one long-lived MessagePort per shard, flushed once per
// event-loop turn. Replies carry the finished JSON text so the main thread only writes bytes.
//
// Every receiving switch ends in an exhaustive `never` check; every receiver narrows from
// `unknown` with the guards at the bottom of this file.
import type { ErrorData } from '../errors.ts';
import type { Int64 } from './json.ts';

/** Fields every consumer request may carry, echoed in the response envelope (spec §1.4). */
export interface Echo {
  clientTransactionId?: Int64;
  clientRequestTime?: string | number | null;
  /** ms epoch when the main thread received the request (serviceStartTime) */
  t0: number;
}

export interface TenantSnapshot {
  site: string;
  /** the resolved Tier-1 config (workers/tier1 owns its shape) */
  tier1: unknown;
  agents: ReadonlyArray<{ accountId: number; user: string; name: string }>;
  version: number;
}

// ── consumer operations (routed by engagement id / sender) ────────────────────────────────────
export type ConsumerOp =
  | {
      op: 'createEngagement';
      site: string;
      vshard: number;
      senderKey: string;
      jti: string;
      jwtExp: number;
      name: string;
      info: Record<string, unknown>;
      echo: Echo;
    }
  | { op: 'getMessages'; site: string; engagementId: number; secret: string; echo: Echo }
  | {
      op: 'postMessage';
      site: string;
      engagementId: number;
      secret: string;
      body: string;
      richText: boolean;
      offTheRecord: boolean;
      messageId?: string;
      echo: Echo;
    }
  | {
      op: 'activity';
      site: string;
      engagementId: number;
      secret: string;
      mode: string;
      sneakPreviewText?: string;
      sneakPreviewFocus: boolean;
      echo: Echo;
    }
  | { op: 'concludeEngagement'; site: string; engagementId: number; secret: string; echo: Echo }
  | { op: 'wsSubscribe'; site: string; engagementId: number; secret: string; after: number; wsId: number }
  | { op: 'wsUnsubscribe'; engagementId: number; secret: string; wsId: number }
  | { op: 'transcript'; engagementId: number }
  | { op: 'stats' };

// ── main → shard ─────────────────────────────────────────────────────────────────────────────
export type ShardIn =
  | { k: 'req'; id: number; op: ConsumerOp }
  /** the HTTP response behind a parked long poll went away: do not deliver into it */
  | { k: 'cancel'; id: number; engagementId: number }
  | { k: 'tenant'; tenant: TenantSnapshot }
  | { k: 'campaign'; site: string; entries: unknown[] }
  | { k: 'stop' };

// ── shard → main ─────────────────────────────────────────────────────────────────────────────
export type ShardOut =
  | { k: 'ready'; shard: number; engagements: number }
  | { k: 'reply'; id: number; status: number; json: string }
  | { k: 'fail'; id: number; error: ErrorData }
  /** frames for a WebSocket subscriber; `json` is one JSON array of system messages, in sequence order */
  | { k: 'push'; wsId: number; lastSeq: number; json: string }
  /** the engagement ended for this WebSocket (after its last frame) */
  | { k: 'wsEnd'; wsId: number }
  | { k: 'campaign'; site: string; deltas: unknown[] }
  | { k: 'stopped'; shard: number };

// ── narrowing at the receiving edge ──────────────────────────────────────────────────────────
const SHARD_IN_KINDS = new Set(['req', 'cancel', 'tenant', 'campaign', 'stop']);
const SHARD_OUT_KINDS = new Set(['ready', 'reply', 'fail', 'push', 'wsEnd', 'campaign', 'stopped']);

function isKinded(v: unknown, kinds: Set<string>): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { k?: unknown }).k === 'string' && kinds.has((v as { k: string }).k);
}

/** Batches come from our own packer on the other side of the port; the guard checks the envelope. */
export function asShardInBatch(v: unknown): ShardIn[] {
  if (!Array.isArray(v)) throw new TypeError('shard batch is not an array');
  for (const m of v) if (!isKinded(m, SHARD_IN_KINDS)) throw new TypeError('unknown shard command');
  return v as ShardIn[];
}

export function asShardOutBatch(v: unknown): ShardOut[] {
  if (!Array.isArray(v)) throw new TypeError('shard reply batch is not an array');
  for (const m of v) if (!isKinded(m, SHARD_OUT_KINDS)) throw new TypeError('unknown shard reply');
  return v as ShardOut[];
}

export function assertNever(x: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(x)}`);
}
