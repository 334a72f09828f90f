// Engagement factory process: creates `count` engagements through the real API with `concurrency`
// requests in flight over keep-alive connections. Several of these run side by side for the idle
// scenario (100k engagements), because one Node client process would be the bottleneck.
import { Api, newEngagement } from './parley-api.ts';
import type { ConsumerSession } from './parley-api.ts';

export interface SetupConfig {
  base: string;
  site: string;
  user: string;
  pass: string;
  count: number;
  /** makes e-mails (= Tier-1 sender keys) unique across worker processes and runs */
  emailPrefix: string;
  concurrency: number;
  keepSessions: boolean;
  /** epoch ms after which no new engagement is started (bounds the run on a slow server) */
  deadline: number;
}

export interface SetupResult {
  created: number;
  failed: number;
  firstError: string | null;
  sessions: ConsumerSession[];
  seconds: number;
}

async function run(cfg: SetupConfig): Promise<SetupResult> {
  const api = new Api(cfg.base, cfg.concurrency);
  const sessions: ConsumerSession[] = [];
  let next = 0;
  let created = 0;
  let failed = 0;
  let firstError: string | null = null;
  const t0 = performance.now();
  const lane = async (): Promise<void> => {
    while (next < cfg.count && Date.now() < cfg.deadline) {
      const i = next++;
      try {
        const s = await newEngagement(api, cfg.site, cfg.user, cfg.pass, `${cfg.emailPrefix}.${i}@bench.invalid`);
        created++;
        if (cfg.keepSessions) sessions.push(s);
      } catch (e) {
        failed++;
        firstError ??= e instanceof Error ? e.message : String(e);
        // a server that refuses everything should not be hammered for 100k iterations
        if (failed > 50 && created === 0) return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, cfg.concurrency) }, lane));
  api.close();
  return { created, failed, firstError, sessions, seconds: (performance.now() - t0) / 1000 };
}

// the bench gone (its IPC channel closed): stop rather than load a server nobody measures
process.once('disconnect', () => process.exit(0));
process.once('message', (msg: unknown) => {
  run(msg as SetupConfig).then(
    (res) => process.send?.({ ok: true, res }, () => process.exit(0)),
    (err: unknown) => process.send?.({ ok: false, error: String(err) }, () => process.exit(1)),
  );
});
