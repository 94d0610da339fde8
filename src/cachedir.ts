/**
 * Where caches live and how a cache file is written, apart from the rest of node.ts:
 * bin/draftguard.js needs both (for the code cache, cli/boot.ts) before the engine is loaded.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Where caches live: `--cache-location`, else `node_modules/.cache/draftguard` of the nearest
 * node_modules above `cwd` (as ESLint, Babel and others do), else the system's temporary folder.
 */
export function cacheDir(cwd: string, explicit?: string): string {
  if (explicit !== undefined) return resolve(cwd, explicit);
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "draftguard");
    const parent = dirname(dir);
    if (parent === dir) return join(tmpdir(), "draftguard-cache");
    dir = parent;
  }
}

/**
 * Write a cache file (`<kind>-<hex>.<ext>`) atomically, through a temporary file beside it, then
 * remove all but the `keep` newest files of its kind in its folder: every edit of a pack, upgrade
 * or new Node writes a new one. A cache that cannot be written only costs time.
 */
export function writeCacheData(file: string, data: string | Buffer, keep: number): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Worker threads share the process id and may write the same cache file at once.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    const named = /^(\w+)-[0-9a-f]+\.(\w+)$/.exec(basename(file));
    if (named) prune(dirname(file), new RegExp(`^${named[1]}-[0-9a-f]+\\.${named[2]}$`), keep);
  } catch {
    // ignore
  }
}

/** Remove all but the `keep` most recent files of a folder whose names match `pattern`. */
function prune(dir: string, pattern: RegExp, keep: number): void {
  const files = readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of files.slice(keep)) rmSync(old.path, { force: true });
}
