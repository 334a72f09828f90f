// What the tenant router's modules (sessions.ts, held-chats.ts, endings.ts) share of its state, and
// how they stage their outputs. The router (tenant-router.ts) is the one implementation: each module
// acts on the same sessions, indexes and queue as the router's own dispatch, with no copy to keep
// in step and no extra hop.
import type { CrossEvent } from '../../src/protocol/shard.ts';
import type { Fail } from '../../src/errors.ts';
import type { Int64 } from '../../src/protocol/json.ts';
import type { RouterIo } from './router-io.ts';
import type { AgentSession, Keys } from './agent-session.ts';
import type { TenantQueue } from './queue.ts';
import type { DeliveryMarks } from './delivery-marks.ts';
import type { Offers } from './offers.ts';
import type { WaitNotifier } from './wait-updates.ts';
import type { QueueDeadlines } from './queue-deadlines.ts';
import type { UsedTokens } from './used-tokens.ts';

export interface RouterParts {
  readonly io: RouterIo;
  readonly site: string;
  readonly keys: Keys;
  /** the tenant's queue ids as its current document lists them (queue 1 when it lists none) */
  readonly queueIds: number[];
  /** session id → session */
  readonly sessions: Map<string, AgentSession>;
  readonly byAccount: Map<number, AgentSession>;
  /** engagement id → the session holding it */
  readonly holders: Map<number, AgentSession>;
  readonly queue: TenantQueue;
  readonly marks: DeliveryMarks;
  readonly offers: Offers;
  readonly waits: WaitNotifier;
  readonly deadlines: QueueDeadlines;
  readonly usedTokens: UsedTokens;
  /** stages a 200 answer to request `id`, with its sequenceNumber when it had one */
  reply(id: number, body: Record<string, unknown>, seq?: Int64): void;
  readonly fail: Fail;
  /** stages a one-way event to the engagement's shard */
  toE(ev: CrossEvent & { engagementId: number }): void;
}
