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
  /** By folder (relative to the root, POSIX): each .gitignore above it, and where that file's own paths start in a path from the root. */
  private above = new Map<string, [Ignore, number][]>();
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

  /**
   * The .gitignore files of `folder` and every folder above it, worked out once per folder, not
   * once per file: path functions per file and level took 0.8 s of a 45,000-file walk and grew the
   * main thread's heap by 40 MB, which V8 kept for the scan.
   */
  private rulesAbove(folder: string): [Ignore, number][] {
    let list = this.above.get(folder);
    if (list === undefined) {
      list = [];
      const parts = folder.split("/").filter((part) => part !== "");
      let at = this.root;
      let offset = 0;
      for (let i = 0; i <= parts.length; i++) {
        const ig = this.forDir(at);
        if (ig) list.push([ig, offset]);
        if (i === parts.length) break;
        at = join(at, parts[i] as string);
        offset += (parts[i] as string).length + 1;
      }
      this.above.set(folder, list);
    }
    return list;
  }

  /** Whether `rel` (from the root, POSIX; a directory when `isDir`, so "dir/" rules apply to it) is git-ignored. */
  private ignoredRel(rel: string, isDir: boolean): boolean {
    const slash = rel.lastIndexOf("/");
    for (const [ig, offset] of this.rulesAbove(slash < 0 ? "" : rel.slice(0, slash))) {
      if (ig.ignores(rel.slice(offset) + (isDir ? "/" : ""))) return true;
    }
    return false;
  }

  /** The files of a walk of `dir` (paths relative to it, POSIX, as fast-glob gives them) that no .gitignore ignores. */
  kept(dir: string, files: readonly string[]): string[] {
    const relDir = toPosix(relative(this.root, dir));
    if (relDir.startsWith("..")) return [...files];
    const prefix = relDir === "" ? "" : `${relDir}/`;
    return files.filter((f) => !this.ignoredRel(`${prefix}${f}`, false));
  }

  /** Whether `abs` (a directory when `isDir`, so "dir/" rules apply to it) is git-ignored. */
  ignored(abs: string, isDir = false): boolean {
    const rel = relative(this.root, abs);
    if (rel === "" || rel.startsWith("..")) return false;
    return this.ignoredRel(toPosix(rel), isDir);
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
  /** Absolute path to the path a report gives (relative to cwd). */
  const found = new Map<string, string>();
  /** `rel`: the report's path when the caller has it already. */
  const add = (abs: string, rel?: string) => {
    if (!found.has(abs)) found.set(abs, rel ?? (toPosix(relative(cwd, abs)) || "."));
  };
  const missing: InputError[] = [];
  /** Whether the configuration's `ignore:` globs take `rel` (from the configuration's folder, POSIX). */
  const configIgnored = (rel: string) => ignoreGlobs.length > 0 && rel !== "" && !rel.startsWith("..") && (configIgnore ??= ignore().add(ignoreGlobs)).ignores(rel);
  const skipped = (abs: string) => configIgnored(toPosix(relative(ignoreBase, abs))) || gitignores.ignored(abs);
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
      const walked = inside.kept(abs, fg().sync(WALK, { cwd: abs, ignore: ALWAYS_SKIPPED, dot: false, followSymbolicLinks: false, onlyFiles: true, caseSensitiveMatch: false }));
      // Paths are joined as strings: fast-glob gives them normalised, with "/" (path.join and
      // path.relative per file cost more than the walk).
      const base = abs.endsWith(sep) ? abs : `${abs}${sep}`;
      const fromIgnoreBase = toPosix(relative(ignoreBase, abs));
      const fromCwd = toPosix(relative(cwd, abs));
      for (const f of walked) {
        if (configIgnored(fromIgnoreBase === "" ? f : `${fromIgnoreBase}/${f}`)) continue;
        // A folder above cwd: relative() works out the shortest path ("../x.md", not "../cwd/x.md").
        add(`${base}${sep === "/" ? f : f.split("/").join(sep)}`, fromCwd.startsWith("..") ? undefined : fromCwd === "" ? f : `${fromCwd}/${f}`);
      }
    } else if (stat?.isFile()) {
      add(abs); // named explicitly: scanned whatever its extension
    } else if (fg().isDynamicPattern(p)) {
      const matches = fg().sync(toPosix(p), { cwd, ignore: ALWAYS_SKIPPED, dot: false, onlyFiles: true, absolute: true });
      if (matches.length === 0) throw new UsageError(`no files match the pattern "${p}"`, undefined, "check the glob, and quote it so the shell does not expand it");
      for (const m of matches) if (!skipped(m)) add(resolve(m));
    } else {
      missing.push(new InputError("no such file or directory", { file: p, line: 1, column: 1 }, "check the path"));
    }
  }
  const files = [...found.values()].sort();
  return { files, missing };
}
