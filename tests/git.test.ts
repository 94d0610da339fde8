import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { changedSince, isBinary, readStaged, repoRoot, stagedFiles, type StagedFile } from "../src/cli/git.js";
import { isolateGit, TempRepo } from "./helpers/git-repo.js";

beforeAll(isolateGit);

let repos: TempRepo[] = [];
function newRepo(): TempRepo {
  const repo = new TempRepo();
  repos.push(repo);
  return repo;
}
afterEach(() => {
  for (const repo of repos) repo.remove();
  repos = [];
});

function staged(cwd: string): Record<string, string> {
  return Object.fromEntries(stagedFiles(cwd).map((file) => [file.path, readStaged(cwd, file).toString("utf8")]));
}

function stagedEntry(cwd: string, file: string): StagedFile {
  const entry = stagedFiles(cwd).find((candidate) => candidate.path === file);
  if (entry === undefined) throw new Error(`${file} is not staged`);
  return entry;
}

describe("repoRoot", () => {
  it("finds the top of the working tree from a sub-directory", () => {
    const repo = newRepo();
    repo.write("posts/2024/a.md", "hello\n");
    expect(repoRoot(repo.path("posts/2024"))).toBe(repo.root);
  });

  it("is undefined outside a repository", () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), "draftguard-norepo-"));
    try {
      expect(repoRoot(outside)).toBeUndefined();
      expect(() => stagedFiles(outside)).toThrow(/not inside a git repository .*git init/);
      expect(() => changedSince(outside, "main")).toThrow(/not inside a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe("stagedFiles and readStaged", () => {
  it("lists staged files before the first commit, relative to cwd", () => {
    const repo = newRepo();
    repo.write("posts/a.md", "A\n");
    repo.write("README.md", "R\n");
    repo.write("posts/unstaged.md", "U\n");
    repo.git("add", "posts/a.md", "README.md");
    expect(staged(repo.root)).toEqual({ "README.md": "R\n", "posts/a.md": "A\n" });
    expect(staged(repo.path("posts"))).toEqual({ "../README.md": "R\n", "a.md": "A\n" });
  });

  it("reads the staged version when the working copy differs (partial staging)", () => {
    const repo = newRepo();
    repo.write("post.md", "line 1\nline 2\n");
    repo.commitAll("first");
    repo.write("post.md", "line 1\nthe LEAK\nline 2\n");
    repo.git("add", "post.md");
    repo.write("post.md", "line 1\nfixed\nline 2\n");
    expect(staged(repo.root)).toEqual({ "post.md": "line 1\nthe LEAK\nline 2\n" });

    // The reverse: the index is clean, the working copy leaks.
    repo.write("post.md", "line 1\nfixed\nline 2\n");
    repo.git("add", "post.md");
    repo.write("post.md", "LEAK\n");
    expect(staged(repo.root)).toEqual({ "post.md": "line 1\nfixed\nline 2\n" });
  });

  it("leaves out unchanged, deleted and symlinked files and keeps renamed ones under their new name", () => {
    const repo = newRepo();
    repo.write("keep.md", "same\n");
    repo.write("old-name.md", "a post that will move\nwith several lines\nso rename detection holds\n");
    repo.write("gone.md", "bye\n");
    repo.commitAll("first");
    repo.git("mv", "old-name.md", "new-name.md");
    repo.git("rm", "--quiet", "gone.md");
    symlinkSync("keep.md", repo.path("link.md"));
    repo.git("add", "link.md");
    expect(stagedFiles(repo.root).map((file) => file.path)).toEqual(["new-name.md"]);
    expect(staged(repo.root)["new-name.md"]).toContain("a post that will move");
  });

  it("reads binary files byte for byte and marks them binary", () => {
    const repo = newRepo();
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff]);
    repo.write("images/pixel.png", bytes);
    repo.write("post.md", "text\n");
    repo.git("add", ".");
    const content = readStaged(repo.root, stagedEntry(repo.root, "images/pixel.png"));
    expect(content.equals(bytes)).toBe(true);
    expect(isBinary(content)).toBe(true);
    expect(isBinary(readStaged(repo.root, stagedEntry(repo.root, "post.md")))).toBe(false);
  });

  it("keeps unusual file names exact", () => {
    const repo = newRepo();
    repo.write("drafts/ä post \"quoted\".md", "x\n");
    repo.git("add", ".");
    expect(stagedFiles(repo.root).map((file) => file.path)).toEqual(['drafts/ä post "quoted".md']);
  });

  it("refuses an object id that is not one", () => {
    const repo = newRepo();
    expect(() => readStaged(repo.root, { path: "a.md", oid: "HEAD" })).toThrow(/not a git object id/);
  });
});

describe("changedSince", () => {
  function branchedRepo(): TempRepo {
    const repo = newRepo();
    repo.write(".gitignore", "ignored.md\n");
    repo.write("posts/edited-on-branch.md", "v1\n");
    repo.write("posts/edited-in-tree.md", "v1\n");
    repo.write("posts/deleted-on-branch.md", "v1\n");
    repo.write("posts/untouched.md", "v1\n");
    repo.write("posts/changed-on-main.md", "v1\n");
    repo.commitAll("base");
    repo.git("checkout", "--quiet", "-b", "feature");
    repo.write("posts/edited-on-branch.md", "v2\n");
    repo.write("posts/added-on-branch.md", "new\n");
    repo.git("rm", "--quiet", "posts/deleted-on-branch.md");
    repo.commitAll("feature work");
    repo.git("checkout", "--quiet", "main");
    repo.write("posts/changed-on-main.md", "v2 on main\n");
    repo.commitAll("main moves on");
    repo.git("checkout", "--quiet", "feature");
    repo.write("posts/edited-in-tree.md", "v2, not staged\n");
    repo.write("posts/untracked.md", "new\n");
    repo.write("ignored.md", "ignored\n");
    return repo;
  }

  it("lists files changed since the merge base, in the working tree and untracked ones", () => {
    const repo = branchedRepo();
    expect(changedSince(repo.root, "main")).toEqual([
      "posts/added-on-branch.md",
      "posts/edited-in-tree.md",
      "posts/edited-on-branch.md",
      "posts/untracked.md",
    ]);
  });

  it("gives paths relative to a sub-directory and skips files deleted from the working tree", () => {
    const repo = branchedRepo();
    unlinkSync(repo.path("posts/added-on-branch.md"));
    repo.write("other/note.md", "untracked\n");
    expect(changedSince(repo.path("posts"), "main")).toEqual([
      "../other/note.md",
      "edited-in-tree.md",
      "edited-on-branch.md",
      "untracked.md",
    ]);
  });

  it("explains an unknown ref and a repository without commits", () => {
    const repo = newRepo();
    repo.write("a.md", "a\n");
    expect(() => changedSince(repo.root, "main")).toThrow(/HEAD has no commit yet/);
    repo.commitAll("first");
    expect(() => changedSince(repo.root, "origin/nope")).toThrow(/unknown git ref "origin\/nope": fetch it first/);
    expect(() => changedSince(repo.root, "--all")).toThrow(/not a git ref/);
    expect(() => changedSince(repo.root, "@{upstream}")).toThrow(/unknown git ref/);
  });

  it("rejects a ref with no common history", () => {
    const repo = newRepo();
    repo.write("a.md", "a\n");
    repo.commitAll("first");
    repo.git("checkout", "--quiet", "--orphan", "unrelated");
    repo.commitAll("unrelated root");
    expect(() => changedSince(repo.root, "main")).toThrow(/no common ancestor/);
  });
});
