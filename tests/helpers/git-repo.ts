/**
 * Real git repositories in temporary folders, isolated from the developer's git configuration and
 * from any repository the tests run inside (a hook of /work/main must never be touched).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Variables git sets inside hooks that would point a nested git at another repository. */
const INHERITED = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"];

/** Makes every git started by this test process (directly or by the code under test) hermetic. */
export function isolateGit(): void {
  for (const name of INHERITED) delete process.env[name];
  Object.assign(process.env, {
    GIT_AUTHOR_NAME: "Draft Guard Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Draft Guard Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CEILING_DIRECTORIES: realpathSync(os.tmpdir()),
  });
}

/** A temporary folder holding one repository (`root`) and room for helpers beside it (`base`). */
export class TempRepo {
  readonly base: string;
  readonly root: string;

  constructor() {
    this.base = realpathSync(mkdtempSync(path.join(os.tmpdir(), "draftguard-git-")));
    this.root = path.join(this.base, "repo");
    mkdirSync(this.root);
    this.git("-c", "init.defaultBranch=main", "init", "--quiet");
  }

  /** Runs git in the repository (or `cwd` below it) and returns its trimmed stdout; throws on failure. */
  git(...args: string[]): string {
    return this.gitIn(this.root, ...args);
  }

  gitIn(cwd: string, ...args: string[]): string {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  }

  /** Runs git expecting it to fail; returns its exit status and combined output. */
  gitFails(...args: string[]): { status: number; output: string } {
    try {
      this.git(...args);
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string };
      return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
    }
    throw new Error(`git ${args.join(" ")} succeeded but was expected to fail`);
  }

  write(relative: string, content: string | Buffer, mode?: number): string {
    const file = path.join(this.root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content, mode === undefined ? undefined : { mode });
    return file;
  }

  path(relative: string): string {
    return path.join(this.root, relative);
  }

  commitAll(message: string): void {
    this.git("add", "--all");
    this.git("commit", "--quiet", "--no-verify", "-m", message);
  }

  remove(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}
