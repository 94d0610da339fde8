/** Worker threads must not change a scan's result: the same report with 1 and with 3 threads. */
import { afterAll, describe, expect, it } from "vitest";
import { readDraft, type FileOutcome } from "../src/cli/pipeline.js";
import { fromWire, toWire } from "../src/cli/wire.js";
import { ruleMeta } from "../src/engine/report.js";
import { policyFromConfig, readConfig } from "../src/node.js";
import type { Finding } from "../src/types.js";
import { Workspace } from "./helpers/workspace.js";

const ws = Workspace.withPack(
  [
    { id: "confidentiality-word", kind: "terms", terms: ["leakword"] },
    { id: "accuracy-percent", kind: "pattern", pattern: "\\b\\d+%", severity: "warning", link: "https://example.org/percent" },
  ],
  "suppressions:\n  requireReason: true\n",
);
for (let i = 0; i < 60; i++) {
  const lines = Array.from({ length: 20 }, (_, k) => (k % 7 === i % 7 ? `Line ${k}: leakword and ${k}% more.` : `Line ${k}: nothing here.`));
  if (i % 10 === 0) lines.unshift("<!-- draftguard-disable-next-line accuracy-percent -->");
  ws.write(`posts/p${String(i).padStart(2, "0")}.md`, `${lines.join("\n")}\n`);
}
afterAll(() => ws.remove());

describe("worker threads", () => {
  it("give the same report, notices and exit code as a single thread", () => {
    const one = ws.run(["scan", "posts", "--format", "json", "--workers", "1"]);
    const three = ws.run(["scan", "posts", "--format", "json", "--workers", "3"]);
    expect(JSON.parse(one.stdout).findings.length).toBeGreaterThan(60);
    expect(three.stdout).toBe(one.stdout);
    expect(three.stderr.split("\n").sort()).toEqual(one.stderr.split("\n").sort());
    expect(three.status).toBe(one.status);
  });
});

describe("a finding sent from a worker to the main thread", () => {
  const meta = { id: "accuracy-percent", category: "accuracy", severity: "warning", description: "A percentage.", rationale: "Numbers need sources.", remedy: "Cite one.", link: "https://example.org/percent" } as const;
  const finding = (line: number): Finding => ({
    file: "posts/a.md",
    line,
    column: 3,
    endLine: line,
    endColumn: 6,
    ruleId: meta.id,
    category: meta.category,
    severity: "info", // changed by an override: the finding's own severity is kept, not the rule's
    message: "10% needs a source.",
    description: meta.description,
    rationale: meta.rationale,
    remedy: meta.remedy,
    match: "10%",
    masked: false,
    excerpt: "A 10% rise",
    excerptColumn: 1,
    fingerprint: "f00d",
    link: meta.link,
  });

  it("travels without its rule's texts and arrives whole, field for field and in order", () => {
    const findings = [finding(1), finding(2)];
    const outcome: FileOutcome = { file: "posts/a.md", findings, raw: findings, notices: ["n"] };
    const wire = structuredClone(toWire(outcome));
    expect(JSON.stringify(wire)).not.toContain(meta.rationale);
    expect(Object.keys(wire.findings[0] ?? {})).not.toContain("link");
    const back = fromWire(wire, new Map([[meta.id, meta]]));
    expect(JSON.stringify(back.findings)).toBe(JSON.stringify(findings));
    expect(back.raw).toBe(back.findings); // one list, as the worker had it
    expect(back.notices).toEqual(["n"]);
  });

  it("keeps raw findings apart from reported ones when they differ", () => {
    const raw = [finding(1), finding(2)];
    const reported = [raw[1] as Finding];
    const back = fromWire(structuredClone(toWire({ file: "posts/a.md", findings: reported, raw, notices: [] })), new Map([[meta.id, meta]]));
    expect(back.raw?.map((f) => f.line)).toEqual([1, 2]);
    expect(back.findings.map((f) => f.line)).toEqual([2]);
  });

  it("is refused when the main thread does not know its rule", () => {
    const wire = toWire({ file: "posts/a.md", findings: [finding(1)], notices: [] });
    expect(() => fromWire(wire, new Map())).toThrow(/accuracy-percent/);
  });
});

describe("a worker that runs out of memory", () => {
  it("is replaced by one without a cap, and no file is lost or scanned twice", async () => {
    const { scanInWorkers } = await import("../src/cli/pool.js");
    // A big draft among small ones: with a 12 MB heap the worker loads this small policy but cannot scan the big one.
    const big = `${"A leakword here and 5% there, in a line of filler text that goes on. ".repeat(60000)}\n`;
    ws.write("big/huge.md", big);
    const small = Array.from({ length: 12 }, (_, i) => `posts/p${String(i).padStart(2, "0")}.md`);
    const files = [small[0] as string, "big/huge.md", ...small.slice(1)]; // one answered before the big one
    const init = { configFile: `${ws.dir}/.draftguard.yaml`, cacheLocation: undefined, settings: { cwd: ws.dir, maxFileSize: 64 * 1048576, reportUnusedSuppressions: false, timing: false } };
    const { policy } = await policyFromConfig(readConfig(init.configFile, undefined));
    const rules = new Map(ruleMeta(policy).map((r) => [r.id, r]));
    const run = async (heapMb?: number) => {
      const outcomes: FileOutcome[] = [];
      const { replaced } = await scanInWorkers(files, init, 2, { rules, onOutcome: (o) => outcomes.push(o), ...(heapMb ? { heapMb } : {}) });
      return { outcomes, replaced };
    };
    const capped = await run(12);
    const free = await run();
    const byFile = (r: typeof free) => new Map(r.outcomes.map((o) => [o.file, o.findings.length]));
    expect(capped.outcomes.map((o) => o.file).sort()).toEqual([...files].sort());
    expect(byFile(capped)).toEqual(byFile(free));
    expect(byFile(free).get("big/huge.md")).toBeGreaterThan(100);
    expect(capped.replaced).toBeGreaterThan(0);
    expect(free.replaced).toBe(0);
  }, 60000);
});

describe("the main thread scanning beside the workers", () => {
  it("takes files from the same queue: each file is scanned once, by one thread or the other", async () => {
    const { scanInWorkers } = await import("../src/cli/pool.js");
    const files = Array.from({ length: 60 }, (_, i) => `posts/p${String(i).padStart(2, "0")}.md`);
    const init = { configFile: `${ws.dir}/.draftguard.yaml`, cacheLocation: undefined, settings: { cwd: ws.dir, maxFileSize: 64 * 1048576, reportUnusedSuppressions: false, timing: false } };
    const { policy } = await policyFromConfig(readConfig(init.configFile, undefined));
    const rules = new Map(ruleMeta(policy).map((r) => [r.id, r]));
    const byWorker: string[] = [];
    const byMain: string[] = [];
    await scanInWorkers(files, init, 2, { rules, onOutcome: (o) => byWorker.push(o.file), local: (file) => byMain.push(file) });
    expect([...byWorker, ...byMain].sort()).toEqual(files);
    expect(byMain.length).toBeGreaterThan(0);
    expect(byWorker.length).toBeGreaterThan(0);
  }, 60000);
});

describe("a draft that cannot be read", () => {
  it("is one file error saying why (the main thread and the workers read through one helper)", () => {
    const read = readDraft(ws.dir, "posts/gone.md");
    expect("outcome" in read && read.outcome.error).toEqual({ file: "posts/gone.md", line: 1, column: 1, message: "cannot read file: ENOENT" });
    expect("buffer" in readDraft(ws.dir, "posts/p00.md")).toBe(true);
  });
});
