// A cheap fingerprint of a folder's files (relative path, size, modification
// time), so `capstan up` notices that a package folder or a platform program
// changed without reading every file; dependency and output folders are left out.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** `skipPaths` are relative to `dir`; folders named node_modules or .git are skipped anywhere. */
export function folderFingerprint(dir: string, skipPaths: readonly string[] = []): string {
  const hash = createHash('sha256');
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      hash.update(`missing ${rel}\n`);
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.name === 'node_modules' || e.name === '.git' || skipPaths.includes(child)) continue;
      if (e.isDirectory()) { walk(child); continue; }
      try {
        const st = statSync(path.join(dir, child));
        hash.update(`${child} ${st.size} ${st.mtimeMs}\n`);
      } catch {
        hash.update(`gone ${child}\n`);
      }
    }
  };
  walk('');
  return hash.digest('hex');
}
