/**
 * `draftguard hook install|uninstall`: a git hook that scans what is about to be committed or pushed.
 *
 * Chaining: a hook that is already there (written by hand, by another tool, or a symlink) is renamed
 * to `<hook>.draftguard-chained` in the same folder, and the draftguard hook runs it first with the
 * same arguments and standard input; if it fails, the commit or push stops with its exit code before
 * draftguard runs. Renaming rather than editing the old script keeps hooks in any language (Python,
 * Node, a compiled program) working unchanged. Uninstall deletes only a hook that carries the
 * draftguard marker line and renames the chained hook back.
 *
 * The hooks folder is `core.hooksPath` when it is set (relative to the top of the working tree, as git
 * reads it), otherwise `hooks` in the common git folder, so every linked worktree shares one hook.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { PACKAGE_ROOT } from "../node.js";
import { repoRoot } from "./git.js";
import { writeAtomic } from "./write.js";

export type HookName = "pre-commit" | "pre-push";

export interface InstallHookResult {
  path: string;
  action: "installed" | "updated" | "unchanged";
  chainedExisting: boolean;
}

export interface UninstallHookResult {
  path: string;
  action: "removed" | "restored" | "absent";
}

/** The second line of every hook draftguard writes; uninstall and update recognise their own file by it. */
export const HOOK_MARKER = "# draftguard-hook: written by `draftguard hook install`; remove with `draftguard hook uninstall`.";

export const CHAINED_SUFFIX = ".draftguard-chained";

/** `bin/draftguard.js` of this package, from src/ or from the bundle in dist/. */
const PACKAGE_BIN = path.join(PACKAGE_ROOT, "bin", "draftguard.js");

export function installHook(opts: { cwd: string; hook: HookName; command?: string }): InstallHookResult {
  const dir = hooksDir(opts.cwd);
  const hookPath = path.join(dir, opts.hook);
  const chainedPath = hookPath + CHAINED_SUFFIX;
  const script = hookScript(opts.hook, opts.command ?? defaultCommand());
  mkdirSync(dir, { recursive: true });

  if (exists(hookPath)) {
    const current = readRegularFile(hookPath);
    if (current !== undefined && isDraftguardHook(current)) {
      const chainedExisting = exists(chainedPath);
      if (current === script && isExecutable(hookPath)) return { path: hookPath, action: "unchanged", chainedExisting };
      writeExecutable(hookPath, script);
      return { path: hookPath, action: "updated", chainedExisting };
    }
    if (exists(chainedPath)) {
      throw new Error(
        `${hookPath} is not draftguard's and ${chainedPath} already exists: merge or remove one of them, then install again`,
      );
    }
    renameSync(hookPath, chainedPath);
    writeExecutable(hookPath, script);
    return { path: hookPath, action: "installed", chainedExisting: true };
  }
  writeExecutable(hookPath, script);
  return { path: hookPath, action: "installed", chainedExisting: false };
}

export function uninstallHook(opts: { cwd: string; hook: HookName }): UninstallHookResult {
  const hookPath = path.join(hooksDir(opts.cwd), opts.hook);
  const current = readRegularFile(hookPath);
  if (current === undefined || !isDraftguardHook(current)) return { path: hookPath, action: "absent" };
  unlinkSync(hookPath);
  const chainedPath = hookPath + CHAINED_SUFFIX;
  if (exists(chainedPath)) {
    renameSync(chainedPath, hookPath);
    return { path: hookPath, action: "restored" };
  }
  return { path: hookPath, action: "removed" };
}

/** The folder git runs hooks from, for the repository that contains `cwd`. */
export function hooksDir(cwd: string): string {
  const root = repoRoot(cwd);
  if (root === undefined) {
    throw new Error(`not inside a git repository (${cwd}): run \`draftguard hook\` from a git checkout, or run \`git init\` first`);
  }
  const configured = git(root, ["config", "--path", "--get", "core.hooksPath"]);
  if (configured !== undefined && configured !== "") return path.resolve(root, configured);
  const commonDir = git(root, ["rev-parse", "--git-common-dir"]);
  if (commonDir === undefined) throw new Error(`cannot find the .git folder of ${root}: check that the repository is readable`);
  return path.resolve(root, commonDir, "hooks");
}

/** The first line of git's output, or undefined when git fails (an unset config key fails). */
function git(cwd: string, args: readonly string[]): string | undefined {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", windowsHide: true });
  if (result.error) throw new Error(`git could not run (${result.error.message}): install git, or add it to PATH`);
  return result.status === 0 ? result.stdout.split("\n")[0]?.trim() : undefined;
}

/**
 * `node <this package's bin>`, falling back to a locally installed draftguard when that file is gone
 * (the package was moved or reinstalled elsewhere). A shell function, so arguments pass through.
 */
function defaultCommand(): string {
  const bin = shellQuote(PACKAGE_BIN);
  return `if [ -f ${bin} ]; then node ${bin} "$@"; else npx --no-install draftguard "$@"; fi`;
}

/** The script for `hook`; `command` is shell text that runs draftguard with the arguments "$@". */
export function hookScript(hook: HookName, command: string): string {
  const body = command.includes('"$@"') ? command : `${command} "$@"`;
  const scan =
    hook === "pre-commit"
      ? ["draftguard scan --staged </dev/null"]
      : [
          "# Compare with the upstream branch; without one, with the remote's default branch; else scan everything.",
          "base=",
          'for candidate in "@{upstream}" "refs/remotes/$1/HEAD" "refs/remotes/$1/main" "refs/remotes/$1/master"; do',
          '  if git rev-parse --verify --quiet "$candidate^{commit}" >/dev/null 2>&1; then base=$candidate; break; fi',
          "done",
          'if [ -n "$base" ]; then',
          '  draftguard scan --changed-since "$base" </dev/null',
          "else",
          '  echo "draftguard: no upstream branch to compare with; scanning the whole repository" >&2',
          "  draftguard scan . </dev/null",
          "fi",
        ];
  return [
    "#!/bin/sh",
    HOOK_MARKER,
    `# A ${hook} hook that was here before draftguard is kept as ${hook}${CHAINED_SUFFIX} and runs first.`,
    `chained="$(dirname -- "$0")/${hook}${CHAINED_SUFFIX}"`,
    'if [ -x "$chained" ]; then',
    '  "$chained" "$@" || exit $?',
    "fi",
    "",
    "draftguard() {",
    `  ${body}`,
    "}",
    "",
    ...scan,
    "",
  ].join("\n");
}

function isDraftguardHook(content: string): boolean {
  return content.split("\n", 3).includes(HOOK_MARKER);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** True for a file, a symlink (even a dangling one) or anything else at `file`. */
function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The text of a regular file at `file`; undefined for a symlink (never one of ours) or anything else. */
function readRegularFile(file: string): string | undefined {
  try {
    return lstatSync(file).isFile() ? readFileSync(file, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(file: string): boolean {
  return process.platform === "win32" || (lstatSync(file).mode & 0o111) === 0o111;
}

/** A hook is never seen half-written, and runs: see writeAtomic. */
function writeExecutable(file: string, content: string): void {
  writeAtomic(file, content, { mode: 0o755 });
}
