// Composition root: config → store check → tenants → shards → HTTP. Owns start and graceful stop.
import path from 'node:path';
import uWS from 'uWebSockets.js';
import type { Logger } from 'pino';
import { ConfigError, type ResolvedServerConfig } from './config/server.ts';
import { TenantRegistry, snapshotOf } from './config/tenant-registry.ts';
import { BUILT_IN, errorLine } from './config/tenants.ts';
import { checkConfigDir, unsafeSettings } from './config/startup-checks.ts';
import { resolveTier1 } from './config/tier1.ts';
import { Jwt } from './auth/jwt.ts';
import { AgentStamps, STAMP_KEY_LABEL } from './auth/agent-credential.ts';
import { Supervisor } from './shards/supervisor.ts';
import { checkDataDir } from './store/data-dir.ts';
import { lockDataDir } from './store/dir-lock.ts';
import { CampaignTable } from './shards/campaign.ts';
import { AgentStrikeLedger } from './shards/agent-strikes.ts';
import type { CampaignDelta } from '../workers/tier1/index.ts';
import { buildApp } from './http/app.ts';
import { closeConnectionsAfterAnswers } from './http/guard.ts';
import { AcceptGuard, fdLimit, listen } from './http/accept-guard.ts';
import { SignInThrottle } from './http/auth-throttle.ts';
import { EngagementRateLimit } from './http/engagement-rate-limit.ts';
import type { WsHub } from './http/ws.ts';
import type { AgentWsHub } from './http/agent-ws.ts';
import type { HttpContext } from './http/context.ts';
import { AgentDirectory } from './http/agent-directory.ts';
import { queueStatsFromRouting } from './http/agent.ts';
import { shardOfVshard } from './router/ids.ts';
import { assertNever, type ShardEvent } from './protocol/shard.ts';
import { Metrics } from './metrics.ts';

export interface RunningServer {
  readonly port: number;
  /** the built-in `demo` tenant (public credentials) was live at start: not off, not replaced by a demo.yaml */
  readonly builtInDemo: boolean;
  readonly host: string;
  readonly url: string;
  readonly shards: Supervisor;
  stop(): Promise<void>;
}

const CAMPAIGN_EXCHANGE_MS = 200;

export async function startServer(cfg: ResolvedServerConfig, log: Logger): Promise<RunningServer> {
  // before anything reads or writes the dir: a second process on it would replay and append too
  const dirLock = await lockDataDir(cfg.dataDir);
  let server: RunningServer;
  try {
    server = await startLocked(cfg, log);
  } catch (e) {
    await dirLock.release();
    throw e;
  }
  let stopped: Promise<void> | undefined;
  return { ...server, stop: () => (stopped ??= server.stop().finally(() => dirLock.release())) };
}

async function startLocked(cfg: ResolvedServerConfig, log: Logger): Promise<RunningServer> {
  // also with PARLEY_JOURNAL=off: the JWT key lives there
  const { migratedEvents } = await checkDataDir(cfg.dataDir, cfg.journalSync);
  if (migratedEvents > 0) log.info({ events: migratedEvents }, 'journal migrated to the log layout');
  const { jwt, replacedEmpty } = await Jwt.open(cfg.dataDir);
  if (replacedEmpty) log.warn({ file: path.join(cfg.dataDir, 'jwt.key') }, 'JWT key file was empty (a crash during its first write); a new key was made');
  const stamps = new AgentStamps(jwt.derivedKey(STAMP_KEY_LABEL));
  const logFn = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>): void => log[level](extra ?? {}, msg);

  const dirCheck = await checkConfigDir(cfg.configDir);
  for (const w of [...dirCheck.warnings, ...unsafeSettings(cfg)]) log.warn(w.fields, w.msg);
  for (const n of dirCheck.notes) log.info(n.fields, n.msg);

  let shards: Supervisor | undefined;
  const metrics = new Metrics();
  const tenants = new TenantRegistry(cfg.configDir, resolveTier1, logFn, (t) => {
    log.info({ site: t.site, version: t.version, source: t.source }, 'tenant config live');
    shards?.broadcast({ k: 'tenant', tenant: snapshotOf(t, stamps) });
  }, (t) => {
    log.info({ site: t.site, source: t.source }, 'tenant config removed; its agent sessions end');
    // its last config with no agents: the home shard ends their sessions as logoffs
    shards?.broadcast({ k: 'tenant', tenant: { ...snapshotOf(t, stamps), agents: [] } });
  }, cfg.demoTenant);
  await tenants.load();
  // a refused document would leave its site unserved (404 UNKNOWN_SITE) on a node that says ready:
  // stop, naming each file and field, as a bad variable does; at runtime a bad edit keeps the old config
  const refused = tenants.refused();
  if (refused.length > 0) {
    tenants.close();
    throw new ConfigError(refused.flatMap((p) => p.errors.map((e) => `${p.file}: ${errorLine(e)}`)));
  }
  tenants.watch();
  const builtInDemo = tenants.get('demo')?.source === BUILT_IN;
  // its credentials are public (README): fine for a quick start, a hole next to real tenants
  if (builtInDemo && tenants.all().length > 1) log.warn({ site: 'demo', credentials: 'demo/demo, agent1..agent3/demo' }, 'the built-in development tenant "demo" is live with public credentials next to tenant documents; set PARLEY_DEMO_TENANT=off in production');

  const campaigns = new CampaignTable();
  const agentStrikes = new AgentStrikeLedger();
  // set once the app is built; shard events can only arrive for sockets it created
  let ws: Pick<WsHub, 'push' | 'end' | 'closeAll' | 'shardDown'> | undefined;
  let agentWs: Pick<AgentWsHub, 'push' | 'end' | 'closeAll' | 'shardDown'> | undefined;
  const agents = new AgentDirectory();
  const onEvent = (shard: number, m: ShardEvent): void => {
    switch (m.k) {
      case 'push':
        ws?.push(m.wsId, m.json);
        return;
      case 'wsEnd':
        ws?.end(m.wsId, m.replaced === true);
        return;
      case 'campaign':
        campaigns.ingest(shard, m.site, m.deltas as CampaignDelta[]);
        return;
      // an agent's strikes count on every shard its chats are on (src/shards/agent-strikes.ts)
      case 'agentStrikes':
        for (const [to, strikes] of agentStrikes.ingest(shard, m.strikes, m.recovered === true, Date.now())) shards?.send(to, { k: 'agentStrikes', strikes });
        return;
      case 'metrics':
        metrics.applyShard(shard, m);
        return;
      // agent routing: one-way events between engagement shards and a tenant's home shard
      case 'fwd':
        shards?.forward(shardOfVshard(m.vshard, cfg.shards), { k: 'fwd', ev: m.ev });
        return;
      case 'agentSession':
        if (m.up) agents.up({ site: m.site, token: m.token, accountId: m.accountId, clientId: m.clientId, name: m.name });
        else agents.down(m.token);
        return;
      case 'agentPush':
        agentWs?.push(m.wsId, m.json);
        return;
      case 'agentWsEnd':
        agentWs?.end(m.wsId, m.replaced === true);
        return;
      default:
        assertNever(m);
    }
  };
  shards = new Supervisor({
    shards: cfg.shards,
    dataDir: cfg.dataDir,
    journal: cfg.journal,
    sync: cfg.journalSync,
    actors: {
      longPollMs: cfg.longPollMs,
      pollReplayMs: cfg.pollReplayMs,
      concludeGraceMs: cfg.concludeGraceMs,
      retentionMs: cfg.retentionMs,
      offerTimeoutMs: cfg.offerTimeoutMs,
      wsMaxPerEngagement: cfg.wsMaxPerEngagement,
      wsMaxPerAgentSession: cfg.wsMaxPerAgentSession,
      wsMaxBackpressure: cfg.wsMaxBackpressure,
      consumerIdleMs: cfg.consumerIdleMs,
      agentIdleMs: cfg.agentIdleMs,
      admission: {
        maxEngagements: cfg.shardMaxEngagements,
        heapAdmitBytes: Math.floor((cfg.shardMaxHeapMb * 1_048_576 * cfg.shardHeapAdmitPct) / 100),
        minFreeBytes: cfg.journalMinFreeMb * 1_048_576,
      },
    },
    maxHeapMb: cfg.shardMaxHeapMb,
    hangMs: cfg.shardHangMs,
    faultInjection: cfg.faultInjection,
    logLevel: cfg.logLevel,
    logBufferBytes: cfg.logBufferBytes,
    codec: cfg.shardCodec,
    tenants: () => tenants.all().map((t) => snapshotOf(t, stamps)),
    onEvent,
    onDown: (shard) => {
      agentStrikes.down(shard);
      ws?.shardDown(shard);
      agentWs?.shardDown(shard);
    },
    log: logFn,
  });
  const sup = shards;
  try {
    await sup.start();
  } catch (e) {
    // a shard that cannot recover (damaged journal): the others are up and must not stay running
    tenants.close();
    await sup.stop();
    throw e;
  }
  // cross-shard campaign totals go back to each shard off the request path, a few times a second;
  // agents' strikes that stopped counting are forgotten once a minute
  let strikesExpireAt = 0;
  const exchange = setInterval(() => {
    const now = Date.now();
    campaigns.expire(now);
    if (now >= strikesExpireAt) {
      agentStrikes.expire(now);
      strikesExpireAt = now + 60_000;
    }
    for (let s = 0; s < sup.shardCount; s++) {
      for (const t of tenants.all()) {
        const entries = campaigns.remoteFor(s, t.site, now);
        if (entries.length) sup.send(s, { k: 'campaign', site: t.site, entries });
      }
    }
  }, CAMPAIGN_EXCHANGE_MS);
  exchange.unref();

  const authThrottle = new SignInThrottle({ perUser: cfg.authMaxFailures, perAddress: cfg.authMaxFailuresPerAddress, windowMs: cfg.authFailureWindowS * 1000 });
  const engagementRate = new EngagementRateLimit(cfg.engagementRateBurst, cfg.engagementRateRefillMs);
  const ctx: HttpContext = { cfg, tenants, jwt, stamps, shards, agents, log, metrics, authThrottle, engagementRate, port: cfg.port };
  const built = buildApp(ctx, queueStatsFromRouting(ctx));
  ws = built.ws;
  agentWs = built.agentWs;
  const app = built.app;
  let listenSocket: uWS.us_listen_socket | undefined;
  try {
    listenSocket = await listen(app, cfg.host, cfg.port);
  } catch (e) {
    // the shards are up (journal replayed): a failed start must not leave them running
    clearInterval(exchange);
    tenants.close();
    await sup.stop();
    throw e;
  }
  const port = uWS.us_socket_local_port(listenSocket);
  ctx.port = port;
  let stopped: Promise<void> | undefined;
  const limit = await fdLimit();
  const guard = limit === undefined ? undefined : new AcceptGuard(limit, {
    pause: () => {
      if (listenSocket) uWS.us_listen_socket_close(listenSocket);
      listenSocket = undefined;
    },
    resume: async () => {
      if (stopped) return false;
      listenSocket = await listen(app, cfg.host, port).catch(() => undefined);
      return listenSocket !== undefined;
    },
  }, logFn);
  guard?.start();
  ctx.accept = guard;
  log.info({ openFilesLimit: limit ?? 'unknown' }, 'each connection holds a file descriptor: the open-files limit bounds concurrent clients');
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;

  return {
    port,
    builtInDemo,
    host: cfg.host,
    url: `http://${host}:${port}`,
    shards: sup,
    stop() {
      stopped ??= (async () => {
        // stop accepting, let in-flight requests finish (bounded), flush shards, close sockets.
        // Open keep-alive connections are served to the end: each answer from now on closes its
        // connection, and the idle ones are closed here, while the loop still reads them — before,
        // they stayed open until the process exited, and a request that reached the server in its
        // last ~15 ms was never read and met a reset (measured: ECONNRESET 8–30 ms after SIGTERM).
        guard?.stop();
        if (listenSocket) uWS.us_listen_socket_close(listenSocket);
        listenSocket = undefined;
        closeConnectionsAfterAnswers(app);
        clearInterval(exchange);
        tenants.close();
        sup.beginStop();
        const deadline = Date.now() + 5_000;
        while (sup.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        built.ws.closeAll();
        built.agentWs.closeAll();
        await sup.stop();
        // two turns of the loop: a request already in the kernel's buffers is read and answered
        // (503 SHUTTING_DOWN, Connection: close) before its connection is closed under it
        for (let turn = 0; turn < 2; turn++) await new Promise((r) => setImmediate(r));
        // closes every connection the app still has (the typings lack close(); the binding has it)
        (app as unknown as { close(): void }).close();
      })();
      return stopped;
    },
  };
}
