/**
 * Which files a scan reads: .gitignore files at every level (negations, folder rules, rules
 * anchored to their own folder), the configuration's `ignore:`, and paths as a report gives them,
 * relative to where draftguard runs, also for folders above it.
 */
import { mkdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { discoverFiles } from "../src/cli/files.js";
import { Workspace } from "./helpers/workspace.js";

const ws = new Workspace();
mkdirSync(ws.path(".git"));
ws.write(".gitignore", "*.txt\n!keep.txt\nbuild/\nign\n");
ws.write("sub/.gitignore", "secret*.md\n/local.md\ndeeper/\n");
ws.write("sub/deep/.gitignore", "z.md\n");
for (const f of ["a.md", "keep.txt", "b.txt", "build/a.md", "other/build/c.md", "ign/i.md", "sub/local.md", "sub/deep/local.md", "sub/secret1.md", "sub/deep/secret2.md", "sub/deep/z.md", "sub/z.md", "sub/deep/deeper/d.md", "sub/ok.md"]) {
  ws.write(f, "hi\n");
}
afterAll(() => ws.remove());

const found = (paths: string[], cwd = "", ignore: string[] = [], base = cwd) => discoverFiles(paths, ws.path(cwd), ignore, ws.path(base)).files;

describe("a folder walk", () => {
  it("skips what the .gitignore files above and inside each folder ignore", () => {
    expect(found(["."])).toEqual(["a.md", "keep.txt", "sub/deep/local.md", "sub/ok.md", "sub/z.md"]);
    expect(found(["sub"])).toEqual(["sub/deep/local.md", "sub/ok.md", "sub/z.md"]);
  });

  it("applies a folder's .gitignore to paths from that folder, wherever draftguard runs", () => {
    expect(found(["."], "sub")).toEqual(["deep/local.md", "ok.md", "z.md"]);
  });

  it("scans a folder named explicitly even when it is ignored, with the .gitignore files inside it", () => {
    expect(found(["build", "ign", "sub/deep/deeper"])).toEqual(["build/a.md", "ign/i.md", "sub/deep/deeper/d.md"]);
  });

  it("gives files above the working folder as ../ paths", () => {
    expect(found(["../.."], "sub/deep")).toEqual(["../../a.md", "../../keep.txt", "../ok.md", "../z.md", "local.md"]);
  });

  it("applies the configuration's ignore globs relative to the configuration's folder", () => {
    expect(found(["deep"], "sub", ["deep/local.md"])).toEqual([]);
    expect(found(["."], "", ["sub/**"])).toEqual(["a.md", "keep.txt"]);
    expect(found(["sub"], "", ["deep/**"], "sub")).toEqual(["sub/ok.md", "sub/z.md"]);
  });

  it("lists a file once when two paths reach it", () => {
    expect(found(["sub", "sub/ok.md", "."])).toEqual(["a.md", "keep.txt", "sub/deep/local.md", "sub/ok.md", "sub/z.md"]);
  });
});
