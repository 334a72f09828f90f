// Typing signals are paced to the sneakPreviewInterval the agent announced, both ways (typing.ts).
// When the agent lowers it, the new interval holds at once: before, the due times built up under
// the old one stayed, so after two signals at 10 s and 500 ms announced, the customer's typing and
// the agent's previews were dropped for ~20 s (a reviewer's repro: calls 600 ms apart, none through).
import { describe, expect, it } from 'vitest';
import { Engagement } from '../workers/actor/engagement.ts';
import type { EngEvent } from '../workers/actor/events.ts';
import { agentTypingPace, typingSignal } from '../workers/actor/typing.ts';
import { ALLOW_ALL } from '../workers/actor/screen.ts';

const T0 = 1764201600000;
const AGENT = 5000003;

function chat(): { eng: Engagement; announce: (at: number, interval: number) => void } {
  const seen: EngEvent[] = [];
  const eng = new Engagement(4001, 1, () => seen.slice());
  const apply = (ev: EngEvent): void => {
    seen.push(ev);
    eng.apply(ev);
  };
  apply({ e: 'created', at: T0, site: 's', clientId: 4001 * 4 + 1, secret: 's', senderKey: 'k', jti: 'j', jwtExp: 0, name: 'Ann', info: {} });
  apply({ e: 'joined', at: T0, clientId: AGENT, name: 'Bob', greeting: '', role: 'LEAD', accountId: 1, agentSession: 'x' });
  const announce = (at: number, interval: number): void =>
    apply({ e: 'activity', at, from: AGENT, mode: 'LISTENING', sneakPreviewState: 'ENABLED', sneakPreviewInterval: interval });
  return { eng, announce };
}

const typing = { mode: 'RESPONDING', sneakPreviewText: 'where is', sneakPreviewFocus: true };
const agentOp = (interval: number): { mode: string; sneakPreviewState: string; sneakPreviewInterval: number } => ({ mode: 'RESPONDING', sneakPreviewState: 'ENABLED', sneakPreviewInterval: interval });

describe('typing pace after the agent lowers sneakPreviewInterval', () => {
  it("the customer's signals pass at the new interval at once", () => {
    const { eng, announce } = chat();
    announce(T0, 10_000);
    const passed = [0, 10, 20].map((d) => typingSignal(eng, typing, ALLOW_ALL, T0 + 100 + d) !== null);
    expect(passed).toEqual([true, true, false]); // two within one interval, then one per interval
    announce(T0 + 200, 500);
    expect([1_700, 2_300].map((d) => typingSignal(eng, typing, ALLOW_ALL, T0 + d) !== null)).toEqual([true, true]);
  });

  it("the agent's previews pass at the new interval at once", () => {
    const { eng, announce } = chat();
    announce(T0, 10_000);
    expect([0, 10, 20].map((d) => agentTypingPace(eng, agentOp(10_000), T0 + 100 + d))).toEqual(['deliver', 'deliver', 'drop']);
    expect(agentTypingPace(eng, agentOp(500), T0 + 200)).toBe('withoutText'); // the change itself is told at once
    announce(T0 + 200, 500);
    expect([1_700, 2_300].map((d) => agentTypingPace(eng, agentOp(500), T0 + d))).toEqual(['deliver', 'deliver']);
  });
});
