// Per-tenant Tier-1 configuration: operator input → TIER1_DEFAULTS → validated, frozen,
// fully-filled ResolvedTier1Config. The resolved value is plain data (it crosses threads);
// engines compile keyword/regex sets from it once per config version.
import { patternSyntaxError, phraseKey, regexSet, type RegexSet } from '../../workers/tier1/patterns.ts';
import { REGEX_BUDGET_CP, REGEX_BUDGET_MS, regexSetCost, type RegexCost } from '../../workers/tier1/regex-cost.ts';
import { NOTICE_PLACEHOLDERS, type NoticeKind } from '../../workers/tier1/notices.ts';
import { checkTier1Order } from './tier1-order.ts';
import { domainKey } from '../../workers/tier1/domainKey.ts';

export type RuleMode = 'off' | 'observe' | 'enforce';
export type RuleAction = 'flag' | 'soft' | 'block';

export const RULE_NAMES = [
  'LEN_MAX', 'URL_COUNT', 'URL_RATE', 'URL_DENY', 'DUP_EXACT', 'DUP_NEAR', 'CAMPAIGN_XCONV',
  'EMOJI_FLOOD', 'SYMBOL_FLOOD', 'CHAR_RUN', 'CAPS', 'ZALGO', 'INVISIBLE_FLOOD', 'MIXED_SCRIPT',
  'KEYWORD', 'REGEX', 'RATE_BURST', 'SLOWMODE', 'CANARY',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const LIMITS = { keywords: 1000, keywordChars: 60, regexes: 50, regexChars: 260, listEntries: 10000 } as const;

export interface DenyEntry { domain: string; extreme: boolean }

/** Numeric thresholds per rule; every rule also has mode/action/extreme (RuleCommon). */
export interface RuleParams {
  LEN_MAX: { flag: number; block: number; extremeAt: number };
  URL_COUNT: { block: number; extremeAt: number; newSenderFlag: number; newSenderMessages: number };
  URL_RATE: { max: number; windowMs: number };
  URL_DENY: { deny: readonly DenyEntry[]; allow: readonly string[] };
  DUP_EXACT: { minLength: number; softWithinMs: number; windowMs: number; softFrom: number; blockFrom: number; ring: number };
  DUP_NEAR: { minLength: number; windowMs: number; blockFrom: number };
  CAMPAIGN_XCONV: { minLength: number; windowMs: number; senders: number; engagements: number; strike: boolean; cannedReplies: readonly string[] };
  EMOJI_FLOOD: { block: number; blockShare: number; shareMinGraphemes: number; flag: number; newSenderFlag: number };
  SYMBOL_FLOOD: { blockShare: number; blockMin: number; flagShare: number; flagMin: number };
  CHAR_RUN: { block: number; blockShare: number; shareMin: number; flag: number };
  CAPS: { share: number; minCased: number };
  ZALGO: { block: number; flag: number; perBase: number; bases: number };
  INVISIBLE_FLOOD: { block: number; blockShare: number; flagBidi: boolean };
  MIXED_SCRIPT: { words: number; strike: boolean };
  KEYWORD: { phrases: readonly string[]; allow: readonly string[] };
  REGEX: { patterns: readonly string[] };
  RATE_BURST: { burst: number; refillMs: number; strikeAfter: number; strikeWindowMs: number };
  SLOWMODE: { seconds: number };
  CANARY: { text: string };
}
export interface RuleCommon { mode: RuleMode; action: RuleAction; extreme: boolean }
export type ResolvedRules = { readonly [K in RuleName]: Readonly<RuleCommon & RuleParams[K]> };

export interface ResolvedTier1Config {
  readonly version: number | string;
  readonly mode: RuleMode;
  readonly screenAgents: boolean;
  readonly systemParticipantName: string;
  readonly strikes: Readonly<{ shortCount: number; shortWindowMs: number; longCount: number; longWindowMs: number }>;
  readonly notices: Readonly<{ slowDown: string; duplicate: string; blocked: string; terminated: string }>;
  readonly audit: Readonly<{ logText: boolean }>;
  readonly rules: ResolvedRules;
}

const DEFAULT_CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const MIN = 60_000;

const DEFAULT_ACTION: Record<RuleName, RuleAction> = {
  LEN_MAX: 'block', URL_COUNT: 'block', URL_RATE: 'block', URL_DENY: 'block', DUP_EXACT: 'block',
  DUP_NEAR: 'block', CAMPAIGN_XCONV: 'block', EMOJI_FLOOD: 'block', SYMBOL_FLOOD: 'block',
  CHAR_RUN: 'block', CAPS: 'flag', ZALGO: 'block', INVISIBLE_FLOOD: 'block', MIXED_SCRIPT: 'flag',
  KEYWORD: 'block', REGEX: 'block', RATE_BURST: 'soft', SLOWMODE: 'soft', CANARY: 'block',
};

const DEFAULT_PARAMS: RuleParams = {
  LEN_MAX: { flag: 2000, block: 4000, extremeAt: 40_000 },
  URL_COUNT: { block: 3, extremeAt: 20, newSenderFlag: 1, newSenderMessages: 3 },
  URL_RATE: { max: 5, windowMs: MIN },
  URL_DENY: { deny: [], allow: [] },
  DUP_EXACT: { minLength: 10, softWithinMs: 30_000, windowMs: 10 * MIN, softFrom: 3, blockFrom: 5, ring: 16 },
  DUP_NEAR: { minLength: 20, windowMs: 10 * MIN, blockFrom: 3 },
  CAMPAIGN_XCONV: { minLength: 20, windowMs: 60 * MIN, senders: 5, engagements: 5, strike: true, cannedReplies: [] },
  EMOJI_FLOOD: { block: 30, blockShare: 0.8, shareMinGraphemes: 20, flag: 10, newSenderFlag: 5 },
  SYMBOL_FLOOD: { blockShare: 0.8, blockMin: 50, flagShare: 0.5, flagMin: 20 },
  CHAR_RUN: { block: 200, blockShare: 0.8, shareMin: 50, flag: 20 },
  CAPS: { share: 0.9, minCased: 20 },
  ZALGO: { block: 8, flag: 3, perBase: 3, bases: 10 },
  INVISIBLE_FLOOD: { block: 20, blockShare: 0.2, flagBidi: true },
  MIXED_SCRIPT: { words: 3, strike: true },
  KEYWORD: { phrases: [], allow: [] },
  REGEX: { patterns: [] },
  RATE_BURST: { burst: 10, refillMs: 3000, strikeAfter: 3, strikeWindowMs: MIN },
  SLOWMODE: { seconds: 0 },
  CANARY: { text: DEFAULT_CANARY },
};

export const TIER1_DEFAULTS: ResolvedTier1Config = deepFreeze({
  version: 0,
  mode: 'enforce',
  screenAgents: true,
  systemParticipantName: 'System',
  strikes: { shortCount: 3, shortWindowMs: 10 * MIN, longCount: 5, longWindowMs: 24 * 60 * MIN },
  notices: {
    slowDown: 'You are sending messages too quickly. Please wait {retryAfterSeconds} seconds and try again.',
    duplicate: 'You already sent that message.',
    blocked: 'Message not sent: it looks like spam.',
    terminated: 'This conversation has been ended.',
  },
  audit: { logText: false },
  rules: Object.fromEntries(
    RULE_NAMES.map((r) => [r, { mode: 'enforce', action: DEFAULT_ACTION[r], extreme: false, ...DEFAULT_PARAMS[r] }]),
  ) as unknown as ResolvedRules,
});

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

type Err = { path: string; message: string };
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field-by-field reader that records `path: expected …` errors and falls back to the default. */
class Reader {
  constructor(readonly errors: Err[]) {}
  fail(path: string, message: string): void {
    this.errors.push({ path, message: `${path}: ${message}` });
  }
  obj(path: string, v: unknown, known: readonly string[]): Obj {
    if (v === undefined) return {};
    if (!isObj(v)) { this.fail(path, 'expected an object'); return {}; }
    for (const k of Object.keys(v)) if (!known.includes(k)) this.fail(`${path}.${k}`, `unknown field (expected one of ${known.join(', ')})`);
    return v;
  }
  num(path: string, v: unknown, def: number, int: boolean, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v)) || v < min || v > max) {
      // over 2^53 − 1 the bound broken is the upper one (a request's integers that long arrive as digit strings)
      const huge = (typeof v === 'number' && v > max) || (typeof v === 'string' && /^\d{16,}$/.test(v));
      const range = max !== Number.MAX_SAFE_INTEGER ? `between ${min} and ${max}` : huge ? `≥ ${min} and ≤ ${max} (2^53 − 1)` : `≥ ${min}`;
      this.fail(path, `expected ${int ? 'integer' : 'number'} ${range}`);
      return def;
    }
    return v;
  }
  bool(path: string, v: unknown, def: boolean): boolean {
    if (v === undefined) return def;
    if (typeof v !== 'boolean') { this.fail(path, 'expected true or false'); return def; }
    return v;
  }
  str(path: string, v: unknown, def: string, maxLen = 1000, minLen = 0): string {
    if (v === undefined) return def;
    if (typeof v !== 'string' || v.length > maxLen || v.length < minLen) {
      this.fail(path, `expected a string of ${minLen}–${maxLen} characters`);
      return def;
    }
    return v;
  }
  oneOf<T extends string>(path: string, v: unknown, def: T, allowed: readonly T[]): T {
    if (v === undefined) return def;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(path, `expected one of ${allowed.join(' | ')}`);
      return def;
    }
    return v as T;
  }
  strList(path: string, v: unknown, maxItems: number, maxLen: number): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) { this.fail(path, `expected a list of at most ${maxItems} strings`); return []; }
    if (v.length > maxItems) this.fail(path, `expected at most ${maxItems} entries, got ${v.length}`);
    const out: string[] = [];
    v.slice(0, maxItems).forEach((s, i) => {
      if (typeof s !== 'string' || s.trim().length === 0 || s.length > maxLen) this.fail(`${path}[${i}]`, `expected a non-empty string of at most ${maxLen} characters`);
      else out.push(s);
    });
    return out;
  }
}

const SHARE = (r: Reader, p: string, v: unknown, d: number): number => r.num(p, v, d, false, 0, 1);
const INT = (r: Reader, p: string, v: unknown, d: number, min = 1, max?: number): number => r.num(p, v, d, true, min, max);

function readParams(r: Reader, name: RuleName, p: string, o: Obj): { keys: string[]; value: object } {
  const d = DEFAULT_PARAMS;
  switch (name) {
    case 'LEN_MAX': {
      const v = { flag: INT(r, `${p}.flag`, o.flag, d.LEN_MAX.flag), block: INT(r, `${p}.block`, o.block, d.LEN_MAX.block), extremeAt: INT(r, `${p}.extremeAt`, o.extremeAt, d.LEN_MAX.extremeAt) };
      if (o.block !== undefined && o.extremeAt === undefined) v.extremeAt = v.block * 10; // "over 10× the cap"
      return { keys: ['flag', 'block', 'extremeAt'], value: v };
    }
    case 'URL_COUNT':
      return { keys: ['block', 'extremeAt', 'newSenderFlag', 'newSenderMessages'], value: { block: INT(r, `${p}.block`, o.block, d.URL_COUNT.block, 0), extremeAt: INT(r, `${p}.extremeAt`, o.extremeAt, d.URL_COUNT.extremeAt), newSenderFlag: INT(r, `${p}.newSenderFlag`, o.newSenderFlag, d.URL_COUNT.newSenderFlag, 0), newSenderMessages: INT(r, `${p}.newSenderMessages`, o.newSenderMessages, d.URL_COUNT.newSenderMessages, 0) } };
    case 'URL_RATE':
      return { keys: ['max', 'windowMs'], value: { max: INT(r, `${p}.max`, o.max, d.URL_RATE.max, 0, 1000), windowMs: INT(r, `${p}.windowMs`, o.windowMs, d.URL_RATE.windowMs, 1000) } };
    case 'URL_DENY': {
      const deny: DenyEntry[] = [];
      if (o.deny !== undefined) {
        if (!Array.isArray(o.deny)) r.fail(`${p}.deny`, 'expected a list of domains or { domain, extreme } objects');
        else if (o.deny.length > LIMITS.listEntries) r.fail(`${p}.deny`, `expected at most ${LIMITS.listEntries} entries, got ${o.deny.length}`);
        else o.deny.forEach((e, i) => {
          const ep = `${p}.deny[${i}]`;
          if (typeof e === 'string') deny.push({ domain: domainOf(r, ep, e), extreme: false });
          else if (isObj(e)) {
            const eo = r.obj(ep, e, ['domain', 'extreme']);
            deny.push({ domain: domainOf(r, `${ep}.domain`, eo.domain), extreme: r.bool(`${ep}.extreme`, eo.extreme, false) });
          } else r.fail(ep, 'expected a domain string or { domain, extreme }');
        });
      }
      const allow = r.strList(`${p}.allow`, o.allow, LIMITS.listEntries, 253).map((s, i) => domainOf(r, `${p}.allow[${i}]`, s));
      return { keys: ['deny', 'allow'], value: { deny, allow } };
    }
    case 'DUP_EXACT':
      return { keys: ['minLength', 'softWithinMs', 'windowMs', 'softFrom', 'blockFrom', 'ring'], value: { minLength: INT(r, `${p}.minLength`, o.minLength, d.DUP_EXACT.minLength, 0), softWithinMs: INT(r, `${p}.softWithinMs`, o.softWithinMs, d.DUP_EXACT.softWithinMs, 0), windowMs: INT(r, `${p}.windowMs`, o.windowMs, d.DUP_EXACT.windowMs, 1000), softFrom: INT(r, `${p}.softFrom`, o.softFrom, d.DUP_EXACT.softFrom, 2), blockFrom: INT(r, `${p}.blockFrom`, o.blockFrom, d.DUP_EXACT.blockFrom, 2), ring: INT(r, `${p}.ring`, o.ring, d.DUP_EXACT.ring, 4, 256) } };
    case 'DUP_NEAR':
      return { keys: ['minLength', 'windowMs', 'blockFrom'], value: { minLength: INT(r, `${p}.minLength`, o.minLength, d.DUP_NEAR.minLength, 0), windowMs: INT(r, `${p}.windowMs`, o.windowMs, d.DUP_NEAR.windowMs, 1000), blockFrom: INT(r, `${p}.blockFrom`, o.blockFrom, d.DUP_NEAR.blockFrom, 2) } };
    case 'CAMPAIGN_XCONV':
      return { keys: ['minLength', 'windowMs', 'senders', 'engagements', 'strike', 'cannedReplies'], value: { minLength: INT(r, `${p}.minLength`, o.minLength, d.CAMPAIGN_XCONV.minLength, 0), windowMs: INT(r, `${p}.windowMs`, o.windowMs, d.CAMPAIGN_XCONV.windowMs, 1000), senders: INT(r, `${p}.senders`, o.senders, d.CAMPAIGN_XCONV.senders, 2, 1000), engagements: INT(r, `${p}.engagements`, o.engagements, d.CAMPAIGN_XCONV.engagements, 2, 1000), strike: r.bool(`${p}.strike`, o.strike, true), cannedReplies: r.strList(`${p}.cannedReplies`, o.cannedReplies, LIMITS.listEntries, 4000) } };
    case 'EMOJI_FLOOD':
      return { keys: ['block', 'blockShare', 'shareMinGraphemes', 'flag', 'newSenderFlag'], value: { block: INT(r, `${p}.block`, o.block, d.EMOJI_FLOOD.block), blockShare: SHARE(r, `${p}.blockShare`, o.blockShare, d.EMOJI_FLOOD.blockShare), shareMinGraphemes: INT(r, `${p}.shareMinGraphemes`, o.shareMinGraphemes, d.EMOJI_FLOOD.shareMinGraphemes), flag: INT(r, `${p}.flag`, o.flag, d.EMOJI_FLOOD.flag), newSenderFlag: INT(r, `${p}.newSenderFlag`, o.newSenderFlag, d.EMOJI_FLOOD.newSenderFlag) } };
    case 'SYMBOL_FLOOD':
      return { keys: ['blockShare', 'blockMin', 'flagShare', 'flagMin'], value: { blockShare: SHARE(r, `${p}.blockShare`, o.blockShare, d.SYMBOL_FLOOD.blockShare), blockMin: INT(r, `${p}.blockMin`, o.blockMin, d.SYMBOL_FLOOD.blockMin), flagShare: SHARE(r, `${p}.flagShare`, o.flagShare, d.SYMBOL_FLOOD.flagShare), flagMin: INT(r, `${p}.flagMin`, o.flagMin, d.SYMBOL_FLOOD.flagMin) } };
    case 'CHAR_RUN':
      return { keys: ['block', 'blockShare', 'shareMin', 'flag'], value: { block: INT(r, `${p}.block`, o.block, d.CHAR_RUN.block, 2), blockShare: SHARE(r, `${p}.blockShare`, o.blockShare, d.CHAR_RUN.blockShare), shareMin: INT(r, `${p}.shareMin`, o.shareMin, d.CHAR_RUN.shareMin), flag: INT(r, `${p}.flag`, o.flag, d.CHAR_RUN.flag, 2) } };
    case 'CAPS':
      return { keys: ['share', 'minCased'], value: { share: SHARE(r, `${p}.share`, o.share, d.CAPS.share), minCased: INT(r, `${p}.minCased`, o.minCased, d.CAPS.minCased) } };
    case 'ZALGO':
      return { keys: ['block', 'flag', 'perBase', 'bases'], value: { block: INT(r, `${p}.block`, o.block, d.ZALGO.block), flag: INT(r, `${p}.flag`, o.flag, d.ZALGO.flag), perBase: INT(r, `${p}.perBase`, o.perBase, d.ZALGO.perBase), bases: INT(r, `${p}.bases`, o.bases, d.ZALGO.bases) } };
    case 'INVISIBLE_FLOOD':
      return { keys: ['block', 'blockShare', 'flagBidi'], value: { block: INT(r, `${p}.block`, o.block, d.INVISIBLE_FLOOD.block, 0), blockShare: SHARE(r, `${p}.blockShare`, o.blockShare, d.INVISIBLE_FLOOD.blockShare), flagBidi: r.bool(`${p}.flagBidi`, o.flagBidi, true) } };
    case 'MIXED_SCRIPT':
      return { keys: ['words', 'strike'], value: { words: INT(r, `${p}.words`, o.words, d.MIXED_SCRIPT.words), strike: r.bool(`${p}.strike`, o.strike, true) } };
    case 'KEYWORD': {
      const phrases = r.strList(`${p}.phrases`, o.phrases, LIMITS.keywords, LIMITS.keywordChars);
      phrases.forEach((s, i) => { if (/^\*+$/.test(s.trim()) || /\S\*\S/.test(s)) r.fail(`${p}.phrases[${i}]`, 'expected words with an optional * only at the start or end'); });
      const allow = r.strList(`${p}.allow`, o.allow, LIMITS.keywords, LIMITS.keywordChars);
      // Messages are matched on their normalized key: a phrase whose key is empty (only invisible
      // characters such as U+200B or a soft hyphen) would match every message.
      for (const [field, list] of [['phrases', phrases], ['allow', allow]] as const) {
        list.forEach((s, i) => { if ((field === 'allow' || !/^\*+$/.test(s.trim())) && phraseKey(s).length === 0) r.fail(`${p}.${field}[${i}]`, 'expected a phrase with at least one visible character (nothing is left once invisible characters are removed)'); });
      }
      return { keys: ['phrases', 'allow'], value: { phrases, allow } };
    }
    case 'REGEX': {
      const patterns = r.strList(`${p}.patterns`, o.patterns, LIMITS.regexes, LIMITS.regexChars);
      if (patterns.length > 0) checkRegexSet(r, `${p}.patterns`, patterns);
      return { keys: ['patterns'], value: { patterns } };
    }
    case 'RATE_BURST':
      return { keys: ['burst', 'refillMs', 'strikeAfter', 'strikeWindowMs'], value: { burst: INT(r, `${p}.burst`, o.burst, d.RATE_BURST.burst, 1, 1000), refillMs: INT(r, `${p}.refillMs`, o.refillMs, d.RATE_BURST.refillMs, 10), strikeAfter: INT(r, `${p}.strikeAfter`, o.strikeAfter, d.RATE_BURST.strikeAfter), strikeWindowMs: INT(r, `${p}.strikeWindowMs`, o.strikeWindowMs, d.RATE_BURST.strikeWindowMs, 1000) } };
    case 'SLOWMODE': {
      // one rule, one wording: 1 and 121 are refused alike
      const v = o.seconds;
      const valid = v === undefined || (typeof v === 'number' && Number.isInteger(v) && (v === 0 || (v >= 3 && v <= 120)));
      if (!valid) r.fail(`${p}.seconds`, 'expected 0 (off) or an integer between 3 and 120');
      return { keys: ['seconds'], value: { seconds: valid && typeof v === 'number' ? v : d.SLOWMODE.seconds } };
    }
    case 'CANARY':
      return { keys: ['text'], value: { text: r.str(`${p}.text`, o.text, DEFAULT_CANARY, 200, 8) } };
  }
}

/**
 * The shard compiles the patterns as one RE2.Set, which can fail where each pattern alone compiles
 * (the set shares one memory budget): build exactly that set. Only when it fails are the patterns
 * parsed one by one, to name the bad one; a set that parses but is too large is named as a whole.
 * A large set takes ~100 ms to build on the calling (HTTP) thread, and every tenant is validated
 * again on any tenant file change: the verdict is kept per pattern list (regexVerdicts), so only a
 * list not seen before, or refused on its cost, costs a compile.
 */
function checkRegexSet(r: Reader, path: string, patterns: readonly string[]): void {
  const key = JSON.stringify(patterns);
  let verdict = regexVerdicts.get(key);
  if (verdict === undefined) {
    verdict = regexVerdict(patterns);
    if (regexVerdicts.size >= REGEX_VERDICTS_KEPT) regexVerdicts.delete(regexVerdicts.keys().next().value as string);
  } else regexVerdicts.delete(key);
  // most recently used last; a refusal on cost is a timing, not kept (measured again next time)
  if (!verdict.some((v) => v.timed === true)) regexVerdicts.set(key, verdict);
  for (const { index, message } of verdict) r.fail(index === null ? path : `${path}[${index}]`, message);
}

/** `timed`: a refusal on the measured cost, which a busy machine can cause */
type RegexVerdict = ReadonlyArray<{ index: number | null; message: string; timed?: true }>;
const REGEX_VERDICTS_KEPT = 1024;
/**
 * Verdicts per pattern list: acceptances, and refusals RE2 gives again for the same list (syntax,
 * memory). Not a refusal on cost: it is a wall-clock timing, and one measured on a busy machine
 * would otherwise stand until restart (every PUT of that list 400). Such a list is compiled and
 * measured again each time (~0.1–0.7 s).
 */
const regexVerdicts = new Map<string, RegexVerdict>();

function regexVerdict(patterns: readonly string[]): RegexVerdict {
  let set: RegexSet;
  try { set = regexSet(patterns); } catch (e) {
    const bad: Array<{ index: number | null; message: string }> = [];
    patterns.forEach((s, i) => {
      const why = patternSyntaxError(s);
      if (why !== null) bad.push({ index: i, message: `expected a valid RE2 pattern (${why})` });
    });
    if (bad.length > 0) return bad;
    return [{ index: null, message: `expected patterns RE2 can compile together as one set (${e instanceof Error ? e.message : String(e)} — the set exceeds RE2's memory budget: use fewer or smaller patterns, e.g. smaller {n} counts on Unicode classes such as \\pL)` }];
  }
  return costVerdict(set);
}

/** A set that compiles can still cost the shard a second per message (workers/tier1/regex-cost.ts). */
function costVerdict(set: RegexSet): RegexVerdict {
  let cost: RegexCost | null;
  try { cost = regexSetCost(set); } catch (e) {
    return [{ index: null, message: `expected patterns RE2 can match as one set (${e instanceof Error ? e.message : String(e)}): use fewer or smaller patterns` }];
  }
  if (cost === null) return [];
  const ms = Math.round(cost.msPer4000).toLocaleString('en-US');
  return [{ index: null, timed: true, message: `expected patterns whose matching cost is bounded (about ${ms} ms per ${REGEX_BUDGET_CP.toLocaleString('en-US')} code points of message, measured on ${cost.probe}; the budget is ${REGEX_BUDGET_MS} ms): RE2 runs in linear time, but counted repetitions of wide classes stacked in a pattern, such as [a-z]{2,20}.{0,30}[^a]{1,30}, make every character cost more, the more so in a set of many — use fewer or narrower repetitions, or fewer such patterns` }];
}

function domainOf(r: Reader, path: string, v: unknown): string {
  if (typeof v === 'string' && (v.includes(':') || v.trim().startsWith('['))) {
    // an IPv6 address, plain or in brackets: one a browser reads in `http://[…]/`
    if (domainKey(v) !== null) return v.trim().toLowerCase();
    r.fail(path, 'expected a domain name such as example.com or an IP address such as 2001:db8::1 (this one is no IPv6 address)');
    return '';
  }
  if (typeof v !== 'string' || !/^[a-z0-9\u0080-\uffff-]+(\.[a-z0-9\u0080-\uffff-]+)+$/i.test(v.trim())) {
    r.fail(path, 'expected a domain name such as example.com');
    return '';
  }
  // matched in the form a message's link host takes (IDN → skeleton, …): one with none is no host
  if (domainKey(v) === null) {
    r.fail(path, 'expected a domain name such as example.com (this one is no host name once normalized as message links are)');
    return '';
  }
  return v.trim().toLowerCase();
}

const RULE_COMMON = ['mode', 'action', 'extreme'];
const ACTIONS: readonly RuleAction[] = ['flag', 'soft', 'block'];
const MODES: readonly RuleMode[] = ['off', 'observe', 'enforce'];

export function resolveTier1(input: unknown, path = 'tier1'): { ok: true; value: ResolvedTier1Config } | { ok: false; errors: Err[] } {
  const errors: Err[] = [];
  const r = new Reader(errors);
  const D = TIER1_DEFAULTS;
  const o = r.obj(path, input, ['version', 'mode', 'screenAgents', 'systemParticipantName', 'strikes', 'notices', 'audit', 'rules']);
  let version: number | string = D.version;
  if (o.version !== undefined) {
    if ((typeof o.version === 'number' && Number.isFinite(o.version)) || (typeof o.version === 'string' && o.version.length > 0 && o.version.length <= 64)) version = o.version;
    else r.fail(`${path}.version`, 'expected a number or a non-empty string');
  }
  const mode = r.oneOf(`${path}.mode`, o.mode, D.mode, MODES);
  const so = r.obj(`${path}.strikes`, o.strikes, ['shortCount', 'shortWindowMs', 'longCount', 'longWindowMs']);
  const strikes = {
    shortCount: INT(r, `${path}.strikes.shortCount`, so.shortCount, D.strikes.shortCount),
    shortWindowMs: INT(r, `${path}.strikes.shortWindowMs`, so.shortWindowMs, D.strikes.shortWindowMs, 1000),
    longCount: INT(r, `${path}.strikes.longCount`, so.longCount, D.strikes.longCount, 1, 64),
    longWindowMs: INT(r, `${path}.strikes.longWindowMs`, so.longWindowMs, D.strikes.longWindowMs, 1000),
  };
  const no = r.obj(`${path}.notices`, o.notices, ['slowDown', 'duplicate', 'blocked', 'terminated']);
  const notices = {
    slowDown: r.str(`${path}.notices.slowDown`, no.slowDown, D.notices.slowDown, 500, 1),
    duplicate: r.str(`${path}.notices.duplicate`, no.duplicate, D.notices.duplicate, 500, 1),
    blocked: r.str(`${path}.notices.blocked`, no.blocked, D.notices.blocked, 500, 1),
    terminated: r.str(`${path}.notices.terminated`, no.terminated, D.notices.terminated, 500, 1),
  };
  for (const kind of Object.keys(notices) as NoticeKind[]) {
    // a `{name}` renderNotice does not fill in would reach customers as written
    const known = NOTICE_PLACEHOLDERS[kind];
    const unknown = [...new Set(notices[kind].match(/\{\s*[A-Za-z_]\w*\s*\}/g) ?? [])].filter((ph) => !known.includes(ph));
    if (unknown.length > 0) r.fail(`${path}.notices.${kind}`, `unknown placeholder ${unknown.join(', ')} (${known.length > 0 ? `known: ${known.join(', ')}` : 'this notice has none'})`);
  }
  const ao = r.obj(`${path}.audit`, o.audit, ['logText']);
  const ro = r.obj(`${path}.rules`, o.rules, RULE_NAMES);
  const rules: Record<string, object> = {};
  for (const name of RULE_NAMES) {
    const p = `${path}.rules.${name}`;
    const raw = ro[name];
    const { keys, value } = readParams(r, name, p, isObj(raw) ? raw : {});
    const ruleObj = r.obj(p, raw, [...RULE_COMMON, ...keys]);
    rules[name] = {
      mode: r.oneOf(`${p}.mode`, ruleObj.mode, mode, MODES),
      action: r.oneOf(`${p}.action`, ruleObj.action, DEFAULT_ACTION[name], ACTIONS),
      extreme: r.bool(`${p}.extreme`, ruleObj.extreme, false),
      ...value,
    };
  }
  const screenAgents = r.bool(`${path}.screenAgents`, o.screenAgents, D.screenAgents);
  const systemParticipantName = r.str(`${path}.systemParticipantName`, o.systemParticipantName, D.systemParticipantName, 64, 1);
  const audit = { logText: r.bool(`${path}.audit.logText`, ao.logText, false) };
  checkTier1Order({
    path, rules: rules as unknown as ResolvedRules, strikes, raw: { rules: ro, strikes: so },
    refused: (p) => errors.some((e) => e.path === p), fail: (p, m) => r.fail(p, m),
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: deepFreeze({ version, mode, screenAgents, systemParticipantName, strikes, notices, audit, rules: rules as unknown as ResolvedRules }),
  };
}
