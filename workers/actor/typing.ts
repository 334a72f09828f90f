// Typing signals between the two sides, paced to the sneak-preview interval the chat announced
// (spec §7.13: "minimum ms between sneak-preview sends"; the agent's setInteractionStatus sets it,
// default 500 ms). The customer's (consumer `activity`) on its way to the agents, its preview text
// screened by Tier-1's text rules: a preview is the customer's text shown to the agent as it is
// typed, so it obeys tier1.md §1 ("blocked text is never forwarded to agents"); before, any text
// reached the agents unscreened, as often as the client sent it. The agent's (setInteractionStatus)
// on its way to the customer, held to the same interval it announces: before, each call became a
// journaled message in the customer's stream, as many as the bot sent.
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
  /** the agent side's: the theoretical arrival time of its next signal to the customer */
  agentDueAt = 0;
  /** the mode of the agent side's last signal that reached the customer ('' none yet) */
  agentMode = '';

  /**
   * The chat announced an interval: due times built up under another one no longer hold (two
   * signals at 10 s, then 500 ms announced, kept both sides silent for ~20 s instead of 500 ms).
   */
  announce(intervalMs: number): void {
    if (intervalMs === this.intervalMs) return;
    this.intervalMs = intervalMs;
    this.dueAt = 0;
    this.agentDueAt = 0;
  }
}

/** What becomes of an agent's setInteractionStatus: delivered, delivered without its preview text, or not delivered. */
export type AgentTyping = 'deliver' | 'withoutText' | 'drop';

export interface AgentTypingOp {
  mode: string;
  sneakPreviewState: string;
  sneakPreviewInterval: number;
}

/**
 * The pace of the agent's typing signals to the customer, by the rule of the customer's (GCRA, a
 * tolerance of one interval). A call sooner than the pace allows is delivered only when the customer
 * must know it now — the agent stopped typing (LISTENING after another mode), or a new
 * sneakPreviewState or sneakPreviewInterval, which the customer's client is to obey — and then
 * without its text; otherwise it is dropped (the next carries the latest text).
 */
export function agentTypingPace(eng: Engagement, op: AgentTypingOp, now: number): AgentTyping {
  const pace = (eng.typing ??= new TypingPace());
  const t = pace.intervalMs;
  let verdict: AgentTyping = 'deliver';
  if (now >= pace.agentDueAt - t) {
    pace.agentDueAt = Math.max(pace.agentDueAt, now) + t;
  } else if ((op.mode === 'LISTENING' && pace.agentMode !== 'LISTENING') || op.sneakPreviewState !== pace.state || op.sneakPreviewInterval !== t) {
    verdict = 'withoutText';
  } else {
    return 'drop';
  }
  pace.agentMode = op.mode;
  return verdict;
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
