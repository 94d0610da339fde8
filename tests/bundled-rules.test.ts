/**
 * Every example of every bundled rule behaves as written: `draftguard rules test` on the bundled pack,
 * run by the built binary from a folder with no configuration (so only the bundled pack loads).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { Workspace } from "./helpers/workspace.js";

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace();
});
afterAll(() => ws.remove());

it("passes every flag and pass example of the bundled rules", () => {
  const r = ws.run(["rules", "test"]);
  expect(r.stderr).toBe("");
  expect(r.stdout, r.stdout).toMatch(/^\d+ rules, \d+ examples: \d+ passed, 0 failed$/m);
  expect(r.status, r.stdout).toBe(0);
});
