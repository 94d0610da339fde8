/**
 * bin/draftguard.js runs the bundled CLI through V8's code cache (src/cli/boot.ts). The cache must
 * be written after a scan, be taken by V8 on the next run (a refused one is written again), never
 * change what a run prints, and survive damage. Needs `npm run build`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "./helpers/workspace.js";

let workspaces: Workspace[] = [];
afterEach(() => {
  for (const ws of workspaces) ws.remove();
  workspaces = [];
});

function workspace(): Workspace {
  const ws = Workspace.withPack([{ id: "phrasing-hype", kind: "terms", terms: ["revolutionary"], message: '"{match}" is hype.', remedy: "Say what it does." }]);
  ws.write("post.md", "A revolutionary release.\n");
  workspaces.push(ws);
  return ws;
}

function codeCaches(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /^code-[0-9a-f]+\.bin$/.test(name));
  } catch {
    return [];
  }
}

describe("the code cache", () => {
  it("is written by a scan under --cache-location, then taken as it is by the next one, with the same output", () => {
    const ws = workspace();
    const first = ws.run(["scan", "post.md", "--cache-location", "cache"]);
    const [file] = codeCaches(ws.path("cache"));
    expect(file).toBeDefined();
    const written = statSync(ws.path(`cache/${file}`)).mtimeMs;
    const second = ws.run(["scan", "post.md", "--cache-location=cache"]);
    expect(second).toEqual(first);
    expect(first.status).toBe(1);
    expect(first.stdout).toContain("phrasing-hype");
    // V8 refusing it would have it written again
    expect(statSync(ws.path(`cache/${file}`)).mtimeMs).toBe(written);
    expect(codeCaches(ws.path("cache"))).toEqual([file]);
  });

  it("is not written by other commands", () => {
    const ws = workspace();
    const r = ws.run(["--version", "--cache-location", "cache"]);
    expect(r.status).toBe(0);
    expect(codeCaches(ws.path("cache"))).toEqual([]);
  });

  it("when damaged, is ignored and written again; the run is unchanged", () => {
    const ws = workspace();
    const clean = ws.run(["scan", "post.md", "--cache-location", "cache"]);
    const [file] = codeCaches(ws.path("cache"));
    const cache = ws.path(`cache/${file as string}`);
    const garbage = Buffer.alloc(readFileSync(cache).length, 7);
    writeFileSync(cache, garbage);
    expect(ws.run(["scan", "post.md", "--cache-location", "cache"])).toEqual(clean);
    expect(readFileSync(cache).equals(garbage)).toBe(false);
    expect(ws.run(["scan", "post.md", "--cache-location", "cache"])).toEqual(clean);
  });

  it("damaged past its header, is refused by its digest and written again", () => {
    const ws = workspace();
    const clean = ws.run(["scan", "post.md", "--cache-location", "cache"]);
    const [file] = codeCaches(ws.path("cache"));
    const cache = ws.path(`cache/${file as string}`);
    const good = readFileSync(cache);
    const flipped = Buffer.from(good);
    const at = Math.floor(flipped.length * 0.7); // well past V8's own header
    flipped[at] = (flipped[at] as number) ^ 0xff;
    writeFileSync(cache, flipped);
    expect(ws.run(["scan", "post.md", "--cache-location", "cache"])).toEqual(clean);
    expect(readFileSync(cache).equals(flipped)).toBe(false);
  });

  it("lives in node_modules/.cache/draftguard of the nearest node_modules when no location is given", () => {
    const ws = workspace();
    ws.write("node_modules/.keep", "");
    const r = ws.run(["scan", "post.md"]);
    expect(r.status).toBe(1);
    expect(codeCaches(path.join(ws.dir, "node_modules", ".cache", "draftguard"))).toHaveLength(1);
  });
});
