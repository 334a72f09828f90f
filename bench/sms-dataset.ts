// The SMS Spam Collection (../shared/datasets, read at run time, never copied into the repo):
// one reader for the benchmarks and the false-positive tests, resolved from the project root so
// any checkout with shared/ beside it works.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SMS_DATASET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/datasets/sms-spam-collection.tsv');

/** Distinct texts of one label ('ham' or 'spam'), in file order. */
export function smsRows(label: 'ham' | 'spam', file = SMS_DATASET): string[] {
  const out = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const tab = line.indexOf('\t');
    if (tab > 0 && line.slice(0, tab) === label) out.add(line.slice(tab + 1).replace(/\r$/, ''));
  }
  return [...out];
}
