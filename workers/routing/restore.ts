// A tenant router's journaled state read back after a restart (of the process or of its shard
// thread): agent sessions with their inboxes, and the queue with its open offers re-armed for what
// is left of their time. Every engagement found waiting or held is handed to `check`: its `ended`
// may have died in flight with the process, and its shard cannot re-announce a conclusion it no
// longer holds (agent-side.ts check).
import type { RouterIo } from './router-io.ts';
import { AgentSession, asSessionRecord, type Keys } from './agent-session.ts';
import { asQueuedRecord, type TenantQueue } from './queue.ts';
import type { Offers } from './offers.ts';

export interface RestoreTarget {
  io: RouterIo;
  keys: Keys;
  queue: TenantQueue;
  offers: Offers;
  sessions: ReadonlyMap<string, AgentSession>;
  addSession(s: AgentSession): void;
  check(engagementId: number): void;
}

export function restoreRouting(t: RestoreTarget, now: number): void {
  const p = t.keys.prefix;
  for (const { value } of t.io.journal.metaRange(p + 's/')) {
    const rec = asSessionRecord(value);
    if (!rec) continue;
    const s = new AgentSession(rec, t.io.journal, t.keys, t.io.socketKeepBytes);
    s.restore();
    t.addSession(s);
    for (const h of rec.held) if (!h.concluded) t.check(h.engagementId);
  }
  for (const { value } of t.io.journal.metaRange(p + 'q/')) {
    const r = asQueuedRecord(value);
    if (!r) continue;
    const e = t.queue.restore(r, now);
    t.check(e.engagementId);
    const s = e.offeredTo !== undefined ? t.sessions.get(e.offeredTo) : undefined;
    if (s) {
      s.offers.add(e.engagementId);
      t.offers.arm(e, s, Math.max(0, (e.offeredAt ?? now) + t.io.offerTimeoutMs - now));
    } else if (e.offeredTo !== undefined) {
      delete e.offeredTo;
      delete e.offeredAt;
    }
  }
}
