// Preview text (consumer `activity` sneakPreviewText, agent `setInteractionStatus` sneakPreview) is
// cut to 4,000 UTF-16 code units. The cut was a plain slice: when an emoji (a surrogate pair) sat
// across it, the text kept its high half alone — a lone surrogate, delivered to the other side live
// (and turned into U+FFFD by the journal's UTF-8, so replay differed). Now the cut falls before the
// pair: never half a character. Pure: the request parsers as the HTTP layer calls them.
import { describe, expect, it } from 'vitest';
import { validateActivity } from '../src/protocol/consumer-requests.ts';
import { validateAgentOp } from '../src/protocol/agent-requests.ts';
import { cutToCodePoint } from '../src/protocol/cut-text.ts';
import type { AgentWho } from '../src/protocol/shard.ts';

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const who: AgentWho = { site: 'demo', token: 't', accountId: 1, clientId: 2, name: 'Ann' };

function consumerCut(text: string): string {
  const v = validateActivity({ mode: 'RESPONDING', sneakPreviewText: text });
  if (!v.ok) throw new Error('refused');
  return v.value.sneakPreviewText ?? '';
}
function agentCut(text: string): string {
  const v = validateAgentOp('setInteractionStatus', { engagementId: 5, mode: 'RESPONDING', sneakPreview: text }, who);
  if (!v.ok || v.value.op !== 'setInteractionStatus') throw new Error('refused');
  return v.value.sneakPreview ?? '';
}

describe('preview text cut to 4000 code units', () => {
  for (const [side, cut] of [['consumer activity', consumerCut], ['agent setInteractionStatus', agentCut]] as const) {
    it(`${side}: an emoji across the cut is dropped whole, not halved`, () => {
      const text = `${'a'.repeat(3999)}😀 and more`;
      const out = cut(text);
      expect(LONE.test(out)).toBe(false);
      expect(out).toBe('a'.repeat(3999));
    });

    it(`${side}: an emoji ending at the cut is kept; shorter text is untouched`, () => {
      expect(cut(`${'a'.repeat(3998)}😀tail`)).toBe(`${'a'.repeat(3998)}😀`);
      expect(cut('short 😀')).toBe('short 😀');
      expect(cut('😀'.repeat(2500))).toBe('😀'.repeat(2000));
    });
  }

  it('cutToCodePoint: cuts at max units, one less when max would split a pair', () => {
    expect(cutToCodePoint('ab😀', 3)).toBe('ab');
    expect(cutToCodePoint('ab😀', 4)).toBe('ab😀');
    expect(cutToCodePoint('abc', 2)).toBe('ab');
    expect(cutToCodePoint('abc', 5)).toBe('abc');
    // a lone high surrogate the client sent (made U+FFFD at parse) is no pair to protect
    expect(cutToCodePoint('a\ud800b', 2)).toBe('a\ud800');
  });
});
