import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CHAINED_SUFFIX, HOOK_MARKER, hooksDir, installHook, uninstallHook } from "../src/cli/hook.js";
import { isolateGit, TempRepo } from "./helpers/git-repo.js";

beforeAll(isolateGit);

let repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos) repo.remove();
  repos = [];
});

/**
 * A repository plus a fake scanner beside it (outside the work tree). The scanner logs its arguments
 * and, for `scan --staged`, fails when a staged blob (not the working copy) contains "LEAK".
 */
function setup(): { repo: TempRepo; command: string; log: () => string[] } {
  const repo = new TempRepo();
  repos.push(repo);
  const logFile = path.join(repo.base, "scanner.log");
  const scanner = path.join(repo.base, "fake-draftguard.sh");
  writeFileSync(
    scanner,
    [
      "#!/bin/sh",
      `echo "$*" >> '${logFile}'`,
      'if [ "$1 $2" = "scan --staged" ]; then',
      "  for f in $(git diff --cached --name-only --diff-filter=ACMR); do",
      '    if git show ":$f" | grep -q LEAK; then echo "fake draftguard: LEAK in $f" >&2; exit 1; fi',
      "  done",
      "fi",
      "exit 0",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const log = (): string[] => (existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n") : []);
  return { repo, command: `sh '${scanner}'`, log };
}

function isExecutable(file: string): boolean {
  return (statSync(file).mode & 0o111) === 0o111;
}

describe("installHook and uninstallHook", () => {
  it("installs into .git/hooks, is idempotent, and updates a changed command", () => {
    const { repo, command } = setup();
    const hookPath = path.join(repo.root, ".git", "hooks", "pre-commit");
    expect(installHook({ cwd: repo.root, hook: "pre-commit", command })).toEqual({
      path: hookPath,
      action: "installed",
      chainedExisting: false,
    });
    const script = readFileSync(hookPath, "utf8");
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain(HOOK_MARKER);
    expect(script).toContain("draftguard scan --staged");
    expect(isExecutable(hookPath)).toBe(true);

    expect(installHook({ cwd: repo.root, hook: "pre-commit", command }).action).toBe("unchanged");
    expect(installHook({ cwd: repo.root, hook: "pre-commit", command: `${command} --quiet` }).action).toBe("updated");
    expect(uninstallHook({ cwd: repo.root, hook: "pre-commit" })).toEqual({ path: hookPath, action: "removed" });
    expect(existsSync(hookPath)).toBe(false);
    expect(uninstallHook({ cwd: repo.root, hook: "pre-commit" }).action).toBe("absent");
  });

  it("respects a relative core.hooksPath from a sub-directory", () => {
    const { repo, command } = setup();
    repo.git("config", "core.hooksPath", ".githooks");
    repo.write("posts/2024/.keep", "");
    const sub = repo.path("posts/2024");
    expect(hooksDir(sub)).toBe(repo.path(".githooks"));
    const result = installHook({ cwd: sub, hook: "pre-commit", command });
    expect(result.path).toBe(repo.path(".githooks/pre-commit"));
    expect(isExecutable(result.path)).toBe(true);
    expect(uninstallHook({ cwd: sub, hook: "pre-commit" }).action).toBe("removed");
  });

  it("by default runs this package's bin with node, falling back to npx", () => {
    const { repo } = setup();
    const bin = fileURLToPath(new URL("../bin/draftguard.js", import.meta.url));
    const script = readFileSync(installHook({ cwd: repo.root, hook: "pre-commit" }).path, "utf8");
    expect(script).toContain(`if [ -f '${bin}' ]; then node '${bin}' "$@"; else npx --no-install draftguard "$@"; fi`);
  });

  it("refuses outside a repository", () => {
    expect(() => installHook({ cwd: path.parse(process.cwd()).root, hook: "pre-commit" })).toThrow(/not inside a git repository/);
  });
});

describe("the pre-commit hook in real commits", () => {
  it("blocks a commit whose staged version leaks even though the working copy was fixed", () => {
    const { repo, command, log } = setup();
    repo.write("post.md", "hello\n");
    repo.commitAll("first");
    installHook({ cwd: repo.root, hook: "pre-commit", command });

    repo.write("post.md", "hello\nLEAK\n");
    repo.git("add", "post.md");
    repo.write("post.md", "hello\nfixed\n");
    const blocked = repo.gitFails("commit", "-m", "leaky");
    expect(blocked.output).toContain("LEAK in post.md");
    expect(log()).toEqual(["scan --staged"]);
    expect(repo.git("log", "--format=%s")).toBe("first");

    // Stage the fixed copy: the commit goes through.
    repo.git("add", "post.md");
    repo.git("commit", "--quiet", "-m", "fixed");
    expect(repo.git("log", "--format=%s")).toBe("fixed\nfirst");
  });

  it("lets a clean staged version through even when the working copy leaks, from a sub-directory", () => {
    const { repo, command } = setup();
    repo.write("posts/post.md", "hello\n");
    repo.commitAll("first");
    installHook({ cwd: repo.path("posts"), hook: "pre-commit", command });

    repo.write("posts/post.md", "hello\nclean\n");
    repo.git("add", "posts/post.md");
    repo.write("posts/post.md", "hello\nclean\nLEAK\n");
    repo.gitIn(repo.path("posts"), "commit", "--quiet", "-m", "clean");
    expect(repo.git("show", "HEAD:posts/post.md")).toBe("hello\nclean");
  });

  it("chains an existing hook: it runs first, can still block, and is restored on uninstall", () => {
    const { repo, command, log } = setup();
    const existing = ["#!/bin/sh", `echo "existing hook ran" >> '${path.join(repo.base, "existing.log")}'`, 'exit "${EXISTING_EXIT:-0}"', ""].join("\n");
    const hookPath = repo.write(".git/hooks/pre-commit", existing, 0o755);

    expect(installHook({ cwd: repo.root, hook: "pre-commit", command })).toMatchObject({ action: "installed", chainedExisting: true });
    expect(readFileSync(hookPath + CHAINED_SUFFIX, "utf8")).toBe(existing);
    expect(installHook({ cwd: repo.root, hook: "pre-commit", command })).toMatchObject({ action: "unchanged", chainedExisting: true });

    repo.write("post.md", "clean\n");
    repo.git("add", "post.md");
    repo.git("commit", "--quiet", "-m", "clean");
    expect(readFileSync(path.join(repo.base, "existing.log"), "utf8")).toBe("existing hook ran\n");
    expect(log()).toEqual(["scan --staged"]);

    // The chained hook's failure stops the commit before draftguard runs.
    repo.write("post.md", "still clean\n");
    repo.git("add", "post.md");
    process.env.EXISTING_EXIT = "3";
    try {
      expect(repo.gitFails("commit", "-m", "blocked by the old hook").status).toBe(1);
    } finally {
      delete process.env.EXISTING_EXIT;
    }
    expect(log()).toEqual(["scan --staged"]);

    expect(uninstallHook({ cwd: repo.root, hook: "pre-commit" })).toEqual({ path: hookPath, action: "restored" });
    expect(readFileSync(hookPath, "utf8")).toBe(existing);
    expect(isExecutable(hookPath)).toBe(true);
    expect(existsSync(hookPath + CHAINED_SUFFIX)).toBe(false);
    // What is left is not draftguard's: a second uninstall leaves it alone.
    expect(uninstallHook({ cwd: repo.root, hook: "pre-commit" }).action).toBe("absent");
    expect(readFileSync(hookPath, "utf8")).toBe(existing);
  });

  it("refuses to chain when a chained hook is already there", () => {
    const { repo, command } = setup();
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n", 0o755);
    repo.write(`.git/hooks/pre-commit${CHAINED_SUFFIX}`, "#!/bin/sh\nexit 0\n", 0o755);
    expect(() => installHook({ cwd: repo.root, hook: "pre-commit", command })).toThrow(/already exists: merge or remove/);
  });
});

describe("the pre-push hook in real pushes", () => {
  it("scans changes since the upstream, or since the remote's main branch when there is none", () => {
    const { repo, command, log } = setup();
    const remote = path.join(repo.base, "remote.git");
    repo.gitIn(repo.base, "-c", "init.defaultBranch=main", "init", "--quiet", "--bare", remote);
    repo.git("remote", "add", "origin", remote);
    repo.write("post.md", "hello\n");
    repo.commitAll("first");
    repo.git("push", "--quiet", "--no-verify", "-u", "origin", "main");

    const stdinLog = path.join(repo.base, "stdin.log");
    repo.write(".git/hooks/pre-push", `#!/bin/sh\necho "$1" > '${stdinLog}'\ncat >> '${stdinLog}'\n`, 0o755);
    expect(installHook({ cwd: repo.root, hook: "pre-push", command })).toMatchObject({ action: "installed", chainedExisting: true });

    repo.write("post.md", "hello again\n");
    repo.commitAll("second");
    repo.git("push", "--quiet", "origin", "main");
    expect(log()).toEqual(["scan --changed-since @{upstream}"]);
    // The chained hook got git's arguments and the refs on standard input.
    expect(readFileSync(stdinLog, "utf8")).toMatch(/^origin\nrefs\/heads\/main [0-9a-f]{40} refs\/heads\/main [0-9a-f]{40}\n$/);

    repo.git("checkout", "--quiet", "-b", "feature");
    repo.write("feature.md", "new\n");
    repo.commitAll("feature");
    repo.git("push", "--quiet", "origin", "feature");
    expect(log()).toEqual(["scan --changed-since @{upstream}", "scan --changed-since refs/remotes/origin/main"]);
  });
});
