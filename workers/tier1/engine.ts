// The public Tier-1 entry: one analysis pass, every enabled detector over the view, then the
// policy (mode, strikes, extreme hits) and the notice. Synchronous and I/O-free; the decision
// log callback is the caller's (it should buffer, not write, on the shard thread).
import type { ResolvedTier1Config } from '../../src/config/tier1.ts';
import { analyzeNfc } from './analysis.ts';
import { asciiKeyFp, asciiMaskedFp } from './asciiFast.ts';
import { CampaignBook, type CampaignDelta, type CampaignRemote } from './campaignBook.ts';
import { compile, type Compiled } from './compiled.ts';
import type { RegexSet } from './patterns.ts';
import type { Ctx, Detector } from './detector.ts';
import { DETECTORS, TEXT_RULES } from './detectors.ts';
import { fp64, fp64n, hex64, NO_FP } from './hash.ts';
import { renderNotice, type NoticeKind } from './notices.ts';
import { recordStrike, strikeLimitReached, worse, type Outcome } from './policy.ts';
import { PairState, SenderState } from './state.ts';
import { readUnits } from './units.ts';

export interface ScreenInput {
  text: string;
  role: 'END_USER' | 'AGENT';
  senderKey: string;
  engagementId: string;
  participant: string;
  nowMs: number;
  /**
   * The caller's handle on this (sender, engagement) pair, kept with its engagement across
   * messages: the engine fills it on the first message and then reads the pair's state through it
   * instead of three map lookups and a set insert — under load each was a cache miss (~3 % of the
   * shard's CPU per post). Checked on every use (same engine, same sender and engagement, pair not
   * forgotten), so a stale or misplaced slot only costs the lookup.
   */
  slot?: ScreenSlot;
}

/** Opaque to the caller: make one `{ pair: null, owner: null }` per engagement (or per sender in it) and pass it back each time. */
export interface ScreenSlot {
  pair: PairState | null;
  owner: object | null;
}

/** A typing preview to judge (engine.ts previewShown): whose it is, for the decision log. */
export type PreviewInput = Pick<ScreenInput, 'text' | 'role' | 'engagementId' | 'participant'>;

export interface ScreenResult {
  outcome: Outcome;
  reject?: 'EMPTY_MESSAGE';
  notice?: string;
  strike: boolean;
  /**
   * `soft` for its pace alone (RATE_BURST, SLOWMODE: "wait N seconds and try again"): the same
   * post sent again later — with the same messageId too — is screened afresh. Every other
   * withheld post is final for its messageId (a retry is answered as the first was).
   */
  paced?: true;
  /**
   * `allow` / `flag`: the text to store and deliver, in NFC (tier1.md §3: "stored text stays NFC as
   * sent") — the form the analysis made anyway, so the shard does not normalize a second time.
   */
  text?: string;
}

export interface DecisionLog {
  tenant: string; engagementId: string; participant: string; code: string; outcome: string;
  observed: number | string; threshold: number | string; configVersion: number | string;
  textHash: string; mode: 'observe' | 'enforce'; role: string; text?: string;
}

const SWEEP_EVERY = 4096;
/** how long the REGEX breaker keeps a tenant's set off on this shard (see regexParked) */
export const REGEX_COOLDOWN_MS = 60_000;

interface Active { d: Detector; enforce: boolean; mode: 'observe' | 'enforce'; extreme: boolean }

/**
 * The enabled detectors of one config, in evaluation order, with their mode resolved once. Left
 * out: stateless rules with nothing configured to match (no slow mode, keywords, patterns or deny
 * list), which would answer null; and with `ascii`, the stateless rules that cannot fire on ASCII
 * text under this config: an ASCII view has no emoji, nonspacing marks, default-ignorables, bidi
 * controls or non-Latin letters (all counts 0), so EMOJI_FLOOD always, and ZALGO /
 * INVISIBLE_FLOOD / MIXED_SCRIPT whenever their thresholds cannot be met by 0.
 */
function activeDetectors(cfg: ResolvedTier1Config, compiled: Compiled, ascii = false, textOnly = false): Active[] {
  const out: Active[] = [];
  const r0 = cfg.rules;
  for (const d of DETECTORS) {
    const r = r0[d.code];
    if (r.mode === 'off') continue;
    if (textOnly && !TEXT_RULES.has(d.code)) continue;
    // Stateless rules this config leaves nothing to match with: they would answer null.
    if (d.code === 'SLOWMODE' && r0.SLOWMODE.seconds === 0) continue;
    if (d.code === 'KEYWORD' && compiled.keyword === null) continue;
    if (d.code === 'REGEX' && compiled.regex === null) continue;
    if (d.code === 'URL_DENY' && compiled.deny.size === 0) continue;
    if (ascii) {
      if (d.code === 'EMOJI_FLOOD') continue;
      if (d.code === 'ZALGO' && r0.ZALGO.flag >= 0) continue;
      if (d.code === 'INVISIBLE_FLOOD' && r0.INVISIBLE_FLOOD.block >= 0) continue;
      if (d.code === 'MIXED_SCRIPT' && r0.MIXED_SCRIPT.words > 0) continue;
    }
    out.push({ d, enforce: r.mode === 'enforce', mode: r.mode, extreme: r.extreme });
  }
  return out;
}
const NON_ASCII = /[^\x00-\x7f]/;

export class Tier1Engine {
  private cfg: ResolvedTier1Config;
  private compiled: Compiled;
  private active: Active[];
  private activeAscii: Active[];
  /** the enabled TEXT_RULES, for typing previews (ASCII: as activeAscii) */
  private preview: Active[] = [];
  private previewAscii: Active[] = [];
  private urlCap: number;
  private fpKeyMin = 0;
  private fpMaskedMin = 0;
  // One scratch context per engine, refilled per message (detectors never keep it).
  private readonly ctx: Ctx;
  // A preview's context: its sender and pair are placeholders no text rule reads to decide.
  private readonly previewCtx: Ctx;
  private readonly senders = new Map<string, SenderState>();
  private readonly engagements = new Map<string, Map<string, PairState>>();
  private readonly campaign = new CampaignBook();
  private screens = 0;
  private lastNowMs = 0;
  /**
   * The REGEX set the breaker turned off, and when: it comes back REGEX_COOLDOWN_MS later, so a
   * match that only looked slow (the thread was off its core, the VM paused) does not leave the
   * tenant's patterns off until its next config, and a set that really is slow costs this shard
   * one slow match per cool-down, not one per post
   */
  private regexParked: RegexSet | null = null;
  private regexOffAtMs = 0;
  private nfc: string | null = null; // NFC of the current text when overLength computed it

  /**
   * `regexOff`: the tenant's REGEX set was turned off on this engine (regex.ts REGEX_BREAKER_MS),
   * by a match of `ms`; called once per config set
   */
  constructor(private readonly site: string, config: ResolvedTier1Config, private readonly log: (line: DecisionLog) => void,
    private readonly regexOff: (ms: number, configVersion: number | string) => void = () => {}) {
    this.cfg = config;
    this.compiled = compile(config);
    this.active = activeDetectors(config, this.compiled);
    this.activeAscii = activeDetectors(config, this.compiled, true);
    this.urlCap = Infinity;
    this.ctx = {
      cfg: config, rules: config.rules, role: 'END_USER', senderKey: '', engagementId: '', nowMs: 0,
      sender: new SenderState(), pair: new PairState(0, 0, new SenderState(), '', ''), compiled: this.compiled, campaign: this.campaign, fpKey: NO_FP, fpMasked: NO_FP, pushedExact: false, pushedNear: false,
    };
    this.previewCtx = { ...this.ctx, sender: new SenderState(), pair: new PairState(0, 0, new SenderState(), '', '') };
    this.derive();
  }

  /** Per-config numbers the hot path needs, resolved once. */
  private derive(): void {
    const r = this.cfg.rules;
    this.active = activeDetectors(this.cfg, this.compiled);
    this.activeAscii = activeDetectors(this.cfg, this.compiled, true);
    this.preview = activeDetectors(this.cfg, this.compiled, false, true);
    this.previewAscii = activeDetectors(this.cfg, this.compiled, true, true);
    this.urlCap = r.URL_COUNT.mode === 'enforce' ? r.URL_COUNT.extremeAt : Infinity;
    // Fingerprints are only read by DUP_EXACT (key ≥ its minLength), DUP_NEAR (masked ≥ its
    // minLength; compares exact fps too) and CAMPAIGN_XCONV (masked ≥ its minLength, canned set).
    this.fpMaskedMin = Math.min(r.DUP_NEAR.minLength, r.CAMPAIGN_XCONV.minLength);
    this.fpKeyMin = r.DUP_EXACT.minLength;
  }

  /**
   * Hot reload: compile first, then swap both references; per-sender state is kept. A config with
   * a rule RE2 cannot compile is not swapped in: the previous one stays live, and the failures are
   * returned (empty when the new config is live).
   */
  setConfig(config: ResolvedTier1Config): readonly string[] {
    const compiled = compile(config);
    if (compiled.failed.length > 0) return compiled.failed;
    this.cfg = config;
    this.compiled = compiled;
    this.regexParked = null;
    this.derive();
    return [];
  }

  /** Rules of the current config whose RE2 program could not be built; they screen nothing. */
  get compileFailures(): readonly string[] { return this.compiled.failed; }

  get screenAgents(): boolean { return this.cfg.screenAgents; }
  get systemParticipantName(): string { return this.cfg.systemParticipantName; }
  /** the tenant's termination notice (the text a Tier-1 termination posts) */
  get terminationNotice(): string { return renderNotice(this.cfg, 'terminated'); }
  get strikeMemoryMs(): number { return Math.max(this.cfg.strikes.shortWindowMs, this.cfg.strikes.longWindowMs); }
  get config(): ResolvedTier1Config { return this.cfg; }

  /** messages screened since this engine was made (agent posts with screenAgents off are not) */
  get screened(): number {
    return this.screens;
  }

  screen(input: ScreenInput): ScreenResult {
    const cfg = this.cfg;
    if (input.role === 'AGENT' && !cfg.screenAgents) return { outcome: 'allow', strike: false };
    const nowMs = input.nowMs;
    if (nowMs > this.lastNowMs) this.lastNowMs = nowMs;
    if (this.regexParked !== null && nowMs - this.regexOffAtMs >= REGEX_COOLDOWN_MS) this.regexBack();
    if ((++this.screens & (SWEEP_EVERY - 1)) === 0) this.sweep(nowMs);
    const pair = this.pairOf(input, nowMs);
    const sender = pair.sender;

    this.nfc = null;
    const over = this.overLength(input, sender, nowMs);
    if (over !== null) return over;

    const view = analyzeNfc(input.text, this.urlCap, this.nfc, this.cfg.rules.ZALGO.perBase);
    this.nfc = null;
    if (view.empty) return { outcome: 'soft', reject: 'EMPTY_MESSAGE', strike: false };
    const ctx = this.ctx;
    ctx.cfg = cfg; ctx.rules = cfg.rules; ctx.role = input.role; ctx.senderKey = input.senderKey;
    ctx.engagementId = input.engagementId; ctx.nowMs = nowMs; ctx.sender = sender; ctx.pair = pair;
    ctx.compiled = this.compiled; ctx.pushedExact = false; ctx.pushedNear = false;
    const needMasked = view.masked.length >= this.fpMaskedMin;
    ctx.fpMasked = needMasked ? (asciiMaskedFp(view) ?? fp64n(view.masked)) : NO_FP;
    ctx.fpKey = needMasked && view.masked === view.key ? ctx.fpMasked
      : needMasked || view.key.length >= this.fpKeyMin ? (asciiKeyFp(view) ?? fp64n(view.key)) : NO_FP;
    sender.msgs++;
    let outcome: Outcome = 'allow';
    let strike = false;
    let extreme = false;
    let notice: NoticeKind | null = null;
    let retryAfterS = 0;
    /** an enforced soft verdict about the text itself, not its pace (a duplicate, a tenant's soft rule) */
    let softForText = false;
    let textHash = '';
    const active = view.ascii ? this.activeAscii : this.active;
    for (let i = 0; i < active.length; i++) {
      const a = active[i]!;
      const d = a.d;
      let v: ReturnType<Detector['check']>;
      try {
        v = d.check(view, ctx);
      } catch (e) {
        // a detector's bug costs its own signal on this message, not the shard: the thread would
        // die with every engagement on it, and die again on each retry of the same text. The
        // other rules still decide; the failure is an `error` decision (logged at error level,
        // counted in parley_tier1_decisions_total{outcome="error"})
        this.emit(input, d.code, 'error', e instanceof Error ? e.message.slice(0, 200) : String(e), '', this.textHash(view.nfc, view.key, ctx.fpKey), a.mode);
        continue;
      }
      if (v === null) continue;
      if (textHash === '') textHash = this.textHash(view.nfc, view.key, ctx.fpKey);
      const enforce = a.enforce;
      const mode = a.mode;
      const ruleExtreme = enforce && v.action === 'block' && (v.extreme === true || a.extreme);
      const hit: Outcome = !enforce ? 'flag' : ruleExtreme ? 'terminate' : v.action;
      this.emit(input, d.code, hit, v.observed, v.threshold, textHash, mode);
      if (!enforce) { outcome = worse(outcome, 'flag'); continue; }
      outcome = worse(outcome, v.action);
      if (ruleExtreme) extreme = true;
      if (v.action === 'block' || v.strike === true) strike = true;
      if (v.action === 'soft') {
        if (v.notice !== 'slowDown') softForText = true;
        if (v.notice !== undefined && notice === null) { notice = v.notice; retryAfterS = v.retryAfterS ?? 0; }
      }
    }
    if (ctx.compiled.regexTrip !== null) this.regexTripped();
    const r = this.finish(input, sender, pair, outcome, strike, extreme, notice, retryAfterS, textHash, view.nfc);
    if (r.outcome === 'soft' && !softForText) {
      // withheld for its pace alone: the copy the duplicate rules just recorded was never
      // delivered, and the sender was told to send it again — that retry is not a repeat
      if (ctx.pushedExact) pair.exact?.voidNewest();
      if (ctx.pushedNear) pair.near?.voidNewest();
      r.paced = true;
    }
    return r;
  }

  /**
   * A typing preview (sneak preview): unfinished text the other side sees while it is typed. It is
   * judged by the rules that read the text alone (TEXT_RULES) over the same one analysis pass a
   * post gets, and touches no sender or pair state: no strike, no rate or duplicate bookkeeping, not
   * counted as screened. True when it may be shown — no enforced rule would withhold it as a post.
   * A rule that would is logged with outcome `preview` (also in observe mode, where it is shown);
   * flags are not logged, as the preview is never delivered as a message.
   */
  previewShown(input: PreviewInput): boolean {
    const cfg = this.cfg;
    if (input.role === 'AGENT' && !cfg.screenAgents) return true;
    const view = analyzeNfc(input.text, this.urlCap, null, cfg.rules.ZALGO.perBase);
    if (view.empty) return true;
    const ctx = this.previewCtx;
    ctx.cfg = cfg; ctx.rules = cfg.rules; ctx.compiled = this.compiled; ctx.role = input.role; ctx.engagementId = input.engagementId;
    const active = view.ascii ? this.previewAscii : this.preview;
    let textHash = '';
    for (let i = 0; i < active.length; i++) {
      const a = active[i]!;
      let v: ReturnType<Detector['check']>;
      try {
        v = a.d.check(view, ctx);
      } catch (e) {
        // as in screen(): the failure is logged and the other rules decide
        this.emit(input, a.d.code, 'error', e instanceof Error ? e.message.slice(0, 200) : String(e), '', fp64(view.nfc), a.mode);
        continue;
      }
      if (v === null || v.action === 'flag') continue;
      if (textHash === '') textHash = fp64(view.nfc);
      this.emit(input, a.d.code, 'preview', v.observed, v.threshold, textHash, a.mode);
      if (a.enforce) { if (ctx.compiled.regexTrip !== null) this.regexTripped(); return false; }
    }
    if (ctx.compiled.regexTrip !== null) this.regexTripped();
    return true;
  }

  /** The breaker turned the REGEX set off (compiled.regex is null now): drop the rule, say so once. */
  private regexTripped(): void {
    const trip = this.compiled.regexTrip;
    if (trip === null) return;
    const { set, ms } = trip;
    this.compiled.regexTrip = null;
    this.regexParked = set;
    this.regexOffAtMs = this.lastNowMs;
    this.derive();
    this.regexOff(ms, this.cfg.version);
  }

  /** The cool-down is over: the set screens again (and trips again if it is slow again). */
  private regexBack(): void {
    this.compiled.regex = this.regexParked;
    this.regexParked = null;
    this.derive();
  }

  /** fp64(nfc), reusing the key's hash when the key is the same text (no second UTF-8 encode). */
  private textHash(nfc: string, key: string, fpKey: bigint): string {
    return fpKey !== NO_FP && nfc.length === key.length && nfc === key ? hex64(fpKey) : fp64(nfc);
  }

  /** Huge messages are decided on length alone: no analysis pass over 40 000 code points. */
  private overLength(input: ScreenInput, sender: SenderState, nowMs: number): ScreenResult | null {
    const r = this.cfg.rules.LEN_MAX;
    if (r.mode !== 'enforce' || input.text.length <= r.block) return null;
    let cp = input.text.length;
    if (NON_ASCII.test(input.text)) {
      const nfc = input.text.normalize('NFC');
      this.nfc = nfc;
      if (nfc.length <= r.block) return null; // no more code points than units
      // Code points = units minus low surrogates; counted on a copy (typed-array loads are far
      // cheaper than charCodeAt on a long two-byte string).
      const u = readUnits(nfc);
      let lows = 0;
      for (let i = 0; i < nfc.length; i++) if (((u[i] ?? 0) & 0xfc00) === 0xdc00) lows++;
      cp = nfc.length - lows;
    }
    if (cp <= r.block) return null;
    const extreme = cp > r.extremeAt || (r.extreme && r.action === 'block');
    const hit: Outcome = extreme ? 'terminate' : r.action;
    const textHash = fp64(input.text);
    this.emit(input, 'LEN_MAX', hit, cp, extreme ? r.extremeAt : r.block, textHash, 'enforce');
    sender.msgs++;
    // this.nfc is set when the text is not ASCII; ASCII text is NFC as it is
    return this.finish(input, sender, null, r.action, r.action === 'block', extreme, null, 0, textHash, this.nfc ?? input.text, nowMs);
  }

  private finish(input: ScreenInput, sender: SenderState, pair: PairState | null, outcome: Outcome, strike: boolean, extreme: boolean,
    notice: NoticeKind | null, retryAfterS: number, textHash: string, nfc: string, nowMs = input.nowMs): ScreenResult {
    const cfg = this.cfg;
    if (strike) {
      recordStrike(sender, nowMs, cfg.strikes);
      if (!extreme && strikeLimitReached(sender, nowMs, cfg.strikes)) {
        this.emit(input, 'STRIKES', 'terminate', sender.strikes.length, `${cfg.strikes.shortCount}/${cfg.strikes.shortWindowMs}ms|${cfg.strikes.longCount}/${cfg.strikes.longWindowMs}ms`, textHash, 'enforce');
        extreme = true;
      }
    }
    if (extreme) return { outcome: 'terminate', notice: renderNotice(cfg, 'terminated'), strike };
    if (outcome === 'allow' || outcome === 'flag') {
      if (pair !== null) pair.lastMsgMs = nowMs;
      return { outcome, strike, text: nfc };
    }
    if (outcome === 'block') return { outcome, notice: renderNotice(cfg, 'blocked'), strike };
    return { outcome, notice: renderNotice(cfg, notice ?? 'blocked', retryAfterS), strike };
  }

  private emit(input: PreviewInput, code: string, outcome: string, observed: number | string, threshold: number | string, textHash: string, mode: 'observe' | 'enforce'): void {
    const line: DecisionLog = {
      tenant: this.site, engagementId: input.engagementId, participant: input.participant, code, outcome,
      observed: typeof observed === 'number' ? Math.round(observed * 1000) / 1000 : observed, threshold,
      configVersion: this.cfg.version, textHash, mode, role: input.role,
    };
    if (this.cfg.audit.logText) line.text = input.text;
    this.log(line);
  }

  private senderState(key: string, nowMs: number): SenderState {
    let s = this.senders.get(key);
    if (s === undefined) { s = new SenderState(); this.senders.set(key, s); }
    s.lastSeenMs = nowMs;
    return s;
  }

  /** The pair's state (and through it the sender's), from the caller's slot when it still holds it. */
  private pairOf(input: ScreenInput, nowMs: number): PairState {
    const slot = input.slot;
    if (slot !== undefined && slot.owner === this) {
      const held = slot.pair;
      if (held !== null && held.live && held.senderKey === input.senderKey && held.engagementId === input.engagementId) {
        held.sender.lastSeenMs = nowMs;
        return held;
      }
    }
    const sender = this.senderState(input.senderKey, nowMs);
    sender.engagements.add(input.engagementId);
    let m = this.engagements.get(input.engagementId);
    if (m === undefined) { m = new Map(); this.engagements.set(input.engagementId, m); }
    let p = m.get(input.senderKey);
    // p.sender is the live sender: a pair's engagement stays in its sender's set until
    // forgetEngagement drops both, and sweep() only drops senders whose set is empty
    if (p === undefined) {
      p = new PairState(this.cfg.rules.RATE_BURST.burst, nowMs, sender, input.senderKey, input.engagementId);
      m.set(input.senderKey, p);
    }
    if (slot !== undefined) { slot.pair = p; slot.owner = this; }
    return p;
  }

  restoreStrike(senderKey: string, engagementId: string, atMs: number): void {
    const s = this.senderState(senderKey, atMs);
    s.engagements.add(engagementId);
    recordStrike(s, atMs, this.cfg.strikes);
  }

  /**
   * A strike another shard recorded for this sender (an agent's chats are on every shard): it
   * counts here as one of its own would, and is not journaled here — the shard that recorded it did.
   * The sender is held by it no longer than its own strikes would hold it (sweep).
   */
  addSharedStrike(senderKey: string, atMs: number): void {
    let s = this.senders.get(senderKey);
    if (s === undefined) { s = new SenderState(); this.senders.set(senderKey, s); }
    if (atMs > s.lastSeenMs) s.lastSeenMs = atMs;
    recordStrike(s, atMs, this.cfg.strikes);
  }

  /** [senderKey, at] of every strike still counting at nowMs, of the senders `which` picks. */
  strikesOf(which: (senderKey: string) => boolean, nowMs: number): Array<[string, number]> {
    const since = nowMs - this.strikeMemoryMs;
    const out: Array<[string, number]> = [];
    for (const [k, s] of this.senders) {
      if (s.strikes.length === 0 || !which(k)) continue;
      for (const at of s.strikes) if (at > since) out.push([k, at]);
    }
    return out;
  }

  forgetEngagement(engagementId: string): void {
    const m = this.engagements.get(engagementId);
    if (m === undefined) return;
    for (const [senderKey, p] of m) {
      p.live = false;
      this.senders.get(senderKey)?.engagements.delete(engagementId);
    }
    this.engagements.delete(engagementId);
  }

  /** Drop senders with no live engagement whose strikes and rate windows have all expired. */
  private sweep(nowMs: number): void {
    const keep = Math.max(this.cfg.strikes.longWindowMs, this.cfg.rules.URL_RATE.windowMs);
    for (const [k, s] of this.senders) {
      if (s.engagements.size === 0 && nowMs - s.lastSeenMs > keep) this.senders.delete(k);
    }
  }

  drainCampaignDeltas(): CampaignDelta[] { return this.campaign.drain(); }

  applyCampaignRemote(entries: CampaignRemote[]): void {
    this.campaign.applyRemote(entries, this.lastNowMs, this.cfg.rules.CAMPAIGN_XCONV.windowMs);
  }

  /** For tests and metrics. */
  stats(): { senders: number; engagements: number; campaignKeys: number } {
    return { senders: this.senders.size, engagements: this.engagements.size, campaignKeys: this.campaign.size };
  }
}
