// The load plan shared by both load clients (wrk Lua and the Node fallback): which sessions to
// post as, which texts to post. Written to files by the runner, read by the clients. Pure except
// for the small file helpers at the bottom.
import fs from 'node:fs';

/** One sender the load client rotates through. `kind` 'a' sessions receive the adversarial texts. */
export interface LoadSession {
  kind: 'h' | 'a';
  /** request path including query string, e.g. /engagement/api/consumer/bench/v1/postMessage?pool=1:1 */
  path: string;
  /** request body = bodyPrefix + JSON-encoded text + bodySuffix */
  bodyPrefix: string;
  bodySuffix: string;
  headers: Record<string, string>;
}

const FORBIDDEN = /[\t\r\n]/;

/** sessions.tsv: kind, path, bodyPrefix, bodySuffix, then `Name: value` headers — one line each. */
export function renderSessionFile(sessions: readonly LoadSession[]): string {
  const lines: string[] = [];
  for (const s of sessions) {
    const fields = [s.kind, s.path, s.bodyPrefix, s.bodySuffix, ...Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`)];
    for (const f of fields) {
      // a tab or newline would silently shift fields in the Lua parser; fail loudly instead
      if (FORBIDDEN.test(f)) throw new Error(`session field contains a tab or newline: ${JSON.stringify(f)}`);
    }
    if (s.path === '' || !s.path.startsWith('/')) throw new Error(`session path must start with /: ${JSON.stringify(s.path)}`);
    lines.push(fields.join('\t'));
  }
  return lines.join('\n') + '\n';
}

export function parseSessionFile(text: string): LoadSession[] {
  const out: LoadSession[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    const headers: Record<string, string> = {};
    for (const h of f.slice(4)) {
      const m = /^([^:]+):\s*(.*)$/.exec(h);
      if (m) headers[m[1]!] = m[2]!;
    }
    out.push({ kind: f[0] === 'a' ? 'a' : 'h', path: f[1] ?? '/', bodyPrefix: f[2] ?? '', bodySuffix: f[3] ?? '', headers });
  }
  return out;
}

// messageIds: chat fronts send one with every post (spec §3.4; the contract checks' clients do), so
// the load clients do too unless --no-message-ids. An id is `<nonce>-<client thread>-<session>-<n>`:
// the nonce is new for every load-client run, so no run repeats an earlier run's id on the same
// engagements — a repeat would be answered as the retry of an acknowledged message, skipping the
// screen and the journal, and the bench would measure that instead of a post.
let nonces = 0;
/** A fresh id prefix for one load-client run (unique within this bench process and across bench runs). */
export function newIdNonce(): string {
  return `${Date.now().toString(36)}${(nonces++).toString(36)}`;
}

/** The body fragment a client inserts before bodySuffix, ahead of the per-session counter and `"`. */
export function messageIdPrefix(nonce: string, thread: number, session: number): string {
  return `,"messageId":"${nonce}-${thread}-${session}-`;
}

/** texts file: one JSON string literal per line (JSON.stringify escapes every newline and tab). */
export function renderTextsFile(texts: readonly string[]): string {
  return texts.map((t) => JSON.stringify(t)).join('\n') + '\n';
}

export function parseTextsFile(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** Consumer postMessage session for one engagement. */
export function consumerPostSession(site: string, pool: string, sessionId: string, kind: 'h' | 'a' = 'h'): LoadSession {
  return {
    kind,
    path: `/engagement/api/consumer/${site}/v1/postMessage?pool=${encodeURIComponent(pool)}`,
    bodyPrefix: '{"body":',
    bodySuffix: '}',
    headers: { SessionId: sessionId },
  };
}

// Ham texts that carry a contact payload (URL, e-mail, @handle, phone-like digit run) would, when
// many synthetic senders reuse them, look like a cross-conversation campaign (CAMPAIGN_XCONV: flag +
// strike) and count against URL_COUNT / URL_RATE — real signals for those rules, but not what the
// all-ham throughput run is about. The screen reads a bare `word.word` (no space after the dot,
// common in SMS: "home.love u") as a host on a public suffix, so those go too; measured against
// the screen's own analysis this drops a superset of what it flags (~4 % of the ham set).
const CONTACT_PAYLOAD = /https?:|www\.|@|\d{5,}|(\d\s+){5,}|[a-z0-9]\.[a-z]{2,}|\w \. \w/i;

export interface HamSet {
  texts: string[];
  total: number;
  unique: number;
  droppedContactPayload: number;
  meanChars: number;
}

/** The SMS ham set, deduplicated, minus empty and contact-payload texts (see above). */
export function hamTexts(tsv: string): HamSet {
  const seen = new Set<string>();
  let total = 0;
  let dropped = 0;
  const texts: string[] = [];
  for (const line of tsv.split('\n').slice(1)) {
    const tab = line.indexOf('\t');
    if (tab < 0 || line.slice(0, tab) !== 'ham') continue;
    total++;
    const text = line.slice(tab + 1).replace(/\r$/, '');
    if (text.trim() === '' || seen.has(text)) continue;
    seen.add(text);
    if (CONTACT_PAYLOAD.test(text)) {
      dropped++;
      continue;
    }
    texts.push(text);
  }
  const meanChars = texts.length ? texts.reduce((a, t) => a + t.length, 0) / texts.length : 0;
  return { texts, total, unique: seen.size, droppedContactPayload: dropped, meanChars };
}

/**
 * Adversarial texts an adversarial sender walks through: floods that Tier-1 blocks with a strike
 * (emoji, symbols, char runs, zalgo, invisibles, too many URLs, over-length) interleaved with
 * back-to-back duplicates (DUP_EXACT), so senders collect strikes and get terminated under load.
 */
export function adversarialTexts(): string[] {
  const dup = 'Limited offer for you today, reply now to claim your prize before it expires';
  const zalgo = 'he comes '.repeat(3) + Array.from({ length: 12 }, () => 'a' + '\u0301\u0300\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b').join('');
  return [
    '😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛😝😜🤪🤨🧐🤓😎🤩🥳😏😒😞😔',
    dup,
    dup,
    '$$$ !!! ### %%% &&& *** @@@ ^^^ ~~~ ??? +++ === ||| <<< >>> ::: ;;; $$$ !!! ### %%% &&& ***',
    dup,
    dup,
    'A' + 'a'.repeat(240),
    dup,
    zalgo,
    'see http://a.example.com/x http://b.example.net/y http://c.example.org/z http://d.example.io/w now',
    'free\u200b'.repeat(30) + ' money',
    'long '.repeat(900),
  ];
}

export function writeFile(path: string, text: string): void {
  fs.writeFileSync(path, text);
}
