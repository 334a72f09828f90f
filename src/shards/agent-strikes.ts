// Main-thread ledger of agents' Tier-1 strikes across shards. Pure: no timers, no ports.
//
// A customer's engagements all live on one shard, so its strikes are counted where it posts. An
// agent's chats are spread over every shard, and each shard counted only the strikes it saw: with
// N shards an agent reached the strike limit only after N times as many. So a shard sends each
// agent strike here once it is committed (riding its outbound batch, never a round trip in a
// post's path), and every other shard is sent it and adds it to the agent's strike log.
//
// A shard thread that restarts recovers its own strikes from its journal and loses the others'.
// The ledger keeps every agent strike until it stops counting, so:
//  - when a shard goes down it stops being sent strikes (they would die with it or be counted
//    twice); after its recovery it sends what it recovered (`recovered`), and is then sent every
//    strike of the other shards once, and live ones from then on;
//  - what it recovered the ledger already held (sent live before the restart) is not sent again:
//    the other shards count it already. What the ledger lacks (the whole process restarted, or the
//    live message died with the thread) goes to the other shards now.
import type { AgentStrike } from '../protocol/shard.ts';

/** the most strikes a shard keeps per sender (strikes.longCount ≤ 64, src/config/tier1.ts) */
const KEPT_PER_SHARD = 64;

interface Sender {
  site: string;
  senderKey: string;
  /** shard → its strikes of this sender, oldest first */
  byShard: Map<number, Array<{ at: number; until: number }>>;
}

export class AgentStrikeLedger {
  private readonly senders = new Map<string, Sender>();
  /** shards that have sent their `recovered` since they (re)started: the only ones sent strikes */
  private readonly synced = new Set<number>();

  /** `shard`'s thread ended: nothing is sent to it until its recovery reports in. */
  down(shard: number): void {
    this.synced.delete(shard);
  }

  /**
   * Strikes `from` recorded (or, `recovered`, read back from its journal after a start), and where
   * each must go: a list of [shard, strikes] to send. Strikes that stopped counting are dropped.
   */
  ingest(from: number, strikes: readonly AgentStrike[], recovered: boolean, nowMs: number): Array<[number, AgentStrike[]]> {
    const fresh = recovered ? this.unheld(from, strikes, nowMs) : strikes.filter((s) => s.until > nowMs);
    for (const s of fresh) this.keep(from, s);
    const out: Array<[number, AgentStrike[]]> = [];
    if (fresh.length > 0) for (const to of this.synced) if (to !== from) out.push([to, fresh]);
    if (recovered) {
      this.synced.add(from);
      const others = this.othersOf(from, nowMs);
      if (others.length > 0) out.push([from, others]);
    }
    return out;
  }

  /** Forgets the strikes that stopped counting. */
  expire(nowMs: number): void {
    for (const [k, s] of this.senders) {
      for (const [shard, list] of s.byShard) {
        let i = 0;
        while (i < list.length && (list[i]?.until ?? 0) <= nowMs) i++;
        if (i === list.length) s.byShard.delete(shard);
        else if (i > 0) list.splice(0, i);
      }
      if (s.byShard.size === 0) this.senders.delete(k);
    }
  }

  /** senders held (for tests) */
  get size(): number {
    return this.senders.size;
  }

  /** The recovered strikes of `from` the ledger does not hold yet (equal times are matched one to one). */
  private unheld(from: number, strikes: readonly AgentStrike[], nowMs: number): AgentStrike[] {
    const held = new Map<string, number>();
    for (const s of this.senders.values()) {
      for (const k of s.byShard.get(from) ?? []) {
        const id = `${s.site}\u0000${s.senderKey}\u0000${k.at}`;
        held.set(id, (held.get(id) ?? 0) + 1);
      }
    }
    const out: AgentStrike[] = [];
    for (const s of strikes) {
      if (s.until <= nowMs) continue;
      const id = `${s.site}\u0000${s.senderKey}\u0000${s.at}`;
      const n = held.get(id) ?? 0;
      if (n > 0) held.set(id, n - 1);
      else out.push(s);
    }
    return out;
  }

  private keep(shard: number, s: AgentStrike): void {
    const key = `${s.site}\u0000${s.senderKey}`;
    let sender = this.senders.get(key);
    if (sender === undefined) {
      sender = { site: s.site, senderKey: s.senderKey, byShard: new Map() };
      this.senders.set(key, sender);
    }
    let list = sender.byShard.get(shard);
    if (list === undefined) {
      list = [];
      sender.byShard.set(shard, list);
    }
    // by time, as recordStrike keeps a shard's log (workers/tier1/policy.ts)
    let i = list.length;
    while (i > 0 && (list[i - 1]?.at ?? 0) > s.at) i--;
    list.splice(i, 0, { at: s.at, until: s.until });
    if (list.length > KEPT_PER_SHARD) list.shift();
  }

  private othersOf(shard: number, nowMs: number): AgentStrike[] {
    const out: AgentStrike[] = [];
    for (const s of this.senders.values()) {
      for (const [from, list] of s.byShard) {
        if (from === shard) continue;
        for (const k of list) if (k.until > nowMs) out.push({ site: s.site, senderKey: s.senderKey, at: k.at, until: k.until });
      }
    }
    return out;
  }
}
