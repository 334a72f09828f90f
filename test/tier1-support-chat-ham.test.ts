// Real support-chat behaviour must pass (not SMS: whole conversations, at human pace, from many
// customers of one tenant at once): greetings everyone uses, impatient repeats while queued,
// contact details and order numbers, links to the merchant, pasted code and stack traces, anger
// in capitals, emoji, other scripts. Nothing here may be blocked; soft notices only where the
// customer really repeats themselves quickly.
import { beforeAll, describe, expect, it } from 'vitest';
import { harness, T0 } from './tier1-helpers.ts';
import { initTier1 } from '../workers/tier1/index.ts';

beforeAll(async () => {
  await initTier1();
});

const trace = ['Error: Request failed with status code 500', ...Array.from({ length: 40 }, (_, i) => `    at handler${i} (/srv/app/node_modules/lib/client-${i}.js:${100 + i}:${7 + (i % 9)})`)].join('\n');

const conversation = (i: number): string[] => [
  'Hi, I need help with my order',
  'hello?',
  'is anyone there?',
  `My order number is ${48_213_000 + i * 37} and it still hasn't arrived`,
  `my email address is customer.${i}@example.com`,
  `You can reach me at +1 (555) 010-${String(1000 + i).padStart(4, '0')}`,
  `Here is the tracking link https://shop.example.com/orders/${48_213_000 + i * 37}/track`,
  i % 3 === 0 ? 'THIS IS THE THIRD TIME I AM ASKING AND NOBODY ANSWERS ME' : 'ok thanks, I will wait 😊🙏',
  i % 4 === 0 ? trace : i % 4 === 1 ? 'const res = await fetch(`/api/orders/${id}`, { method: "GET" }); // returns 500' : 'Merci beaucoup, très gentil de votre part !',
  i % 5 === 0 ? 'Спасибо, всё понятно. Хорошего дня!' : i % 5 === 1 ? '谢谢你的帮助，我明天再联系你。' : 'Thank you so much, have a great day!',
];

describe('support-chat ham', () => {
  it('60 customers × a 10-message conversation at human pace: no block, no termination', () => {
    const h = harness();
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const msgs = conversation(i);
      msgs.forEach((text, k) => {
        // customers interleave: the whole tenant is busy at once, each one types every 5–25 s
        const r = h.screen(text, { senderKey: `email:customer.${i}@example.com`, engagementId: `eng${i}`, nowMs: T0 + k * 15_000 + i * 250 });
        outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
        expect(r.outcome, `customer ${i} message ${k}: ${text.slice(0, 40)} → ${JSON.stringify(h.logs.at(-1))}`).not.toMatch(/block|terminate/);
      });
    }
    expect(outcomes.get('allow') ?? 0).toBeGreaterThan(400);
  });

  it('a waiting customer repeating the same question is never terminated (tier1.md DUP_EXACT)', () => {
    const h = harness();
    const outs = Array.from({ length: 6 }, (_, k) => h.screen('Hello, is anyone there?', { nowMs: T0 + k * 10_000 }));
    expect(outs.map((o) => o.outcome)).not.toContain('terminate');
    // soft on repeats within 30 s and on the 3rd and 4th; block + strike only from the 5th
    expect(outs.slice(0, 4).map((o) => o.outcome)).not.toContain('block');
    expect(outs.slice(0, 4).filter((o) => o.strike)).toHaveLength(0);
  });
});
