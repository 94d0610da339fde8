/**
 * The text model end to end through `scanText`: normalisation that defeats evasions while every
 * finding maps back to its exact source span, UTF-16 columns, line endings, and which parts of
 * Markdown and HTML drafts each scope reads.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Policy } from "../src/policy/rule.js";
import { SCOPES, type Finding } from "../src/types.js";
import { policyOf, scan, spanOf } from "./helpers/packs.js";
import { quotedMention } from "../src/text/mention.js";

let markers: Policy;
let byScope: Policy;

beforeAll(async () => {
  markers = await policyOf([
    { id: "confidentiality-marker", kind: "terms", terms: ["confidential", "internal", "internal only", "project falcon", "R&D budget"] },
  ]);
  // One rule per scope, all looking for the same word: the rule ids found say which scope read it.
  byScope = await policyOf(SCOPES.map((scope) => ({ id: `confidentiality-${scope}`, kind: "terms", terms: ["kestrel"], scopes: [scope] })));
});

/** `line:col-endLine:endCol span` of every finding, the span read back from the source. */
function where(text: string, findings: Finding[]): string[] {
  return findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${JSON.stringify(spanOf(text, f))}`);
}

/** `line:col scope` of every finding of the one-rule-per-scope policy. */
function scopesSeen(text: string, file: string): string[] {
  return scan(byScope, text, file).map((f) => `${f.line}:${f.column} ${f.ruleId.replace("confidentiality-", "")}`);
}

describe("normalisation maps every finding back to its exact source span", () => {
  const cases: [string, string, string][] = [
    ["NFKC fullwidth letters", "This is ｃｏｎｆｉｄｅｎｔｉａｌ stuff", '1:9-1:21 "ｃｏｎｆｉｄｅｎｔｉａｌ"'],
    ["NFKC mathematical (astral) letters", "A 𝐜𝐨𝐧𝐟𝐢𝐝𝐞𝐧𝐭𝐢𝐚𝐥 note", '1:3-1:27 "𝐜𝐨𝐧𝐟𝐢𝐝𝐞𝐧𝐭𝐢𝐚𝐥"'],
    ["a zero-width space inside the word", "Quite conf\u200Bidential.", '1:7-1:20 "conf\u200Bidential"'],
    ["a soft hyphen and a zero-width joiner", "in\u00ADter\u200Dnal plans", '1:1-1:11 "in\u00ADter\u200Dnal"'],
    ["Cyrillic homoglyphs", "Strictly \u0421\u043Enfid\u0435ntial data", '1:10-1:22 "\u0421\u043Enfid\u0435ntial"'],
    ["Greek homoglyphs", "An \u039Fmicron-free \u0399nternal memo", '1:17-1:25 "\u0399nternal"'],
    ["letters spaced out", "This is C O N F I D E N T I A L, sorry.", '1:9-1:32 "C O N F I D E N T I A L"'],
    ["letters hyphenated out", "An i-n-t-e-r-n-a-l memo", '1:4-1:19 "i-n-t-e-r-n-a-l"'],
    ["letters dotted out", "An I.N.T.E.R.N.A.L memo", '1:4-1:19 "I.N.T.E.R.N.A.L"'],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    expect(where(text, scan(markers, text, "post.txt"))).toEqual([expected]);
  });

  it("does not join ordinary short words into a false match", () => {
    expect(scan(markers, "I am a big fan of internals.", "post.txt")).toEqual([]);
  });

  it("keeps the matched text and message in source form", () => {
    const text = "Mark it C O N F I D E N T I A L please";
    const [f] = scan(markers, text, "post.txt");
    expect(f?.match).toBe("C O N F I D E N T I A L");
    expect(f?.message).toContain("C O N F I D E N T I A L");
  });
});

describe("phrases split by a line break", () => {
  it("matches across a soft line break", () => {
    const text = "The plan is\ninternal\nonly for now.";
    expect(where(text, scan(markers, text))).toEqual(['2:1-3:5 "internal\\nonly"']);
  });

  it("matches across a Markdown hard line break (two trailing spaces)", () => {
    const text = "We started Project  \nFalcon last year.";
    expect(where(text, scan(markers, text))).toEqual(['1:12-2:7 "Project  \\nFalcon"']);
  });

  it("matches across a Markdown hard line break (trailing backslash)", () => {
    const text = "We started Project\\\nFalcon last year.";
    expect(where(text, scan(markers, text))).toEqual(['1:12-2:7 "Project\\\\\\nFalcon"']);
  });

  it("matches across an HTML <br>", () => {
    const text = "<p>We started Project<br>Falcon last year.</p>";
    expect(where(text, scan(markers, text, "post.html"))).toEqual(['1:15-1:32 "Project<br>Falcon"']);
  });

  it("matches across CRLF line endings and reports positions per line", () => {
    const text = "First line\r\nit is internal\r\nonly, and confidential\r\n";
    expect(where(text, scan(markers, text))).toEqual(['2:7-3:5 "internal\\r\\nonly"', '3:11-3:23 "confidential"']);
  });
});

describe("columns are UTF-16 code units", () => {
  it("counts an emoji (a surrogate pair) as two columns", () => {
    const text = "😀 confidential";
    const [f] = scan(markers, text, "post.txt");
    expect([f?.column, f?.endColumn]).toEqual([4, 16]);
  });

  it("counts astral letters, combining marks and BMP characters as their code units", () => {
    const text = "𝒳 ñ 漢字 e\u0301 👩‍💻 internal";
    const [f] = scan(markers, text, "post.txt");
    expect(f?.column).toBe(text.indexOf("internal") + 1);
    expect(f?.endColumn).toBe(text.indexOf("internal") + 9);
    expect(spanOf(text, f as Finding)).toBe("internal");
  });

  it("counts columns from the start of the match's own line", () => {
    const text = "🎉🎉🎉\n🎉 internal";
    const [f] = scan(markers, text, "post.txt");
    expect([f?.line, f?.column, f?.endLine, f?.endColumn]).toEqual([2, 4, 2, 12]);
  });
});

describe("line endings and byte-order marks", () => {
  it("counts a CRLF as one line break and keeps \\r out of the excerpt", () => {
    const text = "one\r\ntwo\r\nthree confidential\r\nfour";
    const [f] = scan(markers, text, "post.txt");
    expect([f?.line, f?.column, f?.endLine, f?.endColumn]).toEqual([3, 7, 3, 19]);
    expect(f?.excerpt).toBe("three confidential");
  });

  it("treats a lone CR as part of its line (not a line break)", () => {
    const text = "one\rconfidential";
    const [f] = scan(markers, text, "post.txt");
    expect([f?.line, f?.column]).toEqual([1, 5]);
  });

  it("does not count a byte-order mark as a column", () => {
    const text = "\uFEFFconfidential";
    const [f] = scan(markers, text, "post.txt");
    expect([f?.line, f?.column, f?.endColumn]).toEqual([1, 1, 13]);
    expect(f?.excerpt).toBe("confidential");
  });

  it("reads front matter after a byte-order mark, with CRLF line endings", () => {
    const text = "\uFEFF---\r\ntitle: kestrel\r\n---\r\nBody kestrel\r\n";
    expect(scopesSeen(text, "post.md")).toEqual(["2:8 frontmatter", "4:6 prose"]);
  });
});

describe("Markdown structure", () => {
  const md = [
    "---", // 1
    "title: kestrel launch", // 2
    "---", // 3
    "# The Kestrel heading", // 4
    "", // 5
    "Prose kestrel, `kestrel` inline, [kestrel text](https://kestrel.example.com/a) end.", // 6
    "", // 7
    "```js", // 8
    "const kestrel = 1;", // 9
    "```", // 10
    "", // 11
    "    indented kestrel code", // 12
    "", // 13
    "<!-- kestrel comment -->", // 14
    "", // 15
    "~~~", // 16
    "kestrel in a tilde fence", // 17
    "~~~", // 18
    "Setext kestrel?", // 19
    "Autolink <https://kestrel.example.com> and bare https://x.example.com/kestrel here.", // 20
  ].join("\n");

  it("assigns every part to its scope", () => {
    expect(scopesSeen(md, "post.md")).toEqual([
      "2:8 frontmatter",
      "4:7 heading",
      "6:7 prose",
      "6:17 code",
      "6:35 prose",
      "6:57 link",
      "9:7 code",
      "12:14 code",
      "14:6 comment",
      "17:1 code",
      "19:8 prose",
      "20:19 link",
      "20:71 link",
    ]);
  });

  it("treats the same text as plain prose in a .txt file (no Markdown structure)", () => {
    const text = "# kestrel\n\n`kestrel`\n";
    expect(scopesSeen(text, "post.txt")).toEqual(["1:3 prose", "3:2 prose"]);
  });

  it("gives front matter only to a draft that starts with it", () => {
    const text = "Intro\n---\ntitle: kestrel\n---\n";
    expect(scopesSeen(text, "post.md").some((s) => s.endsWith("frontmatter"))).toBe(false);
  });

  it("keeps code spans, link targets and comments out of prose-only rules", async () => {
    const phrasing = await policyOf([{ id: "phrasing-word", kind: "terms", terms: ["kestrel"] }]);
    const found = scan(phrasing, md).map((f) => `${f.line}:${f.column}`);
    expect(found).toEqual(["4:7", "6:7", "6:35", "19:8"]);
  });

  it("starts a view with the first text it reads, so ^ matches a draft's first word after front matter or code", async () => {
    const opening = await policyOf([{ id: "accuracy-opening", kind: "pattern", pattern: "^Best\\b", caseSensitive: true }]);
    for (const text of ["---\nchannel: blog\n---\nBest academy in the county.\n", "```\nx = 1\n```\n\nBest academy in the county.\n", "Best academy in the county.\n"]) {
      expect(scan(opening, text, "post.md").map((f) => `${f.line}:${f.column} ${spanOf(text, f)}`), JSON.stringify(text)).toEqual([`${text.split("\n").findIndex((l) => l.startsWith("Best")) + 1}:1 Best`]);
    }
    // A second sentence's capital is not the start of the draft.
    expect(scan(opening, "---\nchannel: blog\n---\nIt is. Best academy.\n", "post.md")).toEqual([]);
  });

  it("does not fuse the words on either side of a skipped code span", () => {
    const text = "an intern`x`al memo";
    expect(scan(markers, text).filter((f) => f.match.toLowerCase() === "internal")).toEqual([]);
  });
});

describe("HTML structure", () => {
  const html = [
    "<!doctype html>", // 1
    "<html><head><style>.kestrel { color: red }</style>", // 2
    "<script>var kestrel = 1;</script></head>", // 3
    "<body><h1>Kestrel news</h1>", // 4
    "<p>Our kestrel &amp; friends.</p>", // 5
    '<a href="https://kestrel.example.com/x" title="kestrel title">a link</a>', // 6
    "<!-- kestrel note -->", // 7
    "<pre>kestrel code</pre> <code>kestrel</code>", // 8
    '<img src="/i.png" alt="kestrel bird">', // 9
    "</body></html>", // 10
  ].join("\n");

  it("assigns tags, comments and attributes to scopes and skips script and style", () => {
    expect(scopesSeen(html, "post.html")).toEqual([
      "4:11 heading",
      "5:8 prose",
      "6:18 link",
      "6:48 prose",
      "7:6 comment",
      "8:6 code",
      "8:31 code",
      "9:24 prose",
    ]);
  });

  it("decodes entities and maps the match back over the entity", () => {
    const text = "<p>Our R&amp;D budget grew. A &#107;estrel&#x2019;s nest.</p>";
    const findings = scan(markers, text, "post.html");
    expect(where(text, findings)).toEqual(['1:8-1:22 "R&amp;D budget"']);
    expect(where(text, scan(byScope, text, "post.html"))).toEqual(['1:31-1:43 "&#107;estrel"']);
  });

  it("keeps block elements apart so words never fuse across them", () => {
    const text = "<p>intern</p><p>al</p>";
    expect(scan(markers, text, "post.html")).toEqual([]);
  });

  it("reads a word split by inline tags as the reader sees it", () => {
    const text = "<p>Strictly <b>Conf</b>idential.</p>";
    expect(where(text, scan(markers, text, "post.html"))).toEqual(['1:16-1:32 "Conf</b>idential"']);
  });

  it("reads the same markup as plain text in a .txt file", () => {
    const text = "<!-- kestrel -->";
    expect(scopesSeen(text, "post.txt")).toEqual(["1:6 prose"]);
  });
});

describe("wording quoted as an example of wording", () => {
  /** The text with its [[marked]] span taken out, and where that span was. */
  const marked = (text: string) => {
    const start = text.indexOf("[[");
    const end = text.indexOf("]]") - 2;
    return { source: text.replace("[[", "").replace("]]", ""), start, end };
  };
  it.each([
    ['Our style guide says to avoid "[[guaranteed]]" in design reports.', true],
    ['Copy tip: words like "cure", "miracle" and "[[guaranteed results]]" should not appear.', true],
    ['Please avoid "kill", even in phrases like "[[kills 99.9% of germs]]", in product copy.', true],
    ['People ask why a post like "this weather is [[sh*t]]" breaks the guideline.', true],
    ['Imagine a supplier quote that says “we [[guarantee]] zero defects”. Ask for the data instead.', true],
    ['We no longer use "manpower" or "[[foolproof]]" anywhere.', true],
    ['My manager said "this rollout is [[sh*t]]" in the all-hands.', false],
    ['We [[guarantee]] zero defects, and we mean it.', false],
    ['Avoid "hype". We [[guarantee]] results.', false],
    ['Words like "cure" are banned.\n\nStill, "[[guaranteed results]]" is what we promise.', false],
    ['Words like "cure" and the rest: [[guaranteed]] results, "always".', false],
  ])("%s: a mention is %s", (text, mention) => {
    const { source, start, end } = marked(text);
    expect(quotedMention(source, start, end)).toBe(mention);
  });

  it("is skipped by accuracy and phrasing rules by default, and reported where a rule says so", async () => {
    const policy = await policyOf([
      { id: "phrasing-promise", category: "phrasing", kind: "terms", terms: ["guaranteed"] },
      { id: "accuracy-promise", category: "accuracy", kind: "terms", terms: ["guaranteed"], mentions: "report" },
      { id: "confidentiality-word", kind: "terms", terms: ["guaranteed"] },
    ]);
    const ids = (text: string) => scan(policy, text).map((f) => f.ruleId).sort();
    expect(ids('Style guide: avoid "guaranteed" in copy.')).toEqual(["accuracy-promise", "confidentiality-word"]);
    expect(ids("Returns are guaranteed.")).toEqual(["accuracy-promise", "confidentiality-word", "phrasing-promise"]);
  });
});
