// Start-up check of the data dir and its journal file, run once on the main thread before any shard
// opens the journal: an unusable dir or a damaged file stops start-up with a message naming the
// path instead of a shard crashing or the server starting empty.
import fs from 'node:fs';
import { LmdbJournal, journalPath, type SyncMode } from './lmdb.ts';

export class StoreOpenError extends Error {}

/** Creates the data dir if needed; fails with a message naming it when it cannot be read and written. */
export function ensureUsableDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK);
  } catch (e) {
    throw new StoreOpenError(`data dir ${dataDir} is not usable: ${(e as Error).message}`);
  }
}

/**
 * Fails with a message naming the path when the data dir is unusable; never starts empty silently.
 * Migrates a journal in the layout before logs (see migrateLegacyEvents) and says how many events.
 */
export async function checkDataDir(dataDir: string, sync: SyncMode): Promise<{ migratedEvents: number }> {
  ensureUsableDir(dataDir);
  const file = journalPath(dataDir);
  try {
    await checkJournalFile(file, sync);
  } catch (e) {
    if (e instanceof StoreOpenError) throw e;
    // a read that fails (EISDIR, EIO, …) is as much a reason to stop as a bad magic number
    throw new StoreOpenError(`journal ${file} cannot be read: ${(e as Error).message}`);
  }
  let j: LmdbJournal | undefined;
  let migratedEvents = 0;
  try {
    // the same flags the shards will use (LMDB: never mix writemap and non-writemap opens of one file)
    j = new LmdbJournal(dataDir, sync);
    // touch both databases so a corrupt file fails here, not on the first request
    for (const _ of j.metaRange('\u0000')) break;
    migratedEvents = j.migrateLegacyEvents();
    for (const _ of j.scan(() => true)) break;
  } catch (e) {
    throw new StoreOpenError(`journal ${file} cannot be opened (corrupt or not an LMDB file?): ${(e as Error).message}`);
  } finally {
    // closed before any shard opens the file: lmdb-js shares one environment per path per process
    await j?.close();
  }
  return { migratedEvents };
}

/** An existing journal file must be a readable, writable LMDB file; none at all is a first start. */
async function checkJournalFile(file: string, sync: SyncMode): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isFile()) throw new StoreOpenError(`journal ${file} is not a regular file (${st.isDirectory() ? 'a directory' : 'a special file'}); move it away or restore the journal`);
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch (e) {
    throw new StoreOpenError(`journal ${file} is not readable/writable: ${(e as Error).message}`);
  }
  // LMDB trusts its file: a damaged meta page can crash the process instead of failing the open,
  // so check both meta pages' magic (0xBEEFC0DE at byte 24 of pages 0 and 1; the page size is at
  // byte 48 of page 0) before handing it over. lmdb-js checks only the first itself and takes the
  // second when its transaction id is higher — random bytes there made it SIGSEGV (exit 139).
  if (st.size > 0) {
    const head = Buffer.alloc(52);
    const second = Buffer.alloc(4);
    const fd = fs.openSync(file, 'r');
    let pageSize = 0;
    try {
      fs.readSync(fd, head, 0, head.length, 0);
      pageSize = head.readUInt32LE(48);
      if (pageSize >= 512 && pageSize <= 65536 && st.size >= 2 * pageSize) fs.readSync(fd, second, 0, 4, pageSize + 24);
    } finally {
      fs.closeSync(fd);
    }
    if (st.size < 8192 || head.readUInt32LE(24) !== 0xbeefc0de || second.readUInt32LE(0) !== 0xbeefc0de) {
      throw new StoreOpenError(`journal ${file} is corrupt or not an LMDB file (bad meta page); refusing to start empty — move it away or restore it`);
    }
  }
  if (sync === 'commit') await warmPageCache(file);
}

/**
 * Reads the journal file once, sequentially, before the shards scan it. 'commit' mode maps it
 * without readahead, so a recovery scan of a file that is not in the page cache faults it in page
 * by page: a 118 MB journal (520k events) after dropping caches took 3.0–3.1 s to scan that way,
 * 0.46–0.57 s with readahead, and 0.07 + 0.57–0.62 s after this read (0.04 s when already cached).
 * Recovery reads every event anyway, so this adds no I/O beyond the file's free pages.
 */
async function warmPageCache(file: string): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
