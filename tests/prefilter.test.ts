import { describe, expect, it } from "vitest";
import { DIGITS, needlesFor } from "../src/policy/prefilter.js";
import { NeedleIndex } from "../src/policy/needles.js";
import type { FinderPart } from "../src/policy/rule.js";

function ruleWith(id: string, needles: string[]): FinderPart & { id: string } {
  return { id, needles, find: () => [] };
}

describe("needlesFor", () => {
  it.each([
    ["\\bguarantee(?:d|s)?\\b", ["guarantee"]],
    ["\\b(?:merger|acquisition)\\b", ["acquisition", "merger"]],
    ["sk_(?:live|test)_[0-9a-zA-Z]{24}", ["sk_live_", "sk_test_"]],
    ["[\\w.+-]+@[\\w-]+\\.[\\w.]+", ["@"]],
    ["(?<=\\bphone:\\s*)\\+?\\d[\\d ]{6,}", ["phone:"]],
    ["\\d{3}-\\d{2}-\\d{4}", [DIGITS]],
  ])("finds the literals every match of %s contains", (source, expected) => {
    expect(needlesFor(source, "gi")).toEqual(expected);
  });

  it.each([
    "\\b\\w+ly\\b", // nothing literal
    "(?:foo)?bar?", // "ba" is too short to be worth a scan
  ])("gives no needles when no strong literal is certain: %s", (source) => {
    expect(needlesFor(source, "gi")).toBeUndefined();
  });

  it("ignores negative lookarounds but keeps what the match itself needs", () => {
    expect(needlesFor("(?<!never )fail", "gi")).toEqual(["fail"]);
  });
});

describe("NeedleIndex", () => {
  it("credits a shorter needle that starts a longer one at the same position", () => {
    const short = ruleWith("short", ["confidential"]);
    const long = ruleWith("long", ["confidential information"]);
    const windows = new NeedleIndex([short, long]).windows("this is confidential information here");
    expect(windows.get(short)).toHaveLength(1);
    expect(windows.get(long)).toHaveLength(1);
  });

  it("skips a rule whose needles do not occur, and windows a long text around the hits", () => {
    const rule = ruleWith("r", ["merger"]);
    const absent = ruleWith("absent", ["acquisition"]);
    const text = `${"filler words here. ".repeat(200)}the merger is signed. ${"more filler text. ".repeat(200)}`;
    const windows = new NeedleIndex([rule, absent]).windows(text);
    expect(windows.get(absent)).toEqual([]);
    const [w] = windows.get(rule) ?? [];
    const at = text.indexOf("merger");
    expect(w && w.start <= at && w.end >= at + 6 && w.end - w.start < text.length / 2).toBe(true);
  });

  it("finds needles case-insensitively, and digit runs for the digits needle", () => {
    const word = ruleWith("w", ["nda"]);
    const digits = ruleWith("d", [DIGITS]);
    const windows = new NeedleIndex([word, digits]).windows("Under NDA until 2027.");
    expect(windows.get(word)).toHaveLength(1);
    expect(windows.get(digits)).toHaveLength(1);
    expect(new NeedleIndex([digits]).windows("no numbers at all").get(digits)).toEqual([]);
  });
});
