// A tenant file that does not parse is reported by where the error is (line and column), never by
// its text: tenant files hold passwords, and the YAML parser's message quotes the lines around the
// error (V8's JSON message quotes the text near it). Before, "tenant config rejected" and the PUT's
// "tier1 change is live but not written …" line both carried `credentials: [{ user: acme, password: … }`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { call, until } from './helpers/client.ts';

const SECRET = 'Pw-31337-secret';
const AGENT_SECRET = 'Agent-Pw-4242';
const GOOD = `site: acme\ncredentials: [{ user: acme, password: ${SECRET} }]\nagents: [{ user: alice, password: ${AGENT_SECRET} }]\n`;
// the closing ] of the flow sequence is missing: a syntax error at line 3, column 1
const BROKEN = `site: acme\ncredentials: [{ user: acme, password: ${SECRET} }\nagents: [{ user: alice, password: ${AGENT_SECRET} }]\n`;

let srv: ServerProcess;
let dir: string;
beforeAll(async () => {
  dir = tenantConfigDir({ 'acme.yaml': GOOD });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('yamlsecret'), PARLEY_CONFIG_DIR: dir, PARLEY_LOG_LEVEL: 'info' });
});
afterAll(() => srv?.child.kill('SIGKILL'));

const lines = (msg: string): Array<Record<string, unknown>> =>
  srv.output().split('\n').filter((l) => l.includes(`"msg":"${msg}`)).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a tenant file with a syntax error', () => {
  it('is logged with its line and column, without the file text', async () => {
    fs.writeFileSync(path.join(dir, 'tenants', 'acme.yaml'), BROKEN);
    expect(await until(() => lines('tenant config rejected').some((l) => String(l.file).endsWith('acme.yaml')), 5000)).toBe(true);
    const rejected = lines('tenant config rejected').find((l) => String(l.file).endsWith('acme.yaml'));
    const text = JSON.stringify(rejected);
    expect(text).toMatch(/line 3, column 1/);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(AGENT_SECRET);
    expect(text).not.toContain('credentials: [');
  });

  it("a PUT that cannot write into it logs the failure without the file text, and says why in its answer", async () => {
    const put = await call(srv.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: { authorization: 'Bearer test-admin' }, body: { tier1: { mode: 'observe' } } });
    expect(put.status).toBe(200);
    expect(put.json.persisted).toBe(false);
    expect(put.text).not.toContain(SECRET);
    expect(await until(() => lines('tier1 change is live but not written').length > 0, 5000)).toBe(true);
    const logged = JSON.stringify(lines('tier1 change is live but not written'));
    expect(logged).toMatch(/line 3, column 1/);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(AGENT_SECRET);
  });

  it('nothing the process printed holds the passwords', () => {
    expect(srv.output()).not.toContain(SECRET);
    expect(srv.output()).not.toContain(AGENT_SECRET);
  });

  it('a JSON file is reported by its line and column too, without its text', async () => {
    fs.writeFileSync(path.join(dir, 'tenants', 'beta.json'), `{"site": "beta",\n "credentials": [{"user": "b", "password": "${SECRET}"}\n}\n`);
    expect(await until(() => lines('tenant config rejected').some((l) => String(l.file).endsWith('beta.json')), 5000)).toBe(true);
    const text = JSON.stringify(lines('tenant config rejected').find((l) => String(l.file).endsWith('beta.json')));
    expect(text).toMatch(/JSON syntax error at line 3, column 1/);
    expect(text).not.toContain(SECRET);
  });
});
