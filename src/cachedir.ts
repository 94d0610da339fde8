/**
 * Where caches live, apart from the rest of node.ts: bin/draftguard.js needs it (for the code
 * cache, cli/boot.ts) before the engine is loaded.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

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
