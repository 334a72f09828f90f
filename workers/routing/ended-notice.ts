// The ChatDisconnectNotification the home shard (H) itself gives the holder of a concluded chat.
// Normally the engagement's shard (E) tells its agents at the conclusion; H words it only when E
// could not: a session taking over another's held chats (takeover.ts), and an agent whose ACCEPT
// crossed the conclusion — H counts it as holder, but the assignment reached E after the chat
// concluded, so E told nobody (endings.ts). Without it the agent held a dead chat,
// and its slot, until it called releaseChat blindly.
import { consumerClientIdOf } from '../actor/engagement.ts';
import type { AgentSession, Held } from './agent-session.ts';
import { deliver, type InboxIo } from './inbox.ts';

export const DISCONNECT = 'ChatDisconnectNotification';

/** As E words it for the customer's end: `clientId` the customer's, the conclusion's reason. */
export function disconnectOf(h: Held): Record<string, unknown> {
  const id = h.engagementId;
  const by = consumerClientIdOf(id);
  return { engagementId: id, engagementIdString: String(id), clientId: by, clientIdString: String(by), reason: h.endReason ?? 'ENDED' };
}

/** Journaled in the holder's inbox with the batch that marks the chat concluded. */
export function tellEnded(io: InboxIo, s: AgentSession, h: Held, now: number): void {
  deliver(io, s, DISCONNECT, disconnectOf(h), now);
}
