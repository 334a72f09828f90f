// Per-tenant Tier-1 screens of one shard thread. A config update swaps a tenant's config between
// two mailbox batches (atomic for every request); per-sender state is kept across reloads.
// Decision logs go to stdout as pino JSON lines, from this thread, off the reply path.
import type { Logger } from 'pino';
import type { AgentStrike, TenantSnapshot } from '../src/protocol/shard.ts';
import { Tier1Engine, initTier1, type CampaignDelta, type CampaignRemote, type DecisionLog, type ResolvedTier1Config } from './tier1/index.ts';
import { REGEX_BREAKER_MS } from './tier1/regex.ts';
import { REGEX_BUDGET_CP } from './tier1/regex-cost.ts';
import { ALLOW_ALL, isAgentSender, type Screen } from './actor/screen.ts';

export class Screens {
  private readonly bySite = new Map<string, Tier1Engine>();
  private readonly log: Logger;
  /** per tenant: the engine's screened count at the last metrics report */
  private readonly reported = new Map<string, number>();
  /** decisions since the last metrics report, by tenant, code, outcome and mode */
  private decisions = new Map<string, [string, string, string, string, number]>();
  /** REGEX sets the breaker turned off since the last metrics report, by tenant */
  private regexDisabled = new Map<string, number>();

  /** `log`: the shard thread's logger (decision logs are its info lines) */
  constructor(log: Logger) {
    this.log = log;
  }

  async init(): Promise<void> {
    await initTier1();
  }

  setTenant(t: TenantSnapshot): void {
    // the engine recompiles keyword/regex sets per config version: make every reload a new version
    const base = t.tier1 as ResolvedTier1Config;
    const cfg = { ...base, version: `${String(base.version)}/${t.version}` } as ResolvedTier1Config;
    const cur = this.bySite.get(t.site);
    // Validation compiles what the engine compiles, so these failures should not happen; if one
    // does (RE2 memory, a version skew), a throw here would crash-loop the shard and take every
    // tenant down: log it and keep the tenant's previous config, or (none yet) run without the rule.
    if (cur) {
      const failed = cur.setConfig(cfg);
      if (failed.length > 0) this.log.error({ tenant: t.site, configVersion: cfg.version, failed }, 'tier1 config could not be compiled in this shard; the tenant\'s previous config stays live');
      return;
    }
    const engine = new Tier1Engine(t.site, cfg, (line: DecisionLog) => this.decided(line), (ms, configVersion) => this.regexTurnedOff(t.site, ms, configVersion));
    this.bySite.set(t.site, engine);
    if (engine.compileFailures.length > 0) {
      this.log.error({ tenant: t.site, configVersion: cfg.version, failed: engine.compileFailures }, 'tier1 config could not be fully compiled in this shard; the rules named in `failed` screen nothing, the others are live');
    }
  }

  private regexTurnedOff(site: string, ms: number, configVersion: number | string): void {
    const matchMs = Math.round(ms);
    this.log.error({ tenant: site, configVersion, matchMs, breakerMs: REGEX_BREAKER_MS },
      `tier1 REGEX set turned off on this shard: one match took ${matchMs} ms (breaker ${REGEX_BREAKER_MS} ms per ${REGEX_BUDGET_CP} code points); the tenant's other rules keep screening, and the set is back on when the tenant's config is next set`);
    this.regexDisabled.set(site, (this.regexDisabled.get(site) ?? 0) + 1);
  }

  private decided(line: DecisionLog): void {
    if (line.outcome === 'error') this.log.error({ tier1: line }, 'tier1 detector failed; the message was decided by the other rules');
    else this.log.info({ tier1: line }, 'tier1 decision');
    const key = `${line.tenant}\u0000${line.code}\u0000${line.outcome}\u0000${line.mode}`;
    const d = this.decisions.get(key);
    if (d) d[4]++;
    else this.decisions.set(key, [line.tenant, line.code, line.outcome, line.mode, 1]);
  }

  /** Counts since the last call (the shard's once-a-second metrics report). */
  drainMetrics(): { screened: Array<[string, number]>; decisions: Array<[string, string, string, string, number]>; regexDisabled: Array<[string, number]> } {
    const screened: Array<[string, number]> = [];
    for (const [site, e] of this.bySite) {
      const n = e.screened - (this.reported.get(site) ?? 0);
      if (n > 0) screened.push([site, n]);
      this.reported.set(site, e.screened);
    }
    const decisions = [...this.decisions.values()];
    this.decisions = new Map();
    const regexDisabled = [...this.regexDisabled];
    this.regexDisabled = new Map();
    return { screened, decisions, regexDisabled };
  }

  get(site: string): Screen {
    return this.bySite.get(site) ?? ALLOW_ALL;
  }

  /** Local campaign counts that changed since the last call, per tenant (sent to the main thread). */
  drainCampaigns(): Array<{ site: string; deltas: CampaignDelta[] }> {
    const out: Array<{ site: string; deltas: CampaignDelta[] }> = [];
    for (const [site, e] of this.bySite) {
      const deltas = e.drainCampaignDeltas();
      if (deltas.length) out.push({ site, deltas });
    }
    return out;
  }

  applyCampaign(site: string, entries: unknown[]): void {
    this.bySite.get(site)?.applyCampaignRemote(entries as CampaignRemote[]);
  }

  /** Agents' strikes still counting at nowMs (after recovery: those read back from the journal). */
  agentStrikes(nowMs: number): AgentStrike[] {
    const out: AgentStrike[] = [];
    for (const [site, e] of this.bySite) {
      const memoryMs = e.strikeMemoryMs;
      for (const [senderKey, at] of e.strikesOf(isAgentSender, nowMs)) out.push({ site, senderKey, at, until: at + memoryMs });
    }
    return out;
  }

  /** Agent strikes the tenant's other shards recorded. */
  addAgentStrikes(strikes: readonly AgentStrike[]): void {
    for (const s of strikes) this.bySite.get(s.site)?.addSharedStrike(s.senderKey, s.at);
  }
}
