/**
 * The built binary, spawned as a user runs it (`node bin/draftguard.js`, NO_COLOR=1) in a temporary
 * folder with its own `.draftguard.yaml` (defaults: false) and a small pack, so these tests never
 * depend on the bundled rules. Checks stdout, stderr and exit codes: 0 clean, 1 findings, 2 errors.
 * `UPDATE_GOLDEN=1 npx vitest run tests/cli.test.ts` rewrites tests/golden/cli/; review the diff.
 * Run `npm run build` first: the binary imports dist/.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../src/types.js";
import type { RuleInput } from "./helpers/packs.js";
import { BIN, PACKAGE_ROOT, runMain, Workspace, type CliResult } from "./helpers/workspace.js";

const GOLDEN_DIR = path.join(PACKAGE_ROOT, "tests", "golden", "cli");

const RULES: RuleInput[] = [
  { id: "confidentiality-codename", kind: "terms", org: ["codenames"], message: '"{match}" is an internal codename.', remedy: "Use the public name." },
  {
    id: "confidentiality-email", kind: "pattern", pattern: "[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", sensitive: true,
    message: "Personal e-mail address {match}.", remedy: "Remove the address.",
  },
  {
    id: "accuracy-unsourced-percent", kind: "pattern", pattern: "\\b\\d+(?:\\.\\d+)?%", severity: "warning",
    notNear: { terms: ["according to"], pattern: "https?://" }, message: "{match} has no source in its sentence.", remedy: "Cite the source.",
  },
  { id: "phrasing-hype", kind: "terms", terms: ["revolutionary", "game-changing"], severity: "info", message: '"{match}" is hype.', remedy: "Say what it does." },
];
const CONFIG = "organization:\n  codenames: [Kestrel]\n";

/** A workspace with the test pack; every test that makes one gets it removed afterwards. */
let workspaces: Workspace[] = [];
function workspace(config = CONFIG, rules = RULES): Workspace {
  const ws = Workspace.withPack(rules, config);
  workspaces.push(ws);
  return ws;
}
afterEach(() => {
  for (const ws of workspaces) ws.remove();
  workspaces = [];
});

beforeAll(() => {
  if (!existsSync(path.join(PACKAGE_ROOT, "dist", "cli.cjs"))) throw new Error("dist/ is missing: run `npm run build` before the CLI tests");
});

interface JsonReport {
  version: number;
  findings: Finding[];
  summary: { files: number; errors: number; warnings: number; infos: number; filesWithFindings: number; byCategory: Record<string, number> };
}

function json(r: CliResult): JsonReport {
  return JSON.parse(r.stdout) as JsonReport;
}

/** The only stderr line, checked to carry no stack trace. */
function oneLine(r: CliResult): string {
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

describe("exit codes", () => {
  it("exits 0 with a clean report when nothing is found", () => {
    const ws = workspace();
    ws.write("post.md", "# A post\n\nNothing to see here.\n");
    const r = ws.run(["scan", "post.md"]);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain("No problems");
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("exits 1 when an error-level finding exists", () => {
    const ws = workspace();
    ws.write("post.md", "We built Kestrel.\n");
    const r = ws.run(["scan", "post.md"]);
    expect([r.status, r.stderr]).toEqual([1, ""]);
    expect(r.stdout).toContain("confidentiality-codename");
  });

  // Flag semantics run in-process (the same `main` the binary calls; the last test below checks they
  // agree) so the file stays fast; the binary itself is spawned once per flag.
  it("--fail-on chooses the severity that fails", async () => {
    const ws = workspace();
    ws.write("warning.md", "Sales rose 40% last year.\n");
    ws.write("info.md", "A revolutionary idea.\n");
    ws.write("error.md", "Kestrel ships.\n");
    expect(ws.run(["scan", "warning.md", "--fail-on", "warning"]).status).toBe(1);
    const code = async (...args: string[]) => (await runMain(["scan", ...args], ws.dir)).code;
    expect(await code("warning.md")).toBe(0);
    expect(await code("info.md", "--fail-on", "warning")).toBe(0);
    expect(await code("info.md", "--fail-on", "info")).toBe(1);
    expect(await code("error.md", "--fail-on", "never")).toBe(0);
    expect(await code("error.md", "--fail-on", "error")).toBe(1);
  });

  it("--max-warnings fails past N warnings", async () => {
    const ws = workspace();
    ws.write("post.md", "Sales rose 40% last year.\nCosts fell 10% too.\n");
    expect(ws.run(["scan", "post.md", "--max-warnings", "1"]).status).toBe(1);
    expect((await runMain(["scan", "post.md", "--max-warnings", "2"], ws.dir)).code).toBe(0);
    expect((await runMain(["scan", "post.md", "--max-warnings", "0", "--fail-on", "never"], ws.dir)).code).toBe(1);
  });

  it("exits 2 with one line for a bad option value", async () => {
    const ws = workspace();
    ws.write("post.md", "x\n");
    const spawned = ws.run(["scan", "post.md", "--fail-on", "sometimes"]);
    expect(spawned.status).toBe(2);
    expect(oneLine(spawned)).toMatch(/^draftguard: .*sometimes/);
    for (const args of [["--format", "yaml"], ["--max-warnings", "many"], ["--no-such-flag"]]) {
      const r = await runMain(["scan", "post.md", ...args], ws.dir);
      expect(r.code).toBe(2);
      expect(oneLine({ status: r.code, stdout: r.stdout, stderr: r.stderr })).toMatch(/^draftguard: /);
    }
  });

  it("--help gives the default file-size limit in the megabytes the option takes", async () => {
    const r = await runMain(["scan", "--help"], workspace().dir);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/--max-file-size <mb> refuse files larger than this many megabytes \(default: 32\)/);
  });
});

describe("inputs", () => {
  it("reads standard input for -, named and typed by --stdin-filename", async () => {
    const ws = workspace();
    const input = "A `revolutionary` idea about Kestrel.\n";
    const md = ws.run(["scan", "-", "--stdin-filename", "drafts/post.md", "--format", "json", "--fail-on", "never"], { input });
    expect(json(md).findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(["drafts/post.md confidentiality-codename"]);
    // As plain text the backticks are not code, so the phrasing rule reads the word.
    const txt = await runMain(["scan", "-", "--stdin-filename", "post.txt", "--format", "json", "--fail-on", "never"], ws.dir, input);
    expect((JSON.parse(txt.stdout) as JsonReport).findings.map((f) => f.ruleId)).toEqual(["phrasing-hype", "confidentiality-codename"]);
  });

  it("walks directories for draft extensions, skipping .gitignore'd, node_modules and ignore: paths", () => {
    const ws = workspace(`${CONFIG}ignore: ["archive/**"]\n`);
    const files = ["a.md", "b.markdown", "c.mdx", "d.txt", "e.html", "f.htm", "g.rst", "h.json", "sub/deep/i.MD",
      "node_modules/pkg/readme.md", "sub/node_modules/x.md", "private/secret.md", "archive/old.md", "sub/tmp.md", ".hidden/j.md"];
    for (const f of files) ws.write(f, "Kestrel\n");
    ws.write(".gitignore", "private/\n");
    ws.write("sub/.gitignore", "tmp.md\n");
    const r = ws.run(["scan", ".", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(json(r).findings.map((f) => f.file)).toEqual(["a.md", "b.markdown", "c.mdx", "d.txt", "e.html", "f.htm", "sub/deep/i.MD"]);
  });

  it("scans a file named explicitly whatever its extension, and defaults to the current folder", async () => {
    const ws = workspace();
    ws.write("notes.rst", "Kestrel\n");
    ws.write("post.md", "Kestrel\n");
    const files = async (...args: string[]) =>
      (JSON.parse((await runMain(["scan", ...args, "--format", "json"], ws.dir)).stdout) as JsonReport).findings.map((f) => f.file);
    expect(await files("notes.rst")).toEqual(["notes.rst"]);
    expect(await files()).toEqual(["post.md"]);
  });

  it("expands globs relative to the working directory", async () => {
    const ws = workspace();
    for (const f of ["docs/a.md", "docs/deep/b.md", "docs/c.txt", "other/d.md"]) ws.write(f, "Kestrel\n");
    const r = ws.run(["scan", "docs/**/*.md", "--format", "json"]);
    expect(json(r).findings.map((f) => f.file)).toEqual(["docs/a.md", "docs/deep/b.md"]);
    const none = await runMain(["scan", "nothing/**/*.md"], ws.dir);
    expect(none.code).toBe(2);
    expect(oneLine({ status: none.code, stdout: none.stdout, stderr: none.stderr })).toMatch(/^draftguard: no files match the pattern "nothing\/\*\*\/\*\.md"/);
  });

  it("scans an empty file clean", () => {
    const ws = workspace();
    ws.write("empty.md", "");
    const r = ws.run(["scan", "empty.md"]);
    expect([r.status, r.stderr]).toEqual([0, ""]);
  });

  it("scans a 20 MB file to the end", () => {
    const ws = workspace();
    const paragraph = "The quick brown fox jumps over the lazy dog, and the writer adds a calm sentence about it.\n\n";
    const count = Math.ceil((20 * 1024 * 1024) / paragraph.length);
    ws.write("big.md", `Kestrel starts.\n\n${paragraph.repeat(count)}It ends with a revolutionary 12% jump.\n`);
    const r = ws.run(["scan", "big.md", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const lastLine = 3 + count * 2;
    expect(json(r).findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual([
      "1:1 confidentiality-codename",
      `${lastLine}:16 phrasing-hype`,
      `${lastLine}:30 accuracy-unsourced-percent`,
    ]);
  });
});

describe("bad inputs: one stderr line with file:line:col, no stack trace, exit 2", () => {
  function badPack(text: string): CliResult {
    const ws = workspace();
    ws.write("pack.yaml", text);
    ws.write("post.md", "Kestrel\n");
    return ws.run(["scan", "post.md"]);
  }
  const rule = "rules:\n  - id: confidentiality-x\n    kind: pattern\n    category: confidentiality\n    severity: error\n    description: d\n    message: m\n    rationale: r\n    remedy: f\n";

  it("a broken YAML pack", () => {
    const r = badPack("rules:\n  - id: x\n    message: a: b\n");
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(/^draftguard: \S*pack\.yaml:3:14: invalid YAML/);
    expect(r.stdout).toBe("");
  });

  it("an unknown rule key", () => {
    const r = badPack(`${rule}    pattern: x\n    remedey: y\n`);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(/^draftguard: \S*pack\.yaml:11:5: unknown key "remedey".*did you mean "remedy"\?/);
  });

  it("a bad regex", () => {
    const r = badPack(`${rule}    pattern: '[unclosed'\n`);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toMatch(/^draftguard: \S*pack\.yaml:10:14: pattern in rule "confidentiality-x" does not compile/);
  });

  it("a missing path, a binary file, invalid UTF-8 and a file over --max-file-size: one line each; good files still reported", () => {
    const ws = workspace();
    ws.write("post.md", "Kestrel\n");
    // A NUL on line 2, column 2.
    ws.write("image.md", Buffer.from([0x50, 0x4e, 0x47, 0x0a, 0x41, 0x00, 0x01]));
    // Latin-1 "é" (0xE9) on line 4 after "La caf": column 7.
    ws.write("latin1.md", Buffer.concat([Buffer.from("Title\n\n🎉 Café ok\nLa caf", "utf8"), Buffer.from([0xe9]), Buffer.from(" est bonne.\n", "utf8")]));
    ws.write("big.md", "x".repeat(2 * 1024 * 1024 + 10));
    const r = ws.run(["scan", "post.md", "missing.md", "image.md", "latin1.md", "big.md", "--max-file-size", "1", "--format", "json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const lines = r.stderr.trimEnd().split("\n").sort();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^draftguard: big\.md:1:1: file is too large to scan \(2\.0 MB, limit 1\.0 MB\)/);
    expect(lines[1]).toMatch(/^draftguard: image\.md:2:2: file looks binary/);
    expect(lines[2]).toMatch(/^draftguard: latin1\.md:4:7: file is not valid UTF-8 \(byte 0xe9/);
    expect(lines[3]).toBe("draftguard: missing.md:1:1: no such file or directory (check the path)");
    expect(json(r).findings.map((f) => f.file)).toEqual(["post.md"]);
  });

  it("invalid UTF-8 after astral characters counts columns in UTF-16 units", async () => {
    const ws = workspace();
    ws.write("bad.md", Buffer.concat([Buffer.from("😀😀", "utf8"), Buffer.from([0xff])]));
    const r = await runMain(["scan", "bad.md"], ws.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^draftguard: bad\.md:1:5: file is not valid UTF-8/);
  });
});

describe("--debug", () => {
  it("shows a stack for a known error only when given", () => {
    const ws = workspace();
    ws.write("pack.yaml", "rules: {a: 1}\n");
    const plain = ws.run(["scan", "."]);
    expect(plain.status).toBe(2);
    oneLine(plain);
    const debug = ws.run(["scan", ".", "--debug"]);
    expect(debug.status).toBe(2);
    expect(debug.stderr.split("\n")[0]).toBe(plain.stderr.trimEnd());
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("shows a stack for an internal error only when given", async () => {
    const ws = workspace();
    // An unexpected failure: reading standard input throws a plain Error.
    const boom = (argv: string[]) => runMain(argv, ws.dir, () => Promise.reject(new Error("stdin exploded")));
    const plain = await boom(["scan", "-"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe("draftguard: internal error: stdin exploded (run with --debug for the stack trace)\n");
    const debug = await boom(["scan", "-", "--debug"]);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^draftguard: internal error: stdin exploded\n.*Error: stdin exploded\n\s+at /s);
  });
});

describe("reports", () => {
  it("--output-file writes the report there and keeps the exit code", () => {
    const ws = workspace();
    ws.write("post.md", "Kestrel\n");
    const r = ws.run(["scan", "post.md", "--format", "json", "--output-file", "report.json"]);
    expect([r.status, r.stdout, r.stderr]).toEqual([1, "", ""]);
    expect(JSON.parse(ws.read("report.json")).findings).toHaveLength(1);
  });

  it("--output-file writes into a pipe or device as it is, and through a symbolic link to its file", () => {
    const ws = workspace();
    ws.write("post.md", "Kestrel\n");
    // A named pipe stands for /dev/null and /dev/stdout: renaming a temporary file over it would
    // replace it with a file (once, for /dev/null, the whole machine's).
    execFileSync("mkfifo", [ws.path("pipe")]);
    const reader = spawn("sh", ["-c", `cat pipe > received.json`], { cwd: ws.dir, stdio: "ignore" });
    try {
      const r = ws.run(["scan", "post.md", "--format", "json", "--output-file", "pipe"]);
      expect([r.status, r.stderr]).toEqual([1, ""]);
      expect(lstatSync(ws.path("pipe")).isFIFO()).toBe(true);
      const received = ws.path("received.json");
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; waited < 5000 && !(existsSync(received) && readFileSync(received, "utf8").endsWith("}\n")); waited += 20) Atomics.wait(pause, 0, 0, 20);
      expect(JSON.parse(readFileSync(received, "utf8")).findings).toHaveLength(1);
    } finally {
      setTimeout(() => reader.kill(), 5000).unref();
    }
    writeFileSync(ws.path("real.json"), "old\n");
    symlinkSync("real.json", ws.path("link.json"));
    const r = ws.run(["scan", "post.md", "--format", "json", "--output-file", "link.json"]);
    expect(r.status).toBe(1);
    expect(lstatSync(ws.path("link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(ws.read("real.json")).findings).toHaveLength(1);
  });

  it("ends quietly, with its exit code, when the reader closes the pipe early (| head)", () => {
    const ws = workspace();
    ws.write("post.md", "We built Kestrel.\n".repeat(400)); // a report (400 findings) larger than a pipe's buffer
    const r = spawnSync("sh", ["-c", `(NO_COLOR=1 "$0" "$1" scan post.md --format json; echo "exit $?" >&2) | head -c 100 > /dev/null`, process.execPath, BIN], { cwd: ws.dir, encoding: "utf8" });
    expect(r.stderr).toBe("exit 1\n");
    expect(ws.run(["scan", "post.md", "--format", "json"]).stdout.length).toBeGreaterThan(128 * 1024);
  });

  it("--format json keeps its public contract", () => {
    const ws = workspace();
    ws.write("post.md", "Kestrel grew 40% this year.\n");
    const report = json(ws.run(["scan", "post.md", "--format", "json"]));
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["version", "findings", "summary"]));
    expect(report.version).toBe(1);
    const strings = ["file", "ruleId", "category", "severity", "message", "description", "remedy", "rationale"] as const;
    const numbers = ["line", "column", "endLine", "endColumn"] as const;
    expect(report.findings.length).toBe(2);
    for (const f of report.findings) {
      for (const key of strings) expect(typeof f[key], key).toBe("string");
      for (const key of numbers) expect(Number.isInteger(f[key]), key).toBe(true);
    }
    expect(report.findings[0]).toMatchObject({
      file: "post.md", line: 1, column: 1, endLine: 1, endColumn: 8, ruleId: "confidentiality-codename",
      category: "confidentiality", severity: "error", message: '"Kestrel" is an internal codename.', remedy: "Use the public name.",
      description: "Test rule confidentiality-codename.", rationale: "Tests need a rationale.",
    });
    expect(report.summary).toMatchObject({ files: 1, errors: 1, warnings: 1, infos: 0 });
  });

  it("sorts findings by file, line, column and rule id, whatever the argument order", async () => {
    const ws = workspace(CONFIG, [...RULES, { id: "phrasing-aaa", kind: "terms", terms: ["kestrel"] }]);
    ws.write("b.md", "x Kestrel\nKestrel\n");
    ws.write("a/z.md", "Kestrel\n");
    ws.write("a.md", "revolutionary Kestrel\n");
    const one = ws.run(["scan", "b.md", "a/z.md", "a.md", "--format", "json"]);
    const two = await runMain(["scan", "a.md", "b.md", "a/z.md", "--format", "json"], ws.dir);
    expect(two.stdout).toBe(one.stdout);
    expect(json(one).findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`)).toEqual([
      "a.md:1:1 phrasing-hype",
      "a.md:1:15 confidentiality-codename",
      "a.md:1:15 phrasing-aaa",
      "a/z.md:1:1 confidentiality-codename",
      "a/z.md:1:1 phrasing-aaa",
      "b.md:1:3 confidentiality-codename",
      "b.md:1:3 phrasing-aaa",
      "b.md:2:1 confidentiality-codename",
      "b.md:2:1 phrasing-aaa",
    ]);
  });

  describe("golden output", () => {
    let ws: Workspace;
    beforeAll(() => {
      ws = Workspace.withPack(RULES, CONFIG);
      ws.write("drafts/launch.md", [
        "---",
        "title: Launch notes",
        "---",
        "# Kestrel is coming",
        "",
        "Our revolutionary laptop is 45% faster, according to our lab.",
        "Battery life improved 30% over last year.",
        "Questions? Write to maria.lopez@gmail.com or see `Kestrel` docs.",
        "",
      ].join("\n"));
      ws.write("drafts/clean.txt", "Nothing here.\n");
      ws.write("notes/plain.txt", "A game-changing 5% uptick.\n");
    });
    afterAll(() => ws.remove());

    it.each([
      ["pretty", "pretty.txt"],
      ["json", "json.json"],
    ])("%s", (format, golden) => {
      const r = ws.run(["scan", "drafts", "notes", "--format", format]);
      expect([r.status, r.stderr]).toEqual([1, ""]);
      const file = path.join(GOLDEN_DIR, golden);
      if (process.env.UPDATE_GOLDEN === "1") {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, r.stdout);
      }
      expect(r.stdout).toBe(readFileSync(file, "utf8"));
    });
  });
});

describe("in-process main agrees with the binary", () => {
  it("gives the same output and exit code", async () => {
    const ws = workspace();
    ws.write("post.md", "Kestrel grew 40%.\n");
    const spawned = ws.run(["scan", "post.md", "--format", "json"]);
    const inProcess = await runMain(["scan", "post.md", "--format", "json"], ws.dir);
    expect([inProcess.code, inProcess.stdout, inProcess.stderr]).toEqual([spawned.status, spawned.stdout, spawned.stderr]);
  });
});
