// What Tier-1 did with the adversarial scenario's senders (adversarial-senders.ts plans them).
// Blocked posts answer 200 like allowed ones, and the 409s are posts to senders already ended, so
// the status counts cannot show it: Parley's own counters (GET /admin/v1/metrics) are read before
// and after the measured rounds, and the report describes the load and the difference.

/** Parley's Tier-1 counters for one tenant. */
export interface Tier1Counts {
  /** posts screened (parley_tier1_screened_total) */
  screened: number;
  /** rule decisions other than allow, `CODE:outcome` → count (parley_tier1_decisions_total, enforced) */
  decisions: Record<string, number>;
  /** engagements ended by Tier-1 (parley_engagements_ended_total{cause="tier1"}; the server runs one tenant here) */
  terminated: number;
}

const SAMPLE = /^(\w+)\{([^}]*)\} (\d+(?:\.\d+)?)$/;

function labels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Reads the counters of `site` from a Prometheus text page. */
export function readTier1Counts(page: string, site: string): Tier1Counts {
  const c: Tier1Counts = { screened: 0, decisions: {}, terminated: 0 };
  for (const line of page.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const l = labels(m[2]!);
    const n = Number(m[3]);
    if (m[1] === 'parley_tier1_screened_total' && l.site === site) c.screened += n;
    else if (m[1] === 'parley_tier1_decisions_total' && l.site === site && l.mode === 'enforce') {
      const k = `${l.code}:${l.outcome}`;
      c.decisions[k] = (c.decisions[k] ?? 0) + n;
    } else if (m[1] === 'parley_engagements_ended_total' && l.cause === 'tier1') c.terminated += n;
  }
  return c;
}

export function tier1Delta(before: Tier1Counts, after: Tier1Counts): Tier1Counts {
  const decisions: Record<string, number> = {};
  for (const [k, n] of Object.entries(after.decisions)) {
    const d = n - (before.decisions[k] ?? 0);
    if (d > 0) decisions[k] = d;
  }
  return { screened: after.screened - before.screened, decisions, terminated: after.terminated - before.terminated };
}

/** The counters now. Shards report them once a second: wait that long after load before reading. */
export async function fetchTier1Counts(base: string, adminToken: string, site: string): Promise<Tier1Counts> {
  const r = await fetch(`${base}/admin/v1/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (r.status !== 200) throw new Error(`GET /admin/v1/metrics: ${r.status}`);
  return readTier1Counts(await r.text(), site);
}

/** How the adversarial load was planned (the report's account of it). */
export interface AdversarialPlan {
  /** one request in `every` is adversarial */
  every: number;
  /** posts per sender (see adversarialLife); null: the walk never ends a sender, so it used all its texts */
  life: number | null;
  texts: number;
  poolPerRound: number;
  rounds: number;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * One paragraph: what the adversarial load was, and what Parley's screen did with it. `refused`:
 * posts answered 409 or 403 — the post that ends a sender is answered 409 ENGAGEMENT_TERMINATED
 * itself, and so is every later post of that sender (403 after the grace period).
 */
export function describeAdversarial(plan: AdversarialPlan, requests: number, refused: number, counts: Tier1Counts | null): string {
  const adv = requests / plan.every;
  // with the counters, the posts that ended a sender are known: the rest of the refusals came after
  const late = counts === null ? refused : Math.max(0, refused - counts.terminated);
  const reached = Math.max(0, adv - late);
  const out: string[] = [];
  out.push(
    `Adversarial (Parley): one request in ${plan.every} came from an adversarial sender, ~${int(adv)} posts. ` +
      (plan.life === null
        ? `The screen did not end a sender that walks all ${plan.texts} adversarial texts (benchadv rules), so each sender posted all ${plan.texts}; `
        : `Each sender posts its texts in order, ${plan.life} of them — the screen ends it at post ${plan.life} (computed with the benchadv rules before the run) — then a fresh one takes over; `) +
      `${int(plan.poolPerRound)} senders a round, ${plan.rounds} round(s). ` +
      (counts === null
        ? `${int(refused)} posts were answered 409/403 — the post that ended each sender and any later post of an ended sender — so at least ~${int(reached)} (${adv > 0 ? Math.round((reached / adv) * 100) : 0} %) of the adversarial posts reached the screen.`
        : `${int(refused)} posts were answered 409/403: ${int(Math.min(refused, counts.terminated))} ended their sender, ${int(late)} came after their sender had been ended (the pool ran out, or posts overtook each other), so ~${int(reached)} (${adv > 0 ? Math.round((reached / adv) * 100) : 0} %) of the adversarial posts reached the screen.`),
  );
  if (counts === null) {
    out.push("Parley's Tier-1 counters could not be read, so its blocks and terminations are not counted here (blocked posts answer 200 like allowed ones).");
  } else {
    const byOutcome = new Map<string, Array<[string, number]>>();
    for (const [k, n] of Object.entries(counts.decisions)) {
      const [code, outcome] = k.split(':') as [string, string];
      byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), [code, n]]);
    }
    const parts = [...byOutcome].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, codes]) => {
      const total = codes.reduce((a, [, n]) => a + n, 0);
      return `${outcome} ${int(total)} (${codes.sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${int(n)}`).join(', ')})`;
    });
    out.push(
      `From Parley's counters over the measured rounds (GET /admin/v1/metrics; blocked posts answer 200 like allowed ones): ${int(counts.screened)} posts screened, ` +
        `**${int(counts.terminated)} engagements ended by Tier-1**; rule decisions ${parts.length ? parts.join('; ') : 'none'}.`,
    );
    if (counts.terminated === 0 && parts.length === 0) out.push('No Tier-1 block or termination happened: the screen does not appear to be active in this server build.');
  }
  return out.join(' ');
}
