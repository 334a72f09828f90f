// Starts the real server in-process: port 0, real shard threads, a real LMDB journal in a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveServerConfig, type ServerOptions } from '../../src/config/server.ts';
import { createLogger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  configDir: string;
  adminToken: string;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `parley-${prefix}-`));
}

/** A config dir holding `tenants/<name>` documents (YAML or JSON text). */
export function tenantConfigDir(files: Record<string, string>): string {
  const dir = tempDir('config');
  fs.mkdirSync(path.join(dir, 'tenants'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'tenants', name), text);
  return dir;
}

export async function startTestServer(opts: ServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir('data');
  const configDir = opts.configDir ?? tempDir('config');
  const cfg = resolveServerConfig({ port: 0, shards: 2, longPollMs: 1000, concludeGraceMs: 1000, adminToken: 'test-admin', logLevel: 'silent', ...opts, dataDir, configDir });
  const server = await startServer(cfg, createLogger(cfg.logLevel));
  return Object.assign(server, { dataDir, configDir, adminToken: cfg.adminToken });
}
