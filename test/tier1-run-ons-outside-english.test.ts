// A sentence run together after a full stop outside English (`Hola.La entrega no llegó.Es la
// segunda vez.`, `Danke.De nada`, `Merci bonjour.La commande…`) or a model name (`X200.Pro`) was
// read as links (`hola.la`, `llego.es`, `x200.pro`): only English words were known run-on endings.
// A Spanish customer writing four such messages within a minute was flagged (URL_COUNT, new
// sender) and then withheld by URL_RATE with a strike; an agent bot recommending `X200.Pro` and
// `Y300.Pro` to 8 chats was blocked from its 3rd and ejected. The letter case tells: a bare host
// whose last label is typed Title-case and is an everyday word (workers/tier1/runOn.ts) is a weak
// hit — still matched against URL_DENY, not counted. `Spam.Com`, `Cheap-Meds.Xyz`, `SPAM.LA`,
// `spam.la`, and any of them with a scheme, `www.` or a path still count.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness, linksOf, T0 } from './tier1-helpers.ts';
import { newConsumer, transcript } from './helpers/client.ts';
import { agentInChats, replyToNewChats } from './helpers/agent-chat.ts';

beforeAll(initTier1);

// four messages within a minute, two run-ons each: eight links to URL_RATE before (more than 5)
const SPANISH = [
  'Hola.La entrega no llegó.Es la segunda vez.',
  'Pagué con tarjeta.La factura dice otra cosa.Es un error?',
  'Sigo esperando.Si no llega hoy.Se cancela el pedido.',
  'Gracias.De verdad necesito ayuda.La caja venía rota.',
];
const REPLY = 'We recommend the X200.Pro or the Y300.Pro: both are in stock and ship today.';
const OTHERS = [
  'Danke.De nada, bis morgen', 'Merci bonjour.La commande est partie?', 'Es urgente.Se lo ruego',
  'Ho capito.Il pacco non è arrivato', 'Obrigado.Eu recebi o pedido.Na caixa faltava um item', 'Danke.Im Moment nicht', 'Dank je wel.Nu werkt het',
  '我们推荐X200.Pro', '我们推荐X200.Pro和Y300.Pro，两款都有现货。', 'see:Hola.La', '"Hola.La", dijo.',
  // letters that fold to another length before the run-on (œ → oe, æ → ae, Hangul syllables → jamo)
  'Ma sœur.La commande', 'Ærø.Es', '추천 모델은 X200.Pro와 Y300.Pro입니다', 'f r e e Hola.La',
];

const weak = (t: string): void => {
  const links = linksOf(t); // the fast pass and the general path read the same
  expect(links.length, t).toBeGreaterThan(0);
  expect(links.filter((l) => !l.endsWith('(weak)')), t).toEqual([]);
  expect(analyze(t).strongUrls, t).toBe(0);
};

describe('sentence run-ons and model names outside English', () => {
  it('are weak hits, in both analysis passes', () => {
    for (const t of [...SPANISH, REPLY, ...OTHERS]) weak(t);
  });

  it('a Spanish customer posting the four within a minute: every one allowed, nothing logged', () => {
    const h = harness();
    const outs = SPANISH.map((t, i) => h.screen(t, { nowMs: T0 + i * 10_000 }).outcome);
    expect(outs).toEqual(['allow', 'allow', 'allow', 'allow']);
    expect(h.codes()).toEqual([]);
  });

  it('an agent bot recommending two model numbers to 8 chats in 8 seconds: every one allowed', () => {
    const h = harness();
    const outs = Array.from({ length: 8 }, (_, i) => h.screen(REPLY, { role: 'AGENT', senderKey: 'agent:bot', engagementId: `e${i}`, nowMs: T0 + i * 1000 }).outcome);
    expect(outs).toEqual(Array(8).fill('allow'));
    expect(h.codes()).toEqual([]);
  });
});

describe('what stays a counted link', () => {
  it('a Title-case top-level domain that is no everyday word, ALL CAPS, lower case, or a scheme, `www.` or a path', () => {
    for (const t of ['Spam.Com', 'Cheap-Meds.Xyz', 'Buy at Cheap.Vip', 'Win at Lucky.Men', 'SPAM.LA', 'spam.la', 'Spam.LA', 'https://Hola.La', 'www.Hola.La', 'Hola.La/oferta', 'hola.la', '请访问Spam.Com谢谢']) {
      expect(analyze(t).strongUrls, t).toBe(1);
      expect(linksOf(t).filter((l) => l.endsWith('(weak)')), t).toEqual([]);
    }
  });

  it('a lower-case link beside a run-on, after letters that fold to another length too', () => {
    for (const t of ['Hola.La, compra en tienda.la', 'Ma sœur, Ærø: tienda.la Hola.La', '추천 tienda.la 모델은 X200.Pro']) {
      expect(linksOf(t).filter((l) => !l.endsWith('(weak)')), t).toEqual(['tienda.la']);
    }
  });

  it('the answer for one spelling is not remembered for another (per-thread link memo)', () => {
    for (const t of ['hola.la', 'Hola.La', 'HOLA.LA', 'Hola.La', 'hola.la', 'x200.pro', 'X200.Pro', 'x200.pro']) {
      expect(analyze(t).strongUrls, t).toBe(t === 'Hola.La' || t === 'X200.Pro' ? 0 : 1);
    }
  });

  it('a spammer posting `Spam.Com` and `Cheap-Meds.Xyz` links is still rate-limited (URL_RATE blocks the 6th within a minute)', () => {
    const h = harness();
    const words = ['amber', 'birch', 'cedar', 'delta', 'ember', 'fjord'];
    const outs = words.map((w, i) => h.screen(`${w} deals today at ${i % 2 === 0 ? `Spam${i}.Com` : `Cheap-Meds${i}.Xyz`}`, { nowMs: T0 + i * 3000 }).outcome);
    expect(outs.slice(0, 5)).not.toContain('block');
    expect(outs[5]).toBe('block');
    expect(h.codes()).toContain('URL_RATE');
  });

  it('a denied host is still blocked when written as a run-on', () => {
    for (const t of ['Compra en Cheap.La hoy', '我们推荐X200.Pro', 'Visit Cheap.La']) {
      const h = harness(cfg({ rules: { URL_DENY: { deny: ['cheap.la', 'x200.pro'] } } }));
      expect(h.screen(t).outcome, t).toBe('block');
      expect(h.codes(), t).toEqual(['URL_DENY']);
    }
  });
});

describe('over HTTP', () => {
  // one shard: an agent's per-sender state lives on each engagement's shard, and all 8 chats meet there
  const chats = agentInChats(300, 8, 1);

  it('an agent sending a reply naming X200.Pro and Y300.Pro to 8 chats is never ejected', async () => {
    const got = await replyToNewChats(chats.s.url, chats.a, REPLY, 8);
    expect(got).toEqual(Array(8).fill('200 delivered'));
  }, 60_000);

  // after the agent's 8 chats: the agent is full, so this one waits in the queue (and takes no offer from them)
  it('a Spanish customer posting four run-on messages within a minute has every one delivered, no notice', async () => {
    const c = await newConsumer(chats.s.url);
    const statuses: number[] = [];
    for (const t of SPANISH) statuses.push((await c.post(t)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const msgs = (await transcript(chats.s.url, c.engagementId)).json.messages as Array<{ kind: string; body: string }>;
    expect(msgs.map((m) => `${m.kind} ${m.body}`)).toEqual(SPANISH.map((t) => `message ${t}`));
    await c.poll();
    expect(c.seen.filter((m) => m.messageName === 'RNEngagementParticipantAddedMessage')).toEqual([]); // no System notice
  });
});

describe('a run-on ends at its word', () => {
  beforeAll(async () => initTier1());
  it('a Title-case host followed by an empty path (`Cheap.Pro/`, `Cheap.La/?`) is a counted link, as `cheap.pro/` is', () => {
    for (const t of ['see Cheap.Pro/ now', 'see Cheap.La/? now', 'see Cheap.Pro/. now', 'see cheap.love/ now']) {
      expect([t, analyze(t).strongUrls]).toEqual([t, 1]);
    }
    expect(analyze('Hola.La entrega no llegó').strongUrls).toBe(0);
  });
});
