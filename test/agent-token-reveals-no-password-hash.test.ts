// An agent token (the JWT from agentTokens) goes wherever a bot keeps it: its config, proxy logs,
// browser storage. Its claims must not let whoever reads it test password guesses offline. Before,
// its `credential` claim was sha256("parley-agent\0" + site + "\0" + user + "\0" + password) cut to
// 22 base64url chars, and site and user are claims of the same token: a dictionary found the
// password at millions of guesses a second, around the sign-in throttle. The stamp that lets a
// password change end sessions and refuse older tokens is now keyed by a secret of the data dir.
// Sessions and unused tokens made by the versions that wrote the old stamp keep working across the
// upgrade when the password is still the one they were made under, and end when it is not.
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, tempDir, type TestServer } from './helpers/server.ts';
import { basic, call } from './helpers/client.ts';
import { apath, newAgent, agentFor } from './helpers/agent-client.ts';
import { LmdbJournal } from '../src/store/lmdb.ts';
import { Jwt } from '../src/auth/jwt.ts';

const PASSWORD = 'alice-pw-123';
const doc = `site: acme
credentials: [{ user: acme, password: pw }]
agents:
  - { user: alice, password: ${PASSWORD}, name: Alice, accountId: 201 }
  - { user: bob, password: bob-pw, name: Bob, accountId: 202 }
  - { user: carol, password: carol-pw, name: Carol, accountId: 203 }
queues: [{ id: 1, name: Default }]
`;

/** The stamp of the versions before this fix, as the tester's offline attack computed it. */
const oldStamp = (site: string, user: string, password: string): string =>
  crypto.createHash('sha256').update(`parley-agent\0${site}\0${user}\0${password}`).digest('base64url').slice(0, 22);

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const tokenOf = async (base: string, user: string, pass: string): Promise<string> => {
  const r = await call(base, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: basic(user, pass) } });
  expect(r.status).toBe(200);
  return String(r.json.sessionToken);
};
const logon = (base: string, token: string) => call(base, 'POST', apath('acme', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `Bearer ${token}` } });
const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** Every string in the claims (nested ones too). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(strings);
  return [];
}

/** Plain (unkeyed) hashes of the password, alone and with the site and user, in the usual encodings. */
function plainHashes(site: string, user: string, password: string): string[] {
  const inputs = [
    password,
    `parley-agent\0${site}\0${user}\0${password}`,
    `${site}\0${user}\0${password}`,
    `${user}\0${password}`,
    `${site}:${user}:${password}`,
    `${user}:${password}`,
    `${site}${user}${password}`,
    `${user}${password}`,
  ];
  const out: string[] = [];
  for (const alg of ['sha256', 'sha1', 'md5', 'sha512', 'sha384', 'sha3-256']) {
    for (const input of inputs) {
      const d = crypto.createHash(alg).update(input).digest();
      out.push(d.toString('hex'), d.toString('base64'), d.toString('base64url'));
    }
  }
  return out;
}

describe('an agent token', () => {
  it('carries no plain hash of the password: a dictionary attack with the old derivation and the true password finds nothing', async () => {
    s = await startTestServer({ configDir: tenantConfigDir({ 'acme.yaml': doc }) });
    const token = await tokenOf(s.url, 'alice', PASSWORD);
    const claims = claimsOf(token);
    expect(claims.site).toBe('acme');
    expect(claims.sub).toBe('alice');

    // no claim is, starts or ends a plain hash of the password (values this long never do by chance)
    const values = strings(claims).filter((v) => v.length >= 8);
    for (const h of plainHashes('acme', 'alice', PASSWORD)) {
      for (const v of values) expect(h.startsWith(v) || h.endsWith(v) || v.includes(h), `claim ${v} against ${h}`).toBe(false);
    }

    // the tester's attack: the old derivation over a dictionary that holds the true password
    const dict = ['password', 'demo', 'secret', 'alice', 'changeme', PASSWORD, ...Array.from({ length: 2000 }, (_, i) => `guess${i}`)];
    const hits = dict.filter((p) => values.some((v) => v === oldStamp(String(claims.site), String(claims.sub), p)));
    expect(hits).toEqual([]);

    // and the token still does its job
    expect((await logon(s.url, token)).status).toBe(200);
  });

  it('made by the previous version, and its sessions, survive the upgrade under the same password, not under an older one', async () => {
    const cfg = tenantConfigDir({ 'acme.yaml': doc });
    const dataDir = tempDir('data');
    s = await startTestServer({ configDir: cfg, dataDir });
    const alice = await newAgent(s.url, 'alice', 'acme', PASSWORD);
    const bob = await newAgent(s.url, 'bob', 'acme', 'bob-pw');
    await s.stop();
    s = undefined;

    // the journal as the previous version left it: alice's record stamped under her password, bob's
    // under one changed while the node was down for the upgrade
    const j = new LmdbJournal(dataDir, 'commit');
    const stamps = new Map([[alice.sessionId, oldStamp('acme', 'alice', PASSWORD)], [bob.sessionId, oldStamp('acme', 'bob', 'bob-old-pw')]]);
    for (const [id, stamp] of stamps) {
      const rec = j.getMeta(`rt/acme/s/${id}`) as Record<string, unknown>;
      expect(rec).toBeDefined();
      j.putMeta(`rt/acme/s/${id}`, { ...rec, credential: stamp });
    }
    await j.barrier();
    await j.close();

    s = await startTestServer({ configDir: cfg, dataDir });
    expect((await agentFor(s.url, 'acme', alice.sessionId, alice.accountId, alice.clientId).call('getMessages', {})).status).toBe(200);
    const bobPoll = await agentFor(s.url, 'acme', bob.sessionId, bob.accountId, bob.clientId).call('getMessages', {});
    expect(bobPoll.status).toBe(403);
    expect(bobPoll.json.code).toBe('SESSION_UNKNOWN');

    // unused tokens the previous version signed (an hour's life at most): the current password logs on, an older one does not
    const { jwt } = await Jwt.open(dataDir);
    const old = (credential: string) => jwt.sign({ kind: 'agent', site: 'acme', sub: 'carol', accountId: 203, credential }, 3600);
    const stale = await logon(s.url, await old(oldStamp('acme', 'carol', 'carol-old-pw')));
    expect(stale.status).toBe(403);
    expect(stale.json.code).toBe('ACCESS_DENIED');
    expect((await logon(s.url, await old(oldStamp('acme', 'carol', 'carol-pw')))).status).toBe(200);
    await s.stop();
    s = undefined;

    // the old stamp is not kept: alice's record now holds the keyed one
    const after = new LmdbJournal(dataDir, 'commit');
    const rec = after.getMeta(`rt/acme/s/${alice.sessionId}`) as Record<string, unknown>;
    await after.close();
    expect(typeof rec.credential).toBe('string');
    expect(rec.credential).not.toBe(stamps.get(alice.sessionId));
  });
});
