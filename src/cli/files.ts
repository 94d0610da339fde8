/**
 * Which files a scan reads: explicit files always; directories walked for draft extensions;
 * globs expanded; `.gitignore`d paths, node_modules and the configuration's `ignore:` skipped.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { createRequire } from "node:module";
import type FastGlob from "fast-glob";
import type { Ignore } from "ignore";
import { ignore } from "../lazy.js";
import { InputError, UsageError } from "../errors.js";

// fast-glob is loaded only when a directory or glob is given: a hook scanning one file skips it.
let fastGlob: typeof FastGlob | undefined;
function fg(): typeof FastGlob {
  fastGlob ??= createRequire(import.meta.url)("fast-glob") as typeof FastGlob;
  return fastGlob;
}

export const DRAFT_EXTENSIONS = ["md", "markdown", "mdx", "txt", "html", "htm"];
const WALK = `**/*.{${DRAFT_EXTENSIONS.join(",")}}`;
const ALWAYS_SKIPPED = ["**/node_modules/**", "**/.git/**"];

export interface Discovery {
  /** Paths relative to cwd, POSIX separators, sorted, unique. */
  files: string[];
  /** Paths that do not exist. */
  missing: InputError[];
}

export function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

class GitIgnores {
  private cache = new Map<string, Ignore | null>();
  constructor(private readonly root: string) {}

  private forDir(dir: string): Ignore | null {
    let ig = this.cache.get(dir);
    if (ig === undefined) {
      const file = join(dir, ".gitignore");
      ig = existsSync(file) ? ignore().add(readFileSync(file, "utf8")) : null;
      this.cache.set(dir, ig);
    }
    return ig;
  }

  /** Whether `abs` (a directory when `isDir`, so "dir/" rules apply to it) is git-ignored. */
  ignored(abs: string, isDir = false): boolean {
    const rel = relative(this.root, abs);
    if (rel === "" || rel.startsWith("..")) return false;
    const parts = toPosix(rel).split("/");
    let dir = this.root;
    for (let i = 0; i < parts.length; i++) {
      const ig = this.forDir(dir);
      if (ig && ig.ignores(parts.slice(i).join("/") + (isDir ? "/" : ""))) return true;
      dir = join(dir, parts[i] as string);
    }
    return false;
  }
}

function gitRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

export function discoverFiles(paths: string[], cwd: string, ignoreGlobs: string[], ignoreBase: string): Discovery {
  const gitignores = new GitIgnores(gitRoot(cwd));
  let configIgnore: Ignore | undefined;
  const found = new Set<string>();
  const missing: InputError[] = [];
  const skipped = (abs: string, git: GitIgnores = gitignores) => {
    const rel = toPosix(relative(ignoreBase, abs));
    if (!rel.startsWith("..") && rel !== "" && ignoreGlobs.length > 0) {
      configIgnore ??= ignore().add(ignoreGlobs);
      if (configIgnore.ignores(rel)) return true;
    }
    return git.ignored(abs);
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      // Extensions match in any case (POST.MD), as they do for --staged and on case-insensitive disks.
      // A folder named explicitly is scanned even when a .gitignore above it ignores it (as a
      // file named explicitly is); .gitignore files inside it still apply.
      const inside = gitignores.ignored(abs, true) ? new GitIgnores(abs) : gitignores;
      for (const f of fg().sync(WALK, { cwd: abs, ignore: ALWAYS_SKIPPED, dot: false, followSymbolicLinks: false, onlyFiles: true, caseSensitiveMatch: false })) {
        const fileAbs = join(abs, f);
        if (!skipped(fileAbs, inside)) found.add(fileAbs);
      }
    } else if (stat?.isFile()) {
      found.add(abs); // named explicitly: scanned whatever its extension
    } else if (fg().isDynamicPattern(p)) {
      const matches = fg().sync(toPosix(p), { cwd, ignore: ALWAYS_SKIPPED, dot: false, onlyFiles: true, absolute: true });
      if (matches.length === 0) throw new UsageError(`no files match the pattern "${p}"`, undefined, "check the glob, and quote it so the shell does not expand it");
      for (const m of matches) if (!skipped(m)) found.add(resolve(m));
    } else {
      missing.push(new InputError("no such file or directory", { file: p, line: 1, column: 1 }, "check the path"));
    }
  }
  const files = [...found].map((abs) => toPosix(relative(cwd, abs)) || ".").sort();
  return { files, missing };
}
