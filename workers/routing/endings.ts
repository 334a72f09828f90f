// An engagement's end as the tenant's home shard takes it: E's `ended` (the chat concluded on its
// shard) takes a waiting chat off the queue and marks a held one concluded, its slot taken until
// releaseChat; a wait past the tenant's queueTimeoutSec (queue-deadlines.ts) ends here and is
// concluded on E.
import type { ToHome } from '../../src/protocol/shard.ts';
import type { RouterParts } from './router-parts.ts';
import type { QueueEntry } from './queue.ts';
import { tellEnded } from './ended-notice.ts';

export function onEnded(p: RouterParts, ev: Extract<ToHome, { t: 'ended' }>): void {
  const e = p.queue.get(ev.engagementId);
  if (e) {
    p.offers.withdraw(e, ev.reason, Date.now());
    p.waits.update();
    p.offers.dispatch();
  }
  const holder = p.holders.get(ev.engagementId);
  const h = holder?.holds(ev.engagementId);
  const untold = holder !== undefined && h !== undefined && !h.concluded && !ev.agents?.includes(holder.rec.clientId);
  // every end is remembered, a chat's that ended while it waited too: calls on it find it (held-chats.ts notHeld)
  p.marks.end(ev.engagementId, Date.now(), true);
  if (holder && h && !h.concluded) {
    // the slot stays taken until releaseChat (wrap-up, spec §7.8)
    h.concluded = true;
    h.endReason = ev.reason;
    holder.save();
    // E concluded without this agent (its ACCEPT crossed the conclusion: the assign reached E
    // after it, and E told nobody), or no longer knows: the agent hears it here, or it would
    // hold a dead chat, and its slot, until it released blindly
    if (untold) tellEnded(p.io, holder, h, Date.now());
  }
}

/** Waits past the tenant's queueTimeoutSec (queue-deadlines.ts): off the queue, concluded on E. */
export function timeOut(p: RouterParts, due: QueueEntry[], now: number): void {
  for (const e of due) {
    p.offers.withdraw(e, 'QUEUE_TIMEOUT', now);
    p.toE({ t: 'queueTimeout', engagementId: e.engagementId });
  }
  p.offers.dispatch();
  p.waits.update();
}
