/**
 * The pre-commit hook end to end: a real repository, `draftguard hook install` run from the built
 * binary, and real `git commit`s. What is judged is the staged content (what the commit records),
 * never the working copy, and reported lines are those of the staged version.
 */
import { spawnSync } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { isolateGit, TempRepo } from "./helpers/git-repo.js";
import { packYaml } from "./helpers/packs.js";
import { BIN } from "./helpers/workspace.js";

beforeAll(isolateGit);

let repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos) repo.remove();
  repos = [];
});

const CLEAN = "# Launch\n\nA new laptop ships in May.\n";
const LEAK = "# Launch\n\nA new laptop ships in May.\n\nInternally it is Kestrel.\n"; // the codename is on line 5

/** A repository with a one-rule pack committed, and the hook installed by the built binary. */
function setup(): TempRepo {
  const repo = new TempRepo();
  repos.push(repo);
  repo.write("policy/pack.yaml", packYaml([{ id: "confidentiality-codename", kind: "terms", org: ["codenames"], message: '"{match}" is an internal codename.' }]));
  repo.write(".draftguard.yaml", "defaults: false\npacks: [./policy/pack.yaml]\norganization:\n  codenames: [Kestrel]\n");
  repo.write("post.md", CLEAN);
  repo.commitAll("initial");
  const installed = draftguard(repo, ["hook", "install"]);
  expect(installed.status, installed.stderr).toBe(0);
  expect(installed.stdout).toBe("installed .git/hooks/pre-commit\n");
  return repo;
}

function draftguard(repo: TempRepo, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: repo.root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const head = (repo: TempRepo) => repo.git("rev-parse", "HEAD");

describe("pre-commit hook", () => {
  it("blocks a commit whose staged file leaks, and names the file, line and rule", () => {
    const repo = setup();
    const before = head(repo);
    repo.write("post.md", LEAK);
    repo.git("add", "post.md");
    const failed = repo.gitFails("commit", "-m", "leak");
    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/5:18\s+error\s+"Kestrel" is an internal codename\.\s+confidentiality-codename/);
    expect(failed.output).toContain("post.md");
    expect(head(repo)).toBe(before);
  });

  it("still blocks when the leak is staged but the working copy was fixed since (partial staging)", () => {
    const repo = setup();
    const before = head(repo);
    repo.write("post.md", LEAK);
    repo.git("add", "post.md");
    repo.write("post.md", CLEAN);
    const failed = repo.gitFails("commit", "-m", "leak staged");
    expect(failed.output).toContain("confidentiality-codename");
    expect(head(repo)).toBe(before);
  });

  it("lets a clean staged version through even when the working copy leaks", () => {
    const repo = setup();
    repo.write("post.md", `${CLEAN}\nMore text.\n`);
    repo.git("add", "post.md");
    repo.write("post.md", LEAK);
    repo.git("commit", "--quiet", "-m", "clean staged");
    expect(repo.git("show", "HEAD:post.md")).toBe(`${CLEAN}\nMore text.`);
    expect(repo.git("status", "--porcelain")).toBe("M post.md");
  });

  it("judges what `git commit -a` records (git's temporary index), not the stale index", () => {
    const repo = setup();
    const before = head(repo);
    repo.write("post.md", LEAK);
    const failed = repo.gitFails("commit", "-a", "-m", "commit all");
    expect(failed.output).toContain("confidentiality-codename");
    expect(head(repo)).toBe(before);
  });

  it("reports line numbers of the staged version (scan --staged --format json)", () => {
    const repo = setup();
    repo.write("post.md", LEAK);
    repo.git("add", "post.md");
    // The working copy gains three lines above the leak, so its line numbers differ from the staged ones.
    repo.write("post.md", `Intro one.\n\nIntro two.\n${LEAK}`);
    const staged = draftguard(repo, ["scan", "--staged", "--format", "json"]);
    expect(staged.status).toBe(1);
    const findings = (JSON.parse(staged.stdout) as { findings: { file: string; line: number; column: number; endColumn: number }[] }).findings;
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column}-${f.endColumn}`)).toEqual(["post.md:5:18-25"]);
    const working = draftguard(repo, ["scan", "post.md", "--format", "json"]);
    expect((JSON.parse(working.stdout) as { findings: { line: number }[] }).findings.map((f) => f.line)).toEqual([8]);
  });

  it("reports every staged draft, however much is staged (small commits and large ones are read differently)", () => {
    const repo = setup();
    // Drafts are held until more than 64 KB is staged, then scanned as they are read.
    const filler = "Nothing to see in this sentence at all. ".repeat(600); // about 24 KB
    for (const name of ["a", "b", "c", "d"]) repo.write(`${name}.md`, `${filler}

Internally it is Kestrel.
`);
    repo.git("add", ".");
    const staged = draftguard(repo, ["scan", "--staged", "--format", "json"]);
    const files = (JSON.parse(staged.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);
    expect(files).toEqual(["a.md", "b.md", "c.md", "d.md"]);
  });
});
