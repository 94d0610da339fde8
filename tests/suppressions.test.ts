import { describe, expect, it } from "vitest";
import { applySuppressions, parseSuppressions, type SuppressionOptions } from "../src/engine/suppressions.js";
import type { Finding } from "../src/types.js";
import { makeFinding } from "./helpers/findings.js";

const lenient: SuppressionOptions = { requireReason: false, unsuppressible: new Set() };

/** Runs both steps and returns "rule@line:column" of the findings kept. */
function keptAfter(source: string, findings: Finding[], opts: SuppressionOptions = lenient): string[] {
  const { directives } = parseSuppressions(source);
  return applySuppressions(findings, directives, opts).kept.map((f) => `${f.ruleId}@${f.line}:${f.column}`);
}

const codename = (line: number, column = 1): Finding => makeFinding({ ruleId: "confidentiality-codename", line, column });
const hype = (line: number, column = 1): Finding => makeFinding({ ruleId: "phrasing-hype", line, column });

describe("parseSuppressions", () => {
  it("reads a next-line directive with rules and a reason", () => {
    const { directives, problems } = parseSuppressions(
      "intro\n<!-- draftguard-disable-next-line confidentiality-codename, phrasing-hype -- announced on 2024-05-01 -->\nKestrel ships!\n",
    );
    expect(problems).toEqual([]);
    expect(directives).toEqual(
      ["confidentiality-codename", "phrasing-hype"].map((ruleId) => ({
        kind: "disable-next-line",
        ruleId,
        line: 2,
        column: 1,
        reason: "announced on 2024-05-01",
        from: { line: 3, column: 1 },
        to: { line: 4, column: 1 },
      })),
    );
  });

  it("pairs disable and enable into a range that starts after the comment and ends at the enable", () => {
    const { directives, problems } = parseSuppressions(
      "a\n  <!-- draftguard-disable phrasing-hype -->  b\nc\n<!-- draftguard-enable phrasing-hype -->\n",
    );
    expect(problems).toEqual([]);
    expect(directives).toEqual([
      { kind: "disable", ruleId: "phrasing-hype", line: 2, column: 3, from: { line: 2, column: 44 }, to: { line: 4, column: 1 } },
    ]);
  });

  it("treats a directive without rules as every rule, and an unclosed disable as reaching the end", () => {
    const { directives } = parseSuppressions("<!-- draftguard-disable -- generated changelog -->\ntext\n");
    expect(directives).toEqual([
      { kind: "disable", line: 1, column: 1, reason: "generated changelog", from: { line: 1, column: 51 } },
    ]);
  });

  it("reads the plain-text form on a line of its own, with # or //", () => {
    const source = [
      "title: Launch",
      "# draftguard-disable-next-line confidentiality-codename -- public since March",
      "codename: Kestrel",
      "  // draftguard-disable phrasing-hype",
      "Best ever!",
      "// draftguard-enable phrasing-hype",
      "Not # draftguard-disable-next-line phrasing-hype, because it is not alone on its line",
    ].join("\r\n");
    const { directives, problems } = parseSuppressions(source);
    expect(problems).toEqual([]);
    expect(directives.map((d) => [d.kind, d.ruleId, d.line, d.column, d.from, d.to, d.reason])).toEqual([
      ["disable-next-line", "confidentiality-codename", 2, 1, { line: 3, column: 1 }, { line: 4, column: 1 }, "public since March"],
      ["disable", "phrasing-hype", 4, 3, { line: 4, column: 38 }, { line: 6, column: 1 }, undefined],
    ]);
  });

  it("targets the line after a comment that spans lines", () => {
    const { directives } = parseSuppressions("<!--\n  draftguard-disable-next-line phrasing-hype\n  -- quoted from the press release\n-->\nBest ever!\n");
    expect(directives).toMatchObject([{ line: 1, from: { line: 5, column: 1 }, reason: "quoted from the press release" }]);
  });

  it("ignores directives shown as examples in code", () => {
    const source = [
      "Write `<!-- draftguard-disable-next-line rule -- why -->` above the line.",
      "```markdown",
      "<!-- draftguard-disable phrasing-hype -->",
      "# draftguard-disable-next-line phrasing-hype",
      "```",
      "~~~~",
      "<!-- draftguard-disable -->",
      "~~~~",
      "<!-- a note: # draftguard-disable is written like this -->",
      "<!-- an ordinary comment -->",
    ].join("\n");
    expect(parseSuppressions(source)).toEqual({ directives: [], problems: [] });
  });

  it("reports what it cannot read", () => {
    const source = [
      "<!-- draftguard-disabel phrasing-hype -->",
      "<!-- draftguard-disable-next-line phrasing-hype confidentiality-codename -->",
      "<!-- draftguard-enable phrasing-hype -->",
      "# draftguard-disable-line phrasing-hype",
      "<!-- draftguard-disable -->",
      "<!-- draftguard-enable phrasing-hype -->",
      "<!-- draftguard-enable -->",
      "<!-- draftguard-enable -->",
    ].join("\n");
    expect(parseSuppressions(source).problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [1, 1, "unknown-directive"],
      [2, 1, "bad-rule-list"],
      [3, 1, "unmatched-enable"],
      [4, 1, "misplaced-directive"],
      [6, 1, "unmatched-enable"],
      [8, 1, "unmatched-enable"],
    ]);
    expect(parseSuppressions(source).problems[0]?.message).toMatch(/unknown directive "draftguard-disabel": use draftguard-disable-next-line/);
    expect(parseSuppressions(source).problems[4]?.message).toMatch(/end it with a plain draftguard-enable/);
  });

  it("counts columns in UTF-16 code units and CRLF as one line break", () => {
    const { directives } = parseSuppressions("x\r\n😀 <!-- draftguard-disable-line phrasing-hype -->\r\nnext");
    expect(directives).toMatchObject([{ kind: "disable-line", line: 2, column: 4, from: { line: 2, column: 1 }, to: { line: 3, column: 1 } }]);
  });
});

describe("applySuppressions", () => {
  const cases: { name: string; source: string; findings: Finding[]; kept: string[] }[] = [
    {
      name: "next-line silences only its rules on only the next line",
      source: "<!-- draftguard-disable-next-line phrasing-hype -->\nBest ever, says Kestrel\nBest ever\n",
      findings: [hype(2), codename(2, 17), hype(3)],
      kept: ["confidentiality-codename@2:17", "phrasing-hype@3:1"],
    },
    {
      name: "disable-line silences its own line",
      source: "Best ever <!-- draftguard-disable-line -->\nBest ever\n",
      findings: [hype(1), codename(1, 3), hype(2)],
      kept: ["phrasing-hype@2:1"],
    },
    {
      name: "a region covers from after the disable to before the enable, by position",
      source: "Best <!-- draftguard-disable phrasing-hype --> best\nbest\nbest <!-- draftguard-enable phrasing-hype --> best\n",
      findings: [hype(1, 1), hype(1, 48), hype(2), hype(3, 1), hype(3, 47)],
      kept: ["phrasing-hype@1:1", "phrasing-hype@3:47"],
    },
    {
      name: "enable of one rule ends only that rule",
      source: "<!-- draftguard-disable phrasing-hype, confidentiality-codename -->\n<!-- draftguard-enable phrasing-hype -->\nx\n",
      findings: [hype(3), codename(3)],
      kept: ["phrasing-hype@3:1"],
    },
  ];
  for (const { name, source, findings, kept } of cases) {
    it(name, () => expect(keptAfter(source, findings)).toEqual(kept));
  }

  it("returns suppressed findings and directives that silenced nothing", () => {
    const { directives } = parseSuppressions(
      "<!-- draftguard-disable-next-line phrasing-hype, confidentiality-codename -- quoted -->\nBest ever\n",
    );
    const result = applySuppressions([hype(2)], directives, lenient);
    expect(result.kept).toEqual([]);
    expect(result.suppressed).toEqual([hype(2)]);
    expect(result.unused.map((d) => d.ruleId)).toEqual(["confidentiality-codename"]);
    expect(result.problems).toEqual([]);
  });

  it("requires a reason when configured: one problem per comment, and nothing is silenced", () => {
    const { directives } = parseSuppressions("<!-- draftguard-disable-next-line phrasing-hype, confidentiality-codename -->\nBest ever\n");
    const result = applySuppressions([hype(2)], directives, { ...lenient, requireReason: true });
    expect(result.kept).toEqual([hype(2)]);
    expect(result.unused).toEqual([]);
    expect(result.problems).toEqual([
      {
        line: 1,
        column: 1,
        code: "missing-reason",
        message: 'draftguard-disable-next-line needs a reason: add " -- " and why this text is acceptable',
      },
    ]);
  });

  it("never silences an unsuppressible rule, named or covered by a directive for every rule", () => {
    const source = "<!-- draftguard-disable-next-line confidentiality-codename -- ok -->\nKestrel\n<!-- draftguard-disable -- all -->\nKestrel, best\n";
    const { directives } = parseSuppressions(source);
    const result = applySuppressions([codename(2), codename(4), hype(4, 10)], directives, {
      requireReason: true,
      unsuppressible: new Set(["confidentiality-codename"]),
    });
    expect(result.kept).toEqual([codename(2), codename(4)]);
    expect(result.suppressed).toEqual([hype(4, 10)]);
    expect(result.problems.map((p) => [p.line, p.code])).toEqual([
      [1, "unsuppressible"],
      [3, "unsuppressible"],
    ]);
  });

  it("reports a rule id that no active rule has, when the active rules are given", () => {
    const { directives } = parseSuppressions("<!-- draftguard-disable-next-line phrasing-hyp -->\nBest\n");
    const result = applySuppressions([hype(2)], directives, { ...lenient, knownRules: new Set(["phrasing-hype"]) });
    expect(result.kept).toEqual([hype(2)]);
    expect(result.problems.map((p) => p.code)).toEqual(["unknown-rule"]);
  });
});
