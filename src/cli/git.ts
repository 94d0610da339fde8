/**
 * The git edge of draftguard: which files a commit or a pull request touches, and what the index holds.
 *
 * Every call runs `git` directly (no shell) and inherits the environment, so inside a hook git's own
 * `GIT_INDEX_FILE` and `GIT_DIR` apply: `git commit -a` and `git commit <paths>` stage into a temporary
 * index, and that index is the one whose blobs we read. Paths returned are relative to `cwd` and use
 * `/`, whatever the platform.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, statSync } from "node:fs";
import path from "node:path";

/** A file as the index holds it: `path` relative to the `cwd` it was listed from, `oid` its staged blob. */
export interface StagedFile {
  path: string;
  oid: string;
}

/** Staged blobs larger than this are refused rather than read into memory. */
const MAX_BLOB_BYTES = 256 * 1024 * 1024;

/** Modes of index entries that hold file content (regular, executable); symlinks and submodules do not. */
const FILE_MODES = new Set(["100644", "100755"]);

interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

function runGit(cwd: string, args: readonly string[]): GitResult {
  const result = spawnSync("git", args, { cwd, maxBuffer: MAX_BLOB_BYTES, windowsHide: true });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new Error(
        cwdMissing(cwd) ? `folder not found: ${cwd}` : "git was not found on PATH: install git, or add it to PATH",
      );
    }
    throw new Error(`git ${args[0] ?? ""} failed: ${result.error.message}`);
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr.toString("utf8").trim() };
}

function cwdMissing(cwd: string): boolean {
  try {
    return !statSync(cwd).isDirectory();
  } catch {
    return true;
  }
}

/** Runs git and returns stdout; a failure becomes an Error with git's first line and `fix`. */
function gitOutput(cwd: string, args: readonly string[], fix: string): Buffer {
  const result = runGit(cwd, args);
  if (result.status !== 0) {
    const reason = result.stderr.split("\n")[0]?.replace(/^(fatal|error): /, "") || `exit code ${result.status}`;
    throw new Error(`git ${args[0] ?? ""} failed (${reason}): ${fix}`);
  }
  return result.stdout;
}

function firstLine(output: Buffer): string {
  return output.toString("utf8").split("\n")[0]?.trim() ?? "";
}

/** Splits `-z` output into its NUL-terminated fields. */
function nulFields(output: Buffer): string[] {
  const fields = output.toString("utf8").split("\0");
  if (fields[fields.length - 1] === "") fields.pop();
  return fields;
}

/** The top of the working tree that contains `cwd`, or undefined when `cwd` is not inside one. */
export function repoRoot(cwd: string): string | undefined {
  const result = runGit(cwd, ["rev-parse", "--show-toplevel"]);
  if (result.status !== 0) return undefined;
  const root = firstLine(result.stdout);
  return root === "" ? undefined : path.resolve(root);
}

/** Context for turning the root-relative paths git prints into paths relative to `cwd`. */
interface Checkout {
  root: string;
  /** `cwd` relative to the root, POSIX, "" at the root. */
  prefix: string;
}

function checkout(cwd: string): Checkout {
  const root = repoRoot(cwd);
  if (root === undefined) {
    throw new Error(`not inside a git repository (${cwd}): run draftguard from a git checkout, or run \`git init\` first`);
  }
  const prefix = firstLine(gitOutput(cwd, ["rev-parse", "--show-prefix"], "check that the repository is readable"));
  return { root, prefix: prefix.replace(/\/$/, "") };
}

function fromRoot(co: Checkout, rootRelative: string): string {
  return co.prefix === "" ? rootRelative : path.posix.relative(co.prefix, rootRelative);
}

/**
 * Files that the next commit adds, copies, modifies or renames (their new path), as the index holds
 * them, sorted. Deleted files, symlinks and submodules are left out. Works before the first commit,
 * when everything staged counts as added.
 */
export function stagedFiles(cwd: string): StagedFile[] {
  const co = checkout(cwd);
  // --raw gives the staged blob id with each path in one consistent read of the index; -z keeps paths
  // byte-exact (no quoting of unusual names); diff.relative would drop files outside cwd, so force it off.
  const output = gitOutput(
    co.root,
    [
      "-c",
      "diff.relative=false",
      "diff",
      "--cached",
      "--raw",
      "-z",
      "--no-abbrev",
      "--find-renames",
      "--diff-filter=ACMRT",
      "--no-ext-diff",
    ],
    "check that the index is readable (is a merge or rebase half done?)",
  );
  const fields = nulFields(output);
  const files: StagedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    // ":<old mode> <new mode> <old oid> <new oid> <status><score>" then one path, or two for R and C.
    const header = fields[i++] ?? "";
    const [, newMode, , newOid, status] = header.slice(1).split(" ");
    const twoPaths = status !== undefined && /^[RC]/.test(status);
    if (twoPaths) i++;
    const file = fields[i++];
    if (file === undefined || newMode === undefined || newOid === undefined) break;
    if (FILE_MODES.has(newMode)) files.push({ path: fromRoot(co, file), oid: newOid });
  }
  return files.sort((a, b) => compareStrings(a.path, b.path));
}

/** The staged content of `file` (its blob in the object store), not the working copy. */
export function readStaged(cwd: string, file: StagedFile): Buffer {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(file.oid)) {
    throw new Error(`"${file.oid}" is not a git object id (for ${file.path}): pass an entry returned by stagedFiles`);
  }
  return gitOutput(
    cwd,
    ["cat-file", "blob", file.oid],
    `the staged blob of ${file.path} is missing or too large: stage the file again with \`git add\``,
  );
}

/**
 * Files changed between `git merge-base <ref> HEAD` and the working tree (committed, staged or not),
 * plus untracked files that are not ignored; only those that exist now, sorted.
 */
export function changedSince(cwd: string, ref: string): string[] {
  const co = checkout(cwd);
  if (ref === "" || ref.startsWith("-")) {
    throw new Error(`"${ref}" is not a git ref: pass a branch, tag or commit such as origin/main`);
  }
  const head = runGit(co.root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (head.status !== 0) {
    throw new Error("HEAD has no commit yet, so there is nothing to compare with: commit first, or scan without --changed-since");
  }
  const target = runGit(co.root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (target.status !== 0) {
    throw new Error(
      `unknown git ref "${ref}": fetch it first (git fetch origin), or pass an existing branch, tag or commit`,
    );
  }
  const base = runGit(co.root, ["merge-base", firstLine(target.stdout), "HEAD"]);
  if (base.status !== 0) {
    throw new Error(`"${ref}" and HEAD have no common ancestor: pass a ref from the same history (in CI, fetch with enough depth)`);
  }
  const changed = gitOutput(
    co.root,
    ["-c", "diff.relative=false", "diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", "--no-ext-diff", firstLine(base.stdout)],
    "check that the working tree is readable",
  );
  const untracked = gitOutput(
    co.root,
    ["ls-files", "--others", "--exclude-standard", "-z", "--full-name"],
    "check that the working tree is readable",
  );
  const paths = new Set([...nulFields(changed), ...nulFields(untracked)]);
  return [...paths]
    .filter((file) => isFile(path.join(co.root, file)))
    .map((file) => fromRoot(co, file))
    .sort(compareStrings);
}

function isFile(absolute: string): boolean {
  try {
    return lstatSync(absolute).isFile();
  } catch {
    return false;
  }
}

/** Git's own test for binary content: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
