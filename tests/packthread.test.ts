/**
 * A cold policy cache's packs parsed in a short-lived thread (src/cli/packthread.ts): the same
 * specs as parsing them here, and on any failure nothing, so that the caller parses them itself
 * and a broken pack gets its usual one-line error.
 */
import { afterAll, describe, expect, it } from "vitest";
import { parsePacksInThread } from "../src/cli/packthread.js";
import { bundledPackFiles, packText, readPackFile } from "../src/node.js";
import { parsePack } from "../src/policy/load.js";
import { Workspace } from "./helpers/workspace.js";

const workspaces: Workspace[] = [];
afterAll(() => {
  for (const ws of workspaces) ws.remove();
});

describe("packs parsed in a thread", () => {
  it("give the specs this thread would parse, as a warm start reads them", () => {
    const sources = bundledPackFiles().map((file) => packText(readPackFile(file)));
    const specs = parsePacksInThread(sources);
    expect(specs?.length).toBeGreaterThan(100);
    expect(specs).toEqual(JSON.parse(JSON.stringify(sources.flatMap((source) => parsePack(source)))));
  });

  it("call back once a thread has run (it reset V8's flags), and not when none could start", () => {
    const calls: string[] = [];
    const ws = new Workspace();
    workspaces.push(ws);
    const broken = ws.write("broken-worker.mjs", 'throw new Error("a stale or broken bundle");\n');
    expect(parsePacksInThread([{ file: "pack.yaml", text: "rules: []\n" }], undefined, () => calls.push("parsed"))).toEqual([]);
    expect(parsePacksInThread([{ file: "pack.yaml", text: "rules: []\n" }], broken, () => calls.push("broken"))).toBeUndefined();
    expect(parsePacksInThread([{ file: "pack.yaml", text: "rules: []\n" }], "/no/such/worker.js", () => calls.push("none"))).toBeUndefined();
    expect(calls).toEqual(["parsed", "broken"]);
  });

  it("give nothing for a pack that does not parse, or without the worker bundle", () => {
    expect(parsePacksInThread([{ file: "pack.yaml", text: "rules:\n  - id: x\n    message: a: b\n" }])).toBeUndefined();
    expect(parsePacksInThread([{ file: "pack.yaml", text: "rules: []\n" }], "/no/such/worker.js")).toBeUndefined();
  });

  it("give nothing, without waiting out their patience, when the worker bundle throws as it loads", () => {
    const ws = new Workspace();
    workspaces.push(ws);
    const broken = ws.write("broken-worker.mjs", 'throw new Error("a stale or broken bundle");\n');
    const started = Date.now();
    expect(parsePacksInThread([{ file: "pack.yaml", text: "rules: []\n" }], broken)).toBeUndefined();
    // The thread is heard from as soon as it fails; blocked, the caller would otherwise sit out
    // the whole 30 s (it cannot hear the thread's error event).
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("leave a broken pack to this thread, which reports it: a cold scan of a folder", () => {
    const ws = new Workspace();
    workspaces.push(ws);
    ws.write("pack.yaml", "rules:\n  - id: x\n    message: a: b\n");
    ws.write(".draftguard.yaml", "defaults: false\npacks: [./pack.yaml]\n");
    ws.write("posts/a.md", "Hello.\n");
    const r = ws.run(["scan", "posts", "--cache-location", ws.path("cache")]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^draftguard: \S*pack\.yaml:3:14: invalid YAML[^\n]*$/);
  });

  it("scan a folder the same with a cold cache as with a warm one, parsing packs in a thread only when cold", () => {
    const ws = new Workspace();
    workspaces.push(ws);
    ws.write("posts/a.md", "Our Q3 revenue was up 40% and this is the best product ever.\n");
    ws.write("posts/b.md", "Call me on 07700 900123 about the layoffs.\n");
    const args = ["scan", "posts", "--format", "json", "--debug", "--cache-location", ws.path("cache")];
    const notice = /parsed in a thread of their own/;
    const cold = ws.run(args);
    const warm = ws.run(args);
    expect(JSON.parse(cold.stdout).findings.length).toBeGreaterThan(2);
    expect(warm.stdout).toBe(cold.stdout);
    expect(cold.stderr).toMatch(notice);
    expect(warm.stderr).not.toMatch(notice);
    // A file named on the command line (a post in a git hook) is parsed here even when cold.
    const post = ws.run(["scan", "posts/a.md", "--format", "json", "--debug", "--cache-location", ws.path("cache2")]);
    expect(post.stderr).not.toMatch(notice);
    expect(JSON.parse(post.stdout).findings.length).toBeGreaterThan(0);
  });
});
