// Writing an admin change back into the tenant's own file, so a Tier-1 change made during a spam
// wave survives the next restart or deploy instead of silently reverting to the file.
//
// The file stays the operator's: a YAML document is edited in place (comments, key order and the
// other sections kept; only `tier1` is replaced, with what the operator sent, not the defaults
// filled in), a JSON one is rewritten with the same keys. The new text goes to a temporary file
// beside it (a name the tenant loader skips), is fsynced, and renamed over the old one, so a crash
// leaves the old file or the new one, never half of either, and the directory watcher reloads it.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { parseTenantFile } from './tenants.ts';
import { syntaxErrorMessage } from './syntax-error.ts';

let tmpCounter = 0;

/** The file's text with its `tier1` section replaced by `tier1`. */
export function withTier1(file: string, text: string, tier1: unknown): string {
  if (file.endsWith('.json')) {
    const doc = parseTenantFile(file, text);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not a JSON object');
    return `${JSON.stringify({ ...(doc as Record<string, unknown>), tier1 }, null, 2)}\n`;
  }
  const doc = parseDocument(text);
  // the parser's own message quotes the file's lines, passwords included
  if (doc.errors.length > 0) throw new Error(syntaxErrorMessage(file, text, doc.errors[0]));
  doc.set('tier1', doc.createNode(tier1));
  return doc.toString();
}

/**
 * Replaces the `tier1` section of a tenant file atomically (temp file, fsync, rename). Returns the
 * text it replaced and the text it wrote, so the registry can tell its own write from an edit.
 */
export async function writeTier1(source: string, tier1: unknown): Promise<{ before: string; after: string }> {
  // a symlinked file (a config repository checked out elsewhere) is written where it points: the
  // rename would otherwise replace the link itself with a plain file
  const file = await fs.promises.realpath(source);
  const before = await fs.promises.readFile(file, 'utf8');
  const next = withTier1(file, before, tier1);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  // the file holds credentials: the new one gets the old one's permissions, not the umask's
  const { mode } = await fs.promises.stat(file);
  const fh = await fs.promises.open(tmp, 'w', mode & 0o777);
  try {
    await fh.writeFile(next, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  return { before, after: next };
}
