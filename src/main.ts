// CLI entry: environment → config → server; prints the listening line and dev credentials.
import { ConfigError, optionsFromEnv, resolveServerConfig } from './config/server.ts';
import { createLogger } from './log.ts';
import { unknownVariables } from './config/startup-checks.ts';
import { startServer } from './server.ts';
import { StoreOpenError } from './store/data-dir.ts';
import { ListenError } from './http/accept-guard.ts';

async function main(): Promise<void> {
  const { options, problems } = optionsFromEnv(process.env);
  const cfg = resolveServerConfig(options, problems);
  const log = createLogger(cfg.logLevel, {}, cfg.logBufferBytes);
  for (const w of unknownVariables(process.env)) log.warn(w.fields, w.msg);
  const server = await startServer(cfg, log);
  process.stdout.write(`Parley listening on ${server.url}\n`);
  // the development credentials only while they work: not with PARLEY_DEMO_TENANT=off, not when a demo.yaml replaced them
  process.stdout.write(
    (server.builtInDemo ? `  development tenant "demo": integration user demo/demo, agents agent1..agent3/demo, pool 1:1\n` : '') +
      `  admin token: ${cfg.adminTokenGenerated ? cfg.adminToken + ' (generated; set PARLEY_ADMIN_TOKEN to fix it)' : '(from PARLEY_ADMIN_TOKEN)'}\n`,
  );
  let stopping = false;
  const shutdown = (sig: string, code = 0): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal: sig }, 'shutting down');
    // a stop that cannot finish (a shard thread stuck where it cannot be terminated) must not leave
    // a half-stopped process: process.exit() would wait on that thread too, so kill instead
    setTimeout(() => {
      process.stderr.write(JSON.stringify({ level: 'fatal', msg: 'graceful stop did not finish; killing the process', afterMs: cfg.stopTimeoutMs }) + '\n');
      process.kill(process.pid, 'SIGKILL');
    }, cfg.stopTimeoutMs);
    server.stop().then(
      () => process.exit(code),
      (e: unknown) => {
        log.error({ error: String(e) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // a shard that stopped being able to recover (damaged journal) after start: stop, do not loop
  server.shards.failed.catch((e: unknown) => {
    process.stderr.write(JSON.stringify({ level: 'fatal', msg: (e as Error).message }) + '\n');
    shutdown('fatal', 1);
  });
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof StoreOpenError || e instanceof ListenError) process.stderr.write(`parley: ${e.message}\n`);
  else process.stderr.write(`parley: failed to start: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
