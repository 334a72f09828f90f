// Which tenants go live, and the rule that each user name belongs to one tenant.
//
// Sign-ins carry no site: establishSessions and chatAuthenticate find the tenant by the integration
// user's name, serviceSettings and agentTokens by the agent's (Oracle has one issuer per site; here
// one serves every tenant). A name two tenants claimed went to whichever the search met first, or
// to whichever password matched: a tenant file added with another tenant's integration user took
// that tenant's customers, and the log said only `tenant config live`. So an integration user name,
// and an agent user name, may be claimed by one live tenant only (the two kinds are looked up by
// different endpoints, so they are separate namespaces).
//
// The tenant already live with a name keeps it: the newcomer, or the edited document that reaches
// for it, is refused — naming the field and the other tenant's file — and the registry keeps the
// edited document's previous config, as for any refused document. The holder is the site, not the
// document: the holder's own edited document keeps the name (before, any edit of it counted as a
// new claim, so a stray file claiming the name froze the holder's config — no password rotation).
// Where no claimant is live (at start, or two new documents at once) every claimant is refused:
// neither is more right, and at start a refused document stops start-up, so the operator decides.
//
// The built-in demo tenant is no claimant: the operator's documents win over it, and a demo user
// name a document claims is left out of demo (with a warning from the registry). Before this rule
// documents were searched first, so an agent named agent1 in a document signed in to its tenant;
// refusing the document instead would stop an upgraded node from starting.
import { BUILT_IN, DEMO_USERS, type Problem, type Tenant } from './tenants.ts';

interface Claim {
  readonly tenant: Tenant;
  /** the field, e.g. `credentials[0].user` */
  readonly path: string;
}

const KINDS = [
  { key: 'credentials', what: 'integration user', signIns: 'establishSessions and chatAuthenticate', users: (t: Pick<Tenant, 'credentials'>) => t.credentials },
  { key: 'agents', what: 'agent user', signIns: 'serviceSettings and agentTokens', users: (t: Pick<Tenant, 'agents'>) => t.agents },
] as const;

function describe(c: Claim): string {
  return `${c.path} in ${c.tenant.source}, site ${c.tenant.site}`;
}

/** no users: the previous config of a site that had none */
const NOBODY: Pick<Tenant, 'credentials' | 'agents'> = { credentials: [], agents: [] };

/**
 * The refusals that keep every user name to one tenant of `live`: one Problem per refused tenant,
 * an error per clashing field. A tenant whose site held the name live before this load
 * (`previous`) is never refused for it.
 */
export function usersClaimedTwice(live: ReadonlyArray<Tenant>, previous: ReadonlyMap<string, Tenant>): Problem[] {
  const errors = new Map<string, Problem['errors']>();
  for (const kind of KINDS) {
    const byUser = new Map<string, Claim[]>();
    for (const t of live) kind.users(t).forEach((u, i) => byUser.set(u.user, [...(byUser.get(u.user) ?? []), { tenant: t, path: `${kind.key}[${i}].user` }]));
    for (const [user, claims] of byUser) {
      if (claims.length < 2) continue;
      const held = (c: Claim): boolean => kind.users(previous.get(c.tenant.site) ?? NOBODY).some((u) => u.user === user);
      const holder = claims.find(held);
      for (const c of claims) {
        if (c === holder) continue;
        const others = holder ? [holder] : claims.filter((o) => o !== c);
        const message =
          `expected an ${kind.what} name no other tenant has (${JSON.stringify(user)} is also ${others.map(describe).join(', and ')}): ` +
          `${kind.signIns} carry no site, so the name alone picks the tenant — ` +
          (holder ? 'this document is refused and the tenant that has the name keeps it' : 'none of them is used until one name belongs to one tenant');
        errors.set(c.tenant.source, [...(errors.get(c.tenant.source) ?? []), { path: c.path, message }]);
      }
    }
  }
  return [...errors].map(([file, errs]) => ({ file, errors: errs }));
}

/** A demo user name a document claims, left out of the built-in tenant. */
export interface DemoYield {
  /** `credentials:demo`, `agents:agent1`: the kind and the name */
  readonly key: string;
  readonly user: string;
  /** the field of the demo tenant it was, e.g. `agents[0].user` */
  readonly path: string;
  /** the document that claims it */
  readonly file: string;
}

/**
 * The tenants to make live from a load: the valid documents (`fresh`, one per site), the previous
 * config of each site whose document is refused — less every document that claims a user name
 * another of them has — and the built-in `demo` tenant while no document defines site demo, less
 * the user names the documents claim (`yields`). `previous`: the live tenants before this load
 * (empty at start). `problems` gains the refusals.
 */
export function liveTenants(
  fresh: ReadonlyArray<Tenant>,
  problems: Problem[],
  previous: ReadonlyMap<string, Tenant>,
  /** the built-in tenant less the `kind:user` keys given, made when needed; undefined with PARLEY_DEMO_TENANT=off */
  builtIn: ((leaveOut: ReadonlySet<string>) => Tenant) | undefined,
): { live: Map<string, Tenant>; yields: DemoYield[] } {
  let docs = [...fresh];
  for (;;) {
    const live = new Map<string, Tenant>();
    for (const t of docs) live.set(t.site, t);
    // a tenant whose document is now refused keeps its previous config
    for (const [site, old] of previous) if (!live.has(site) && old.source !== BUILT_IN && problems.some((p) => p.file === old.source)) live.set(site, old);
    const clashes = usersClaimedTwice([...live.values()], previous);
    const out = new Set(clashes.map((p) => p.file));
    const left = docs.filter((t) => !out.has(t.source));
    // every refusal drops a document: this ends within as many rounds
    if (left.length === docs.length) {
      const yields = builtIn && !live.has('demo') ? demoUsersClaimed([...live.values()]) : [];
      if (builtIn && !live.has('demo')) live.set('demo', builtIn(new Set(yields.map((y) => y.key))));
      return { live, yields };
    }
    problems.push(...clashes);
    docs = left;
  }
}

/** The built-in demo tenant's user names that `docs` claim. */
function demoUsersClaimed(docs: ReadonlyArray<Tenant>): DemoYield[] {
  return KINDS.flatMap((kind) =>
    DEMO_USERS[kind.key].flatMap((user, i) => {
      const doc = docs.find((t) => kind.users(t).some((u) => u.user === user));
      return doc ? [{ key: `${kind.key}:${user}`, user, path: `${kind.key}[${i}].user`, file: doc.source }] : [];
    }),
  );
}
