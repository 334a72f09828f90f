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
// edited document's previous config, as for any refused document. Where no claimant is live (at
// start, or two new documents at once) every claimant is refused: neither is more right, and at
// start a refused document stops start-up, so the operator decides.
import { BUILT_IN, type Problem, type Tenant } from './tenants.ts';

interface Claim {
  readonly tenant: Tenant;
  /** the field, e.g. `credentials[0].user` */
  readonly path: string;
}

const KINDS = [
  { key: 'credentials', what: 'integration user', signIns: 'establishSessions and chatAuthenticate', users: (t: Tenant) => t.credentials },
  { key: 'agents', what: 'agent user', signIns: 'serviceSettings and agentTokens', users: (t: Tenant) => t.agents },
] as const;

function describe(c: Claim): string {
  if (c.tenant.source === BUILT_IN) return `${c.path} of the built-in development tenant "demo" (PARLEY_DEMO_TENANT=off removes it)`;
  return `${c.path} in ${c.tenant.source}, site ${c.tenant.site}`;
}

/**
 * The refusals that keep every user name to one tenant of `live`: one Problem per refused tenant,
 * an error per clashing field. `incumbent` tenants (live now and staying) are never refused.
 */
export function usersClaimedTwice(live: ReadonlyArray<Tenant>, incumbent: (t: Tenant) => boolean): Problem[] {
  const errors = new Map<string, Problem['errors']>();
  for (const kind of KINDS) {
    const byUser = new Map<string, Claim[]>();
    for (const t of live) kind.users(t).forEach((u, i) => byUser.set(u.user, [...(byUser.get(u.user) ?? []), { tenant: t, path: `${kind.key}[${i}].user` }]));
    for (const [user, claims] of byUser) {
      if (claims.length < 2) continue;
      const holder = claims.find((c) => incumbent(c.tenant));
      for (const c of claims) {
        if (incumbent(c.tenant)) continue;
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

/**
 * The tenants to make live from a load: the valid documents (`fresh`, one per site), the previous
 * config of each site whose document is refused, and the built-in `demo` tenant while no document
 * defines site demo — less every document that claims a user name another of them has. `previous`:
 * the live tenants before this load (empty at start). `problems` gains the refusals.
 */
export function liveTenants(
  fresh: ReadonlyArray<Tenant>,
  problems: Problem[],
  previous: ReadonlyMap<string, Tenant>,
  /** the built-in tenant, made when needed; undefined with PARLEY_DEMO_TENANT=off */
  builtIn: (() => Tenant) | undefined,
): Map<string, Tenant> {
  const atStart = previous.size === 0;
  // live now and staying; at start the built-in tenant is the fixed one a document must not clash with
  const incumbent = (t: Tenant): boolean => previous.get(t.site) === t || (atStart && t.source === BUILT_IN);
  let docs = [...fresh];
  let withDemo = builtIn !== undefined;
  let demo: Tenant | undefined;
  for (;;) {
    const live = new Map<string, Tenant>();
    for (const t of docs) live.set(t.site, t);
    // a tenant whose document is now refused keeps its previous config
    for (const [site, old] of previous) if (!live.has(site) && problems.some((p) => p.file === old.source)) live.set(site, old);
    if (withDemo && builtIn && !live.has('demo')) live.set('demo', (demo ??= builtIn()));
    const clashes = usersClaimedTwice([...live.values()], incumbent);
    const out = new Set(clashes.map((p) => p.file));
    const left = docs.filter((t) => !out.has(t.source));
    const demoOut = withDemo && out.has(BUILT_IN);
    // every refusal drops a document (or the built-in tenant): this ends within as many rounds
    if (left.length === docs.length && !demoOut) return live;
    problems.push(...clashes);
    docs = left;
    if (demoOut) withDemo = false;
  }
}
