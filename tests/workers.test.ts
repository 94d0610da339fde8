/** Worker threads must not change a scan's result: the same report with 1 and with 3 threads. */
import { afterAll, describe, expect, it } from "vitest";
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
