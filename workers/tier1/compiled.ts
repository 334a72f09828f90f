// What an engine derives once per config version: RE2 objects (which cannot cross threads, so
// they are not part of the resolved config), domain sets and canned-reply fingerprints.
import RE2 from 're2';
import type { ResolvedTier1Config } from '../../src/config/tier1.ts';
import { analyze } from './analysis.ts';
import { domainKey } from './domainKey.ts';
import { fp64n } from './hash.ts';
import { mappedTwin } from './ipHost.ts';
import { joinedKeywordRegex, keywordRegex, PhraseNamer, regexSet, type RegexSet } from './patterns.ts';

export interface Compiled {
  keyword: RE2 | null; // one alternation: allow phrases in group 1, keywords in group 2
  keywordJoined: RE2 | null; // the same, spaces removed and no word boundaries, for View.joined
  phrases: PhraseNamer | null; // which phrase a keyword hit matched (for the log)
  phrasesJoined: PhraseNamer | null; // the same for a hit in View.joined
  /** null when the tenant has no patterns, or once the breaker turned the set off (regex.ts) */
  regex: RegexSet | null;
  /** the set the REGEX breaker just took out of `regex`, and how long its match took, until the engine parks it (regex.ts) */
  regexTrip: { set: RegexSet; ms: number } | null;
  deny: Map<string, boolean>; // domain → extreme
  allow: Set<string>;
  /**
   * key fingerprints (fp64n, links and numbers as written) of tenant canned replies: a copy of the
   * reply is exempt from CAMPAIGN_XCONV, its words with another link or number are not (masked
   * fingerprints let a campaign ride on a canned reply's words with its own payload)
   */
  canned: Set<bigint>;
  /** `RULE: why` for each rule whose RE2 program could not be built (left null: the rule is off) */
  failed: string[];
}

/** `build()`, or null with the reason recorded: one rule RE2 cannot compile must not take the shard down. */
function attempt<T>(failed: string[], rule: string, build: () => T): T | null {
  try { return build(); } catch (e) { failed.push(`${rule}: ${e instanceof Error ? e.message : String(e)}`); return null; }
}

export function compile(cfg: ResolvedTier1Config): Compiled {
  const failed: string[] = [];
  const kw = cfg.rules.KEYWORD;
  const keyword = kw.phrases.length > 0 ? attempt(failed, 'KEYWORD', () => keywordRegex(kw.phrases, kw.allow)) : null;
  const keywordJoined = keyword !== null ? attempt(failed, 'KEYWORD', () => joinedKeywordRegex(kw.phrases, kw.allow)) : null;
  const phrases = keyword !== null ? new PhraseNamer(kw.phrases) : null;
  const phrasesJoined = keywordJoined !== null ? new PhraseNamer(kw.phrases, true) : null;
  const pats = cfg.rules.REGEX.patterns;
  const regex = pats.length > 0 ? attempt(failed, 'REGEX', () => regexSet(pats)) : null;
  // Entries are matched in the form message hosts take (validation rejected those with none); an
  // IPv4 address and its IPv4-mapped IPv6 form are one machine, so each names the other too.
  const deny = new Map<string, boolean>();
  for (const d of cfg.rules.URL_DENY.deny) {
    const k = domainKey(d.domain) ?? d.domain;
    const twin = mappedTwin(k);
    deny.set(k, d.extreme || (deny.get(k) ?? false));
    if (twin !== null) deny.set(twin, d.extreme || (deny.get(twin) ?? false));
  }
  const allow = new Set<string>();
  for (const a of cfg.rules.URL_DENY.allow) {
    const k = domainKey(a) ?? a;
    const twin = mappedTwin(k);
    allow.add(k);
    if (twin !== null) allow.add(twin);
  }
  const canned = new Set<bigint>();
  for (const t of cfg.rules.CAMPAIGN_XCONV.cannedReplies) canned.add(fp64n(analyze(t).key));
  return { keyword, keywordJoined, phrases, phrasesJoined, regex, regexTrip: null, deny, allow, canned, failed };
}
