// The bench's uWS baselines as `npm run bench` starts them, real processes: bare uWS, and the
// hop-only one (bench/system/baselines/uws-hop.ts), whose HTTP thread hands every request to a
// worker thread and back. Each answer must be its own request's (the hop correlates them by id),
// or the baseline measures nothing; both must read bodies and refuse bad JSON the same way.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startBaseline } from '../bench/system/servers.ts';
import { stopServer } from '../bench/system/proc.ts';
import { childrenOf } from './helpers/procs.ts';

// The bench counts a server's child processes in its RSS. Run through tsx, each baseline carried
// tsx's esbuild helper process (and its loader thread), which Parley's dist/main.js does not:
// they run as a plain JavaScript bundle, one process.
describe.runIf(process.platform === 'linux').each(['uws', 'uws-hop', 'node-http'] as const)('bench baseline %s as the bench runs it', (name) => {
  it('is one plain node process: no tsx, no helper process', async () => {
    const srv = await startBaseline(name, null);
    try {
      expect(fs.readFileSync(`/proc/${srv.pid}/cmdline`, 'utf8')).not.toContain('tsx');
      // tsx started its helper at once; give one a moment to show up all the same
      await new Promise((r) => setTimeout(r, 300));
      expect(childrenOf(srv.pid)).toEqual([]);
    } finally {
      await stopServer(srv);
    }
  });
});

describe.each(['uws', 'uws-hop'] as const)('bench baseline %s', (name) => {
  it('answers each of many concurrent posts with its own session id and body length', async () => {
    const srv = await startBaseline(name, null);
    try {
      const posts = Array.from({ length: 200 }, (_, i) =>
        fetch(srv.base + '/engagement/api/consumer/bench/v1/postMessage', {
          method: 'POST',
          headers: { sessionid: `s-${i}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: 'x'.repeat(i % 37) }),
        }).then(async (r) => ({ i, status: r.status, json: (await r.json()) as { sessionId: string; bodyLength: number; clientId: number } })),
      );
      const answers = await Promise.all(posts);
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.json.sessionId).toBe(`s-${a.i}`);
        expect(a.json.bodyLength).toBe(a.i % 37);
      }
      expect(new Set(answers.map((a) => a.json.clientId)).size).toBe(200);
      const bad = await fetch(srv.base + '/x', { method: 'POST', body: '{not json' });
      expect(bad.status).toBe(400);
      const get = await fetch(srv.base + '/x');
      expect(await get.json()).toEqual({});
    } finally {
      await stopServer(srv);
    }
  });
});
