// With `audit.logText: false` (the default) a decision log carries a hash of the text, never the
// text — in `observed` neither. Before, a KEYWORD hit logged the words it matched in the user's
// text (`casinoroyale` for the phrase `casino*`); now it logs the tenant's phrase. Every rule's
// `observed` is a number or a string from the tenant's config.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness, T0 } from './tier1-helpers.ts';

beforeAll(initTier1);

const PHRASES = ['casino*', 'free crypto', '*bet', 'whatsapp me'];
const CONFIG = {
  rules: {
    KEYWORD: { phrases: PHRASES, allow: ['casino night'] },
    REGEX: { patterns: ['gift ?cards?', 'wire \\d+'] },
    URL_DENY: { deny: ['evil.example', { domain: 'worse.example', extreme: true }] },
  },
};
const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
// one message per rule (each from its own sender), every one carrying the marker word
const HITS: Array<[string, string]> = [
  ['KEYWORD', 'visit the casinoroyale tonight zqxmarker'],
  ['KEYWORD', 'get fr33 crypt0 now zqxmarker'],
  ['KEYWORD', 'place a superbet zqxmarker'],
  ['REGEX', 'buy giftcards here zqxmarker'],
  ['URL_DENY', 'see https://zqxmarker.evil.example/x'],
  ['URL_DENY', 'see https://zqxmarker.worse.example/x'],
  ['CANARY', `${CANARY} zqxmarker`],
  ['LEN_MAX', `zqxmarker ${'word '.repeat(900)}`],
  ['URL_COUNT', 'zqxmarker https://a.example.com https://b.example.com https://c.example.com https://d.example.com'],
  ['EMOJI_FLOOD', `zqxmarker ${'🎉'.repeat(40)}`],
  ['SYMBOL_FLOOD', `zqxmarker ${'#%&*'.repeat(30)}`],
  ['CHAR_RUN', `zqxmarker ${'z'.repeat(250)}`],
  ['CAPS', 'ZQXMARKER THIS IS ALL SHOUTING AT YOU NOW'],
  ['ZALGO', `zqxmarker a${'\u0301'.repeat(12)}`],
  ['INVISIBLE_FLOOD', `zqxmarker ${'a\u200b'.repeat(30)}`],
  ['MIXED_SCRIPT', 'zqxmarker Ηеllо frіеnd сlісk'],
];

describe('decision logs without the user\'s text', () => {
  it('a KEYWORD hit logs the tenant\'s phrase, not the words it matched', () => {
    const h = harness(cfg(CONFIG));
    h.screen('visit the casinoroyale tonight');
    expect(h.logs).toEqual([expect.objectContaining({ code: 'KEYWORD', observed: 'casino*' })]);
    expect(JSON.stringify(h.logs)).not.toContain('royale');
  });

  it('names the phrase a stretched, leet or wildcard match came from', () => {
    const h = harness(cfg({ rules: { KEYWORD: { phrases: ['bet', 'free crypto', '*bet'] } } }));
    const cases: Array<[string, string]> = [['freeeee cryyypto here', 'free crypto'], ['fr33 crypt0', 'free crypto'], ['a superbet tip', '*bet'], ['place a bet', 'bet'], ['place a beeet', 'bet']];
    for (const [text, phrase] of cases) {
      h.logs.length = 0;
      h.screen(text, { senderKey: text });
      expect(h.logs.find((l) => l.code === 'KEYWORD')?.observed, text).toBe(phrase);
    }
  });

  it('every rule\'s observed value is a number or a string from the config', () => {
    const fromConfig = new Set<unknown>(['canary', ...PHRASES, 'evil.example', 'worse.example', '0', '1', '0,1', '1,0']);
    const seen = new Set<string>();
    const leaks: string[] = [];
    HITS.forEach(([code, text], i) => {
      const h = harness(cfg(CONFIG));
      h.screen(text, { senderKey: `s${i}`, nowMs: T0 + i });
      if (h.codes().includes(code)) seen.add(code);
      for (const l of h.logs) {
        if (!(typeof l.observed === 'number' || fromConfig.has(l.observed)) || JSON.stringify(l).toLowerCase().includes('zqxmarker')) leaks.push(`${l.code} observed ${JSON.stringify(l.observed)}`);
        expect(l.text).toBeUndefined();
      }
    });
    expect(leaks).toEqual([]);
    expect([...seen].sort()).toEqual([...new Set(HITS.map(([c]) => c))].sort());
  });

  it('with audit.logText the text is in the text field; observed is still the phrase', () => {
    const h = harness(cfg({ ...CONFIG, audit: { logText: true } }));
    h.screen('visit the casinoroyale tonight');
    expect(h.logs[0]).toMatchObject({ code: 'KEYWORD', observed: 'casino*', text: 'visit the casinoroyale tonight' });
  });
});
