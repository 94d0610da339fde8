/**
 * Configuration that grows (extends, overrides, print-config, init), the result cache, and folders
 * named explicitly although git ignores them.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { runMain, Workspace } from "./helpers/workspace.js";

const RULES = [
  { id: "confidentiality-word", kind: "terms" as const, terms: ["leakword"] },
  { id: "phrasing-word", kind: "terms" as const, terms: ["rudeword"], severity: "warning" },
];

let ws: Workspace;
afterEach(() => ws?.remove());

function json(stdout: string): { findings: { file: string; ruleId: string; severity: string }[] } {
  return JSON.parse(stdout) as { findings: { file: string; ruleId: string; severity: string }[] };
}

describe("overrides", () => {
  it("changes severities by glob and by front matter, and turns rules off", async () => {
    ws = Workspace.withPack(
      RULES,
      [
        "overrides:",
        "  - files: ['tweets/**']",
        "    rules: { confidentiality-word: warning }",
        "  - frontMatter: { channel: [internal] }",
        "    rules: { phrasing-word: off }",
      ].join("\n"),
    );
    ws.write("tweets/a.md", "leakword rudeword\n");
    ws.write("blog/b.md", "---\nchannel: internal\n---\nleakword rudeword\n");
    ws.write("blog/c.md", "leakword rudeword\n");
    const { code, stdout } = await runMain(["scan", ".", "--format", "json"], ws.dir);
    const got = json(stdout).findings.map((f) => `${f.file} ${f.ruleId} ${f.severity}`);
    expect(got).toEqual([
      "blog/b.md confidentiality-word error",
      "blog/c.md confidentiality-word error",
      "blog/c.md phrasing-word warning",
      "tweets/a.md confidentiality-word warning",
      "tweets/a.md phrasing-word warning",
    ]);
    expect(code).toBe(1);
  });

  it("rejects an override naming an unknown rule, with its position", async () => {
    ws = Workspace.withPack(RULES, "overrides:\n  - files: ['x/**']\n    rules: { phrasing-wrod: off }\n");
    ws.write("a.md", "fine\n");
    const { code, stderr } = await runMain(["scan", "a.md"], ws.dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\.draftguard\.yaml:5:14: unknown rule "phrasing-wrod".*did you mean "phrasing-word"/);
  });
});

describe("extends", () => {
  it("takes bundled packs by name and local files, and suggests a misspelt name", async () => {
    ws = Workspace.withPack(RULES);
    ws.write(".draftguard.yaml", "extends: [./pack.yaml, draftguard:phrasing]\n");
    const listed = await runMain(["rules", "list", "--format", "json"], ws.dir);
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id);
    expect(ids).toContain("confidentiality-word");
    expect(ids.some((id) => id.startsWith("phrasing-") && id !== "phrasing-word")).toBe(true);
    expect(ids.some((id) => id.startsWith("accuracy-"))).toBe(false);
    ws.write(".draftguard.yaml", "extends: [draftguard:phrasng]\n");
    const bad = await runMain(["rules", "list"], ws.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\.draftguard\.yaml:1:11: no bundled pack "phrasng".*draftguard:phrasing/);
  });
});

describe("extends an npm package", () => {
  it("loads the pack a package names in its package.json, and says how to install a missing one", async () => {
    ws = new Workspace();
    ws.write("node_modules/@acme/draftguard-policy/package.json", JSON.stringify({ name: "@acme/draftguard-policy", version: "1.0.0", draftguard: "policy.yaml" }));
    ws.write(
      "node_modules/@acme/draftguard-policy/policy.yaml",
      "rules:\n  - {id: phrasing-acme-word, kind: terms, category: phrasing, severity: error, description: d, message: m, rationale: r, remedy: x, terms: [synergise]}\n",
    );
    ws.write(".draftguard.yaml", "extends: ['@acme/draftguard-policy']\n");
    ws.write("a.md", "Let us synergise.\n");
    const { code, stdout } = await runMain(["scan", "a.md", "--format", "json"], ws.dir);
    expect(json(stdout).findings.map((f) => f.ruleId)).toEqual(["phrasing-acme-word"]);
    expect(code).toBe(1);
    ws.write(".draftguard.yaml", "extends: ['@acme/missing-policy']\n");
    const missing = await runMain(["scan", "a.md"], ws.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\.draftguard\.yaml:1:11: extended package "@acme\/missing-policy" is not installed \(npm install --save-dev @acme\/missing-policy/);
  });
});

describe("print-config", () => {
  it("shows each rule's effective severity for a file and where it was set", async () => {
    ws = Workspace.withPack(RULES, "rules: { phrasing-word: info }\noverrides:\n  - files: ['tweets/**']\n    rules: { confidentiality-word: warning }\n");
    ws.write("tweets/a.md", "x\n");
    const { code, stdout } = await runMain(["print-config", "tweets/a.md", "--format", "json"], ws.dir);
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as { rules: { id: string; severity: string; from: string }[] };
    expect(shown.rules).toEqual([
      { id: "confidentiality-word", severity: "warning", from: expect.stringMatching(/\.draftguard\.yaml:6:14 \(overrides\)$/) },
      { id: "phrasing-word", severity: "info", from: expect.stringMatching(/\.draftguard\.yaml:3:10 \(rules:\)$/) },
    ]);
  });
});

describe("init", () => {
  it("writes a commented configuration that loads, and refuses to overwrite it", async () => {
    ws = new Workspace();
    const first = await runMain(["init", "--yes"], ws.dir);
    expect(first.code).toBe(0);
    expect(ws.read(".draftguard.yaml")).toMatch(/^# draftguard configuration/);
    const list = await runMain(["rules", "list"], ws.dir);
    expect(list.code).toBe(0);
    const again = await runMain(["init", "--yes"], ws.dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists.*--force/);
  });
});

describe("--cache", () => {
  it("reuses findings of unchanged drafts and rescans changed ones", async () => {
    ws = Workspace.withPack(RULES);
    ws.write("a.md", "leakword\n");
    const cache = ["--cache", "--cache-location", ws.path(".cache")];
    const first = await runMain(["scan", ".", "--format", "json", ...cache], ws.dir);
    expect(json(first.stdout).findings).toHaveLength(1);
    expect(readdirSync(ws.path(".cache")).some((f) => f.startsWith("results-"))).toBe(true);
    const again = await runMain(["scan", ".", "--format", "json", ...cache], ws.dir);
    expect(again.stdout).toBe(first.stdout);
    ws.write("a.md", "leakword leakword\n");
    const changed = await runMain(["scan", ".", "--format", "json", ...cache], ws.dir);
    expect(json(changed.stdout).findings).toHaveLength(2);
  });

  it("writes its files as ASCII and reads back the same text beyond ASCII", async () => {
    ws = Workspace.withPack([{ id: "confidentiality-word", kind: "pattern" as const, pattern: "café's secret" }]);
    ws.write("a.md", "The café’s secret is out 😀\n");
    const cache = ["--cache", "--cache-location", ws.path(".cache")];
    const first = await runMain(["scan", ".", "--format", "json", ...cache], ws.dir);
    expect(json(first.stdout).findings).toHaveLength(1);
    const files = readdirSync(ws.path(".cache"));
    expect(files.some((f) => f.startsWith("policy-"))).toBe(true);
    for (const f of files) expect(ws.read(`.cache/${f}`)).toMatch(/^[\t\n\r\x20-\x7e]*$/);
    const again = await runMain(["scan", ".", "--format", "json", ...cache], ws.dir);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stdout).toContain("café’s");
  });

  it("keeps the needle index's layout, reuses it, and rebuilds it when the file is damaged", async () => {
    ws = Workspace.withPack([
      { id: "confidentiality-word", kind: "pattern" as const, pattern: "\\bleak(?:word|ed)\\b" },
      { id: "phrasing-word", kind: "terms" as const, terms: ["rudeword"], severity: "warning" },
    ]);
    ws.write("a.md", "leakword and rudeword, then it leaked\n");
    const args = ["scan", ".", "--format", "json", "--cache-location", ws.path(".cache")];
    const first = await runMain(args, ws.dir);
    expect(json(first.stdout).findings).toHaveLength(3);
    const layout = readdirSync(ws.path(".cache")).find((f) => f.startsWith("layout-")) as string;
    expect(layout).toBeDefined();
    const good = JSON.parse(ws.read(`.cache/${layout}`));
    expect(good.index.needles).toContain("leakword");
    // the one pattern's analysis, with its key's length (flags, NUL, source)
    expect(good.analyses).toEqual([["gi\u0000\\bleak(?:word|ed)\\b".length, expect.objectContaining({ prefilter: expect.anything() })]]);
    expect(readdirSync(ws.path(".cache")).some((f) => f.startsWith("needles-"))).toBe(true);
    // Reused, not worked out again: a copy laid out differently is left as it is.
    const spaced = JSON.stringify(good, null, 1);
    ws.write(`.cache/${layout}`, spaced);
    expect((await runMain(args, ws.dir)).stdout).toBe(first.stdout);
    expect(ws.read(`.cache/${layout}`)).toBe(spaced);
    const damagedIndex = { units: 1, entries: 1, needles: [], sets: [], positional: [], groups: [] };
    for (const damaged of ["{not json", JSON.stringify({ index: damagedIndex, analyses: good.analyses }), JSON.stringify({ index: good.index, analyses: [[3, {}]] }), JSON.stringify({ index: good.index, analyses: "x" })]) {
      ws.write(`.cache/${layout}`, damaged);
      expect((await runMain(args, ws.dir)).stdout).toBe(first.stdout);
      expect(JSON.parse(ws.read(`.cache/${layout}`))).toEqual(good); // written again
    }
  });

  it("keeps the cache folder from growing: at most eight files of each kind, the newest", async () => {
    ws = Workspace.withPack(RULES);
    ws.write("a.md", "leakword\n");
    const stale = Array.from({ length: 12 }, (_, i) => `results-${(0xa0 + i).toString(16).padStart(24, "0")}.json`);
    for (const name of stale) ws.write(`.cache/${name}`, "{}");
    ws.write(".cache/notes.txt", "not ours");
    await runMain(["scan", ".", "--format", "json", "--cache", "--cache-location", ws.path(".cache")], ws.dir);
    const left = readdirSync(ws.path(".cache"));
    expect(left.filter((f) => f.startsWith("results-"))).toHaveLength(8);
    expect(left.some((f) => f.startsWith("results-") && !stale.includes(f))).toBe(true); // this scan's own
    expect(left).toContain("notes.txt");
  });
});

describe("git-ignored folders", () => {
  it("skips them when walking, but scans one named explicitly (its own .gitignore still applies)", async () => {
    ws = Workspace.withPack(RULES);
    execFileSync("git", ["init", "-q"], { cwd: ws.dir });
    ws.write(".gitignore", "drafts/\n");
    ws.write("drafts/a.md", "leakword\n");
    ws.write("drafts/.gitignore", "skip.md\n");
    ws.write("drafts/skip.md", "leakword\n");
    const all = await runMain(["scan", ".", "--format", "json"], ws.dir);
    expect(json(all.stdout).findings).toEqual([]);
    const named = await runMain(["scan", "drafts", "--format", "json"], ws.dir);
    expect(json(named.stdout).findings.map((f) => f.file)).toEqual(["drafts/a.md"]);
  });
});

describe("suppressions through the CLI", () => {
  it("silences the next line, reports unused ones, and enforces reasons and unsuppressible rules", async () => {
    ws = Workspace.withPack(RULES, "suppressions:\n  requireReason: true\n  unsuppressible: [confidentiality-word]\n");
    ws.write(
      "a.md",
      [
        "<!-- draftguard-disable-next-line phrasing-word -- quoting a customer verbatim -->",
        "rudeword here",
        "<!-- draftguard-disable-next-line phrasing-word -->",
        "rudeword again",
        "<!-- draftguard-disable-next-line confidentiality-word -- please -->",
        "leakword",
        "<!-- draftguard-disable-next-line phrasing-word -- nothing to silence -->",
        "clean line",
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await runMain(["scan", "a.md", "--format", "json", "--report-unused-suppressions"], ws.dir);
    const got = json(stdout).findings.map((f) => `${f.ruleId}`);
    expect(got).toEqual(["phrasing-word", "confidentiality-word"]);
    expect(stderr).toMatch(/a\.md:3:1: .*needs a reason/);
    expect(stderr).toMatch(/a\.md:5:1: .*confidentiality-word cannot be suppressed/);
    expect(stderr).toMatch(/a\.md:7:1: unused suppression/);
    expect(code).toBe(1);
  });
});

describe("baseline through the CLI", () => {
  it("accepts current findings, survives edits to other lines, reports new ones and stale entries", async () => {
    ws = Workspace.withPack(RULES);
    ws.write("a.md", "leakword\n");
    const written = await runMain(["baseline", "."], ws.dir);
    expect(written.code).toBe(0);
    const baseline = ws.read(".draftguard-baseline.json");
    expect(baseline).not.toContain("leakword");
    expect(baseline).not.toMatch(/"line"/);
    ws.write("a.md", "A new first line.\n\nleakword\n");
    const clean = await runMain(["scan", ".", "--baseline", ".draftguard-baseline.json", "--format", "json"], ws.dir);
    expect(json(clean.stdout).findings).toEqual([]);
    expect(clean.code).toBe(0);
    ws.write("a.md", "rudeword only\n");
    const fresh = await runMain(["scan", ".", "--baseline", ".draftguard-baseline.json", "--format", "json"], ws.dir);
    expect(json(fresh.stdout).findings.map((f) => f.ruleId)).toEqual(["phrasing-word"]);
    expect(fresh.stderr).toMatch(/stale entry: confidentiality-word in a\.md/);
  });
});

describe("one report per span", () => {
  it("keeps the more severe of two same-category rules flagging the same text, but both of different categories", async () => {
    ws = Workspace.withPack([
      { id: "confidentiality-mild", kind: "terms", terms: ["topsecret"], severity: "warning" },
      { id: "confidentiality-strict", kind: "terms", terms: ["topsecret"], severity: "error" },
      { id: "phrasing-same", kind: "terms", terms: ["topsecret"], severity: "warning" },
    ]);
    ws.write("a.md", "It is topsecret.\n");
    const { stdout } = await runMain(["scan", "a.md", "--format", "json"], ws.dir);
    expect(json(stdout).findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["confidentiality-strict error", "phrasing-same warning"]);
  });
});

describe("dumps, not drafts", () => {
  it("reports at most 500 findings of a rule per file and says how many more it left out", async () => {
    ws = Workspace.withPack(RULES);
    ws.write("dump.txt", `${"leakword ".repeat(1200)}\n`);
    const { code, stdout, stderr } = await runMain(["scan", "dump.txt", "--format", "json"], ws.dir);
    expect(json(stdout).findings).toHaveLength(500);
    expect(stderr).toMatch(/dump\.txt: confidentiality-word: 700 more findings left out/);
    expect(code).toBe(1);
  });

  it("keeps a sentence condition bounded on text without sentence ends", async () => {
    ws = Workspace.withPack([{ id: "accuracy-stat", kind: "pattern", pattern: "\\b\\d+%", notNear: { terms: ["according to"] } }]);
    ws.write("long.txt", `according to them ${"word ".repeat(400)}42% here\n`);
    const { stdout } = await runMain(["scan", "long.txt", "--format", "json"], ws.dir);
    // the attribution is 2,000 characters away in the same endless "sentence": too far to count
    expect(json(stdout).findings.map((f) => f.ruleId)).toEqual(["accuracy-stat"]);
  });
});
