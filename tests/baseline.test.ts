import { describe, expect, it } from "vitest";
import { applyBaseline, createBaseline, parseBaseline, type Baseline } from "../src/engine/baseline.js";
import { makeFinding } from "./helpers/findings.js";

const SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const leak = (file: string, line: number, fingerprint = "9f2c41") =>
  makeFinding({ ruleId: "confidentiality-secret", file, line, fingerprint, match: SECRET, excerpt: `key ${SECRET}` });
const hype = (file: string, line: number) => makeFinding({ ruleId: "phrasing-hype", file, line, fingerprint: "11aa" });

describe("createBaseline", () => {
  it("counts identical findings per file and sorts entries by file, rule and fingerprint", () => {
    const baseline = createBaseline([leak("b.md", 9), hype("a.md", 3), leak("b.md", 2), leak("a.md", 1, "00ff")]);
    expect(baseline).toEqual({
      version: 1,
      entries: [
        { ruleId: "confidentiality-secret", file: "a.md", fingerprint: "00ff", count: 1 },
        { ruleId: "phrasing-hype", file: "a.md", fingerprint: "11aa", count: 1 },
        { ruleId: "confidentiality-secret", file: "b.md", fingerprint: "9f2c41", count: 2 },
      ],
    });
  });

  it("writes neither the matched text nor line numbers", () => {
    const text = JSON.stringify(createBaseline([leak("post.md", 12)]));
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/"line"|"column"|12/);
    expect(Object.keys(JSON.parse(text).entries[0])).toEqual(["ruleId", "file", "fingerprint", "count"]);
  });

  it("is the same whatever order findings come in", () => {
    const findings = [leak("b.md", 9), hype("a.md", 3), leak("a.md", 1, "00ff")];
    expect(createBaseline([...findings].reverse())).toEqual(createBaseline(findings));
  });
});

describe("applyBaseline", () => {
  it("keeps accepting findings that moved to other lines", () => {
    const baseline = createBaseline([leak("post.md", 3), hype("post.md", 10)]);
    const moved = [leak("post.md", 40), hype("post.md", 52)];
    expect(applyBaseline(moved, baseline)).toEqual({ fresh: [], baselined: moved, stale: [] });
  });

  it("is count-aware: two accepted copies cover two, a third is fresh", () => {
    const baseline = createBaseline([leak("post.md", 3), leak("post.md", 8)]);
    const now = [leak("post.md", 20), leak("post.md", 4), leak("post.md", 9)];
    const result = applyBaseline(now, baseline);
    expect(result.baselined).toEqual([leak("post.md", 4), leak("post.md", 9)]);
    expect(result.fresh).toEqual([leak("post.md", 20)]);
    expect(result.stale).toEqual([]);
  });

  it("does not let an entry for one file or rule cover another", () => {
    const baseline = createBaseline([leak("a.md", 1)]);
    const result = applyBaseline([leak("b.md", 1), makeFinding({ ruleId: "other", file: "a.md", line: 1, fingerprint: "9f2c41" })], baseline);
    expect(result.baselined).toEqual([]);
    expect(result.fresh).toHaveLength(2);
    expect(result.stale).toEqual(baseline.entries);
  });

  it("lists stale entries, with the part of their count that matched nothing", () => {
    const baseline = createBaseline([leak("post.md", 1), leak("post.md", 2), leak("post.md", 3), hype("gone.md", 1)]);
    const result = applyBaseline([leak("post.md", 7)], baseline);
    expect(result.fresh).toEqual([]);
    expect(result.stale).toEqual([
      { ruleId: "phrasing-hype", file: "gone.md", fingerprint: "11aa", count: 1 },
      { ruleId: "confidentiality-secret", file: "post.md", fingerprint: "9f2c41", count: 2 },
    ]);
    // Applying does not consume the baseline it was given.
    expect(baseline.entries.find((entry) => entry.file === "post.md")?.count).toBe(3);
  });
});

describe("parseBaseline", () => {
  it("reads what createBaseline writes", () => {
    const baseline = createBaseline([leak("b.md", 9), hype("a.md", 3), leak("b.md", 2)]);
    expect(parseBaseline(`${JSON.stringify(baseline, null, 2)}\n`, ".draftguard-baseline.json")).toEqual(baseline);
  });

  it("merges repeated entries and sorts them", () => {
    const text = JSON.stringify({
      version: 1,
      entries: [
        { ruleId: "r", file: "b.md", fingerprint: "f", count: 1 },
        { ruleId: "r", file: "a.md", fingerprint: "f", count: 2 },
        { ruleId: "r", file: "b.md", fingerprint: "f", count: 3 },
      ],
    });
    expect(parseBaseline(text, "x.json")).toEqual<Baseline>({
      version: 1,
      entries: [
        { ruleId: "r", file: "a.md", fingerprint: "f", count: 2 },
        { ruleId: "r", file: "b.md", fingerprint: "f", count: 4 },
      ],
    });
  });

  const entry = { ruleId: "r", file: "a.md", fingerprint: "f", count: 1 };
  const malformed: [string, string, RegExp][] = [
    ["not JSON", "{ version: 1 ", /not valid JSON/],
    ["empty", "", /not valid JSON/],
    ["a list", "[]", /expected a JSON object/],
    ["no version", JSON.stringify({ entries: [] }), /unsupported baseline version \(missing\), expected 1/],
    ["another version", JSON.stringify({ version: 2, entries: [] }), /unsupported baseline version 2/],
    ["entries not a list", JSON.stringify({ version: 1, entries: {} }), /"entries" must be a list/],
    ["entry not an object", JSON.stringify({ version: 1, entries: [entry, 3] }), /entry 2 must be an object/],
    ["missing fingerprint", JSON.stringify({ version: 1, entries: [{ ...entry, fingerprint: undefined }] }), /entry 1: "fingerprint" must be a non-empty string/],
    ["empty file", JSON.stringify({ version: 1, entries: [{ ...entry, file: "" }] }), /entry 1: "file" must be a non-empty string/],
    ["zero count", JSON.stringify({ version: 1, entries: [{ ...entry, count: 0 }] }), /entry 1: "count" must be a whole number/],
    ["fractional count", JSON.stringify({ version: 1, entries: [{ ...entry, count: 1.5 }] }), /"count" must be a whole number/],
  ];
  for (const [name, text, expected] of malformed) {
    it(`rejects ${name} with one line naming the file and the fix`, () => {
      let message = "";
      try {
        parseBaseline(text, "ci/.draftguard-baseline.json");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(expected);
      expect(message).toMatch(/^ci\/\.draftguard-baseline\.json: .*: fix the file, or write it again with `draftguard baseline`$/);
      expect(message).not.toContain("\n");
    });
  }
});
