// The customer's typing signal (consumer `activity`) on its way to the agents: paced to the
// sneak-preview interval the chat announced, its preview text screened by Tier-1's text rules.
// A preview is the customer's text shown to the agent as it is typed, so it obeys tier1.md §1
// ("blocked text is never forwarded to agents"); before, any text reached the agents unscreened,
// as often as the client sent it.
import type { Engagement, AgentDelivery } from './engagement.ts';
import type { Screen } from './screen.ts';

/** what a chat announces until an agent's setInteractionStatus says otherwise (spec §6.1) */
export const DEFAULT_PREVIEW_INTERVAL_MS = 500;
export const DEFAULT_PREVIEW_STATE = 'ENABLED';

/**
 * Whether a chat whose agent announced `state` takes the customer's preview text: the state tells
 * the customer's client whether it may send it (spec §6.1), so DISABLED, SITE_UNAVAILABLE and
 * SERVICE_UNAVAILABLE withhold it from the agents too (a client that sends it anyway is not
 * obeyed); NONE is Oracle's unset value, the default.
 */
export function previewTextAllowed(state: string): boolean {
  return state === 'ENABLED' || state === 'NONE';
}

/**
 * Pace state of one chat, live only (a restart forgets it: at worst two signals pass at once).
 * GCRA with a tolerance of one interval: two signals may arrive within one interval — a client
 * keeping to the interval whose previous call was delayed in transit is not cut short — and over
 * time at most one per interval passes.
 */
export class TypingPace {
  /** the interval the chat last announced to the customer (0: no pace) */
  intervalMs = DEFAULT_PREVIEW_INTERVAL_MS;
  /** the sneakPreviewState the chat last announced, echoed to the agents */
  state = DEFAULT_PREVIEW_STATE;
  /** previewTextAllowed(state) */
  withText = true;
  /** the theoretical arrival time of the next signal */
  dueAt = 0;
  /** the mode of the last signal that reached the agents ('' none yet) */
  mode = '';
}

export interface TypingOp {
  mode: string;
  sneakPreviewText?: string;
  sneakPreviewFocus: boolean;
}

/**
 * The ChatActivitySignal for the chat's agents, or null when this call is not forwarded: it came
 * sooner than the pace allows and changes nothing the agent must know now (the next one carries the
 * latest text; the call still answers 200 — typing is no error). Stopping typing (LISTENING after
 * any other mode) is always forwarded, without its text when out of pace: else the agent would see
 * the customer typing until the next signal. A preview Tier-1 would withhold as a post is forwarded
 * as the signal without the text (the reason is in the decision log), and so is any preview while
 * the chat's announced state does not allow the text (not screened then: it is not shown).
 */
export function typingSignal(eng: Engagement, op: TypingOp, screen: Screen, now: number): AgentDelivery | null {
  const pace = (eng.typing ??= new TypingPace());
  const t = pace.intervalMs;
  let text = '';
  if (now >= pace.dueAt - t) {
    pace.dueAt = Math.max(pace.dueAt, now) + t;
    const typed = op.sneakPreviewText;
    if (pace.withText && typed !== undefined && typed !== '' &&
      screen.previewShown({ text: typed, role: 'END_USER', engagementId: eng.idString, participant: eng.consumerClientIdString })) text = typed;
  } else if (op.mode !== 'LISTENING' || pace.mode === 'LISTENING') {
    return null;
  }
  pace.mode = op.mode;
  return {
    type: 'ChatActivitySignal',
    fields: {
      // literal pairs, not twin() spreads: see engagement.ts (a typing signal is frequent)
      engagementId: eng.id, engagementIdString: eng.idString, clientId: eng.consumerClientId, clientIdString: eng.consumerClientIdString, mode: op.mode,
      sneakPreviewState: pace.state, sneakPreviewInterval: t, sneakPreview: text, sneakPreviewFocus: op.sneakPreviewFocus,
      destinationId: eng.id, destinationIdString: eng.idString, destinationType: 'ENGAGEMENT', senderId: eng.consumerClientId, senderIdString: eng.consumerClientIdString,
      senderType: 'END_USER', messageType: 'ACTIVITY', visibility: 'ALL',
    },
    at: now,
  };
}
