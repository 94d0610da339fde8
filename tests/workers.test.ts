/** Worker threads must not change a scan's result: the same report with 1 and with 3 threads. */
import { afterAll, describe, expect, it } from "vitest";
import { readDraft } from "../src/cli/pipeline.js";
import { Workspace } from "./helpers/workspace.js";

const ws = Workspace.withPack(
  [
    { id: "confidentiality-word", kind: "terms", terms: ["leakword"] },
    { id: "accuracy-percent", kind: "pattern", pattern: "\\b\\d+%", severity: "warning" },
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

describe("a worker that runs out of memory", () => {
  it("is replaced by one without a cap, and no file is lost or scanned twice", async () => {
    const { scanInWorkers } = await import("../src/cli/pool.js");
    // A big draft among small ones: with a 12 MB heap the worker loads this small policy but cannot scan the big one.
    const big = `${"A leakword here and 5% there, in a line of filler text that goes on. ".repeat(60000)}\n`;
    ws.write("big/huge.md", big);
    const small = Array.from({ length: 12 }, (_, i) => `posts/p${String(i).padStart(2, "0")}.md`);
    const files = [small[0] as string, "big/huge.md", ...small.slice(1)]; // one answered before the big one
    const init = { configFile: `${ws.dir}/.draftguard.yaml`, cacheLocation: undefined, settings: { cwd: ws.dir, maxFileSize: 64 * 1048576, reportUnusedSuppressions: false, timing: false } };
    const capped = await scanInWorkers(files, init, 2, { heapMb: 12 });
    const free = await scanInWorkers(files, init, 2);
    const byFile = (r: typeof free) => new Map(r.outcomes.map((o) => [o.file, o.findings.length]));
    expect(capped.outcomes.map((o) => o.file).sort()).toEqual([...files].sort());
    expect(byFile(capped)).toEqual(byFile(free));
    expect(byFile(free).get("big/huge.md")).toBeGreaterThan(100);
    expect(capped.replaced).toBeGreaterThan(0);
    expect(free.replaced).toBe(0);
  }, 60000);
});

describe("a draft that cannot be read", () => {
  it("is one file error saying why (the main thread and the workers read through one helper)", () => {
    const read = readDraft(ws.dir, "posts/gone.md");
    expect("outcome" in read && read.outcome.error).toEqual({ file: "posts/gone.md", line: 1, column: 1, message: "cannot read file: ENOENT" });
    expect("buffer" in readDraft(ws.dir, "posts/p00.md")).toBe(true);
  });
});
