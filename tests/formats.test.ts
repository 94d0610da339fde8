/**
 * The CI report formats over hand-built reports: whole-output goldens, escaping edge cases, and SARIF
 * validated against the OASIS SARIF 2.1.0 schema. `UPDATE_GOLDEN=1 npx vitest run tests/formats.test.ts`
 * rewrites the goldens; review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { summarize } from "../src/engine/report.js";
import { escapeGithubData, escapeGithubProperty, escapeMarkdownText, escapeXmlAttribute, escapeXmlText } from "../src/report/escape.js";
import { formatGithub } from "../src/report/github.js";
import { formatJson, jsonChunks } from "../src/report/json.js";
import { formatJunit } from "../src/report/junit.js";
import { COMMENT_MARKER, formatMarkdown, summaryMarkdown } from "../src/report/markdown.js";
import { FINGERPRINT_KEY, formatSarif, sarifLog } from "../src/report/sarif.js";
import type { Finding, FormatOptions, Formatter, Report, RuleMeta } from "../src/types.js";

const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, "golden", "formats");
const options: FormatOptions = { color: false, cwd: "/home/writer/blog", toolVersion: "1.2.3" };

// ---------------------------------------------------------------------------------------------
// Fixtures

const rules: RuleMeta[] = [
  {
    id: "accuracy/unsourced-stat",
    category: "accuracy",
    severity: "warning",
    description: "Statistics need a source.",
    rationale: "Numbers without a source read as made up, and get quoted anyway.",
    remedy: "Link the study, or say where the figure comes from.",
  },
  {
    id: "confidentiality/codename",
    category: "confidentiality",
    severity: "error",
    description: "Internal codenames must not be published.",
    rationale: "Codenames reveal unannounced products.",
    remedy: "Use the public product name, or remove the mention.",
    link: "https://example.com/policy#codenames",
  },
  {
    id: "confidentiality/secret",
    category: "confidentiality",
    severity: "error",
    description: "Credentials must never appear in a post.",
    rationale: "A published key is a leaked key: rotate it.",
    remedy: "Remove the key and rotate it.",
    link: "https://example.com/policy#secrets",
  },
  {
    id: "phrasing/hedge",
    category: "phrasing",
    severity: "info",
    description: "Hedging weakens a claim.",
    rationale: "Readers trust direct sentences.",
    remedy: "Say it plainly.",
  },
];

function finding(base: Partial<Finding> & Pick<Finding, "file" | "line" | "column" | "ruleId">): Finding {
  const rule = rules.find((r) => r.id === base.ruleId)!;
  return {
    endLine: base.line,
    endColumn: base.column + 4,
    category: rule.category,
    severity: rule.severity,
    message: rule.description,
    description: rule.description,
    rationale: rule.rationale,
    remedy: rule.remedy,
    ...(rule.link ? { link: rule.link } : {}),
    match: "text",
    masked: false,
    excerpt: "some text here",
    excerptColumn: 1,
    fingerprint: `fp-${base.ruleId}-${base.line}`,
    ...base,
  };
}

/** Findings whose text exercises every escaping rule of every format. */
const findings: Finding[] = [
  finding({
    file: "drafts/2024 launch#1.md",
    line: 3,
    column: 12,
    endColumn: 19,
    ruleId: "confidentiality/codename",
    message: 'Codename "Bluejay" | `internal` <b>&</b> 100% sure: a, b',
    match: "Bluejay",
    excerpt: 'We shipped "Bluejay" | `internal` <b>&</b>',
    fingerprint: "5f2c0c2a9d8e41b7",
  }),
  finding({
    file: "drafts/2024 launch#1.md",
    line: 7,
    column: 1,
    endColumn: 25,
    ruleId: "confidentiality/secret",
    message: "Secret key sk_live_****************\r\nfound (masked)",
    match: "sk_live_****************",
    masked: true,
    excerpt: "key: sk_live_**************** \u0007bell\u0000nul",
    excerptColumn: 1,
    fingerprint: "a1b2c3d4e5f60718",
  }),
  finding({
    file: "drafts/2024 launch#1.md",
    line: 9,
    column: 5,
    endLine: 11,
    endColumn: 3,
    ruleId: "accuracy/unsourced-stat",
    message: "Unsourced statistic: 73% of readers…",
    excerpt: "Our survey says 73% of readers 😀 prefer",
    fingerprint: "0123456789abcdef",
  }),
  finding({
    file: "notes/a,b:c.txt",
    line: 2,
    column: 40,
    endColumn: 47,
    ruleId: "phrasing/hedge",
    message: "Hedge *maybe* [sort of] ~kinda~ \\ end",
    excerpt: "… and it is maybe sort of the best",
    excerptColumn: 30,
    fingerprint: "fedcba9876543210",
  }),
];

function makeReport(list: Finding[], files: string[], fileErrors: Report["fileErrors"] = []): Report {
  return { version: 1, findings: list, fileErrors, summary: summarize(files, list, fileErrors), rules, files };
}

const fileErrors: Report["fileErrors"] = [{ file: "drafts/broken.md", line: 4, column: 2, message: "Front matter is not valid YAML: bad indentation, line 4" }];
const scanned = ["drafts/2024 launch#1.md", "drafts/broken.md", "drafts/clean.md", "notes/a,b:c.txt"];

const reports: Record<string, Report> = {
  mixed: makeReport(findings, scanned, fileErrors),
  clean: makeReport([], ["drafts/clean.md", "drafts/other.md"]),
};

const formats: Record<string, { format: Formatter; extension: string }> = {
  sarif: { format: formatSarif, extension: "sarif.json" },
  github: { format: formatGithub, extension: "github.txt" },
  junit: { format: formatJunit, extension: "junit.xml" },
  markdown: { format: formatMarkdown, extension: "comment.md" },
  summary: { format: (report) => summaryMarkdown(report), extension: "summary.md" },
};

// ---------------------------------------------------------------------------------------------
// Goldens

function expectGolden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden ${path}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden output", () => {
  for (const [reportName, report] of Object.entries(reports)) {
    for (const [formatName, { format, extension }] of Object.entries(formats)) {
      it(`${formatName} of the ${reportName} report`, () => {
        const output = format(report, options);
        expect(format(structuredClone(report), options)).toBe(output);
        expectGolden(`${reportName}.${extension}`, output);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// SARIF

function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(here, "schemas", "sarif-schema-2.1.0.json"), "utf8")) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv ships no format validators; these follow RFC 3986 closely enough to catch an unencoded path.
  const uriChars = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
  ajv.addFormat("uri", (value: string) => uriChars.test(value) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && URL.canParse(value));
  ajv.addFormat("uri-reference", (value: string) => uriChars.test(value) && URL.canParse(value, "file:///base/"));
  ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)));
  return ajv.compile(schema);
}

type SarifLog = ReturnType<typeof sarifLog>;

describe("json", () => {
  const whole = (report: Report) => `${JSON.stringify({ version: report.version, findings: report.findings, fileErrors: report.fileErrors, summary: report.summary }, null, 2)}\n`;

  it("writes in pieces exactly what one JSON.stringify gives, for reports large and small", () => {
    // Enough findings for several pieces, with text that needs escaping.
    const many = Array.from({ length: 600 }, (_, i) => ({ ...(findings[i % findings.length] as Finding), line: i + 1 }));
    for (const report of [reports.mixed as Report, reports.clean as Report, makeReport(many, scanned, fileErrors)]) {
      const chunks = [...jsonChunks(report)];
      expect(chunks.join("")).toBe(whole(report));
      expect(formatJson(report, options)).toBe(whole(report));
      if (report.findings.length > 256) expect(chunks.length).toBeGreaterThan(3);
    }
  });
});

describe("sarif", () => {
  const validate = sarifValidator();

  for (const [name, report] of Object.entries(reports)) {
    it(`validates against the SARIF 2.1.0 schema (${name} report)`, () => {
      const log = JSON.parse(formatSarif(report, options)) as unknown;
      expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    });
  }

  it("the schema check is not vacuous: it rejects a result without a message and an unencoded URI", () => {
    const log = JSON.parse(formatSarif(reports.mixed!, options)) as SarifLog;
    const broken = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]!.results[0]!.message;
    expect(validate(broken)).toBe(false);
    const unencoded = structuredClone(log);
    unencoded.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = "drafts/2024 launch#1.md";
    expect(validate(unencoded)).toBe(false);
  });

  it("describes every rule and points each result at its rule", () => {
    const run = sarifLog(reports.mixed!, options).runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    expect(run.tool.driver.version).toBe("1.2.3");
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex!]!.id).toBe(result.ruleId);
    }
    const codename = run.tool.driver.rules[1]!;
    expect(codename).toMatchObject({
      name: "ConfidentialityCodename",
      shortDescription: { text: rules[1]!.description },
      fullDescription: { text: rules[1]!.rationale },
      help: { text: rules[1]!.remedy },
      helpUri: rules[1]!.link,
      defaultConfiguration: { level: "error" },
      properties: { category: "confidentiality", tags: ["confidentiality"] },
    });
    expect(run.tool.driver.rules[3]!.defaultConfiguration.level).toBe("note");
    expect(run.tool.driver.rules[0]).not.toHaveProperty("helpUri");
  });

  it("uses relative, percent-encoded URIs under %SRCROOT%, which is the working directory's file URL", () => {
    const run = sarifLog(reports.mixed!, options).runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///home/writer/blog/" } });
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: "drafts/2024%20launch%231.md", uriBaseId: "%SRCROOT%" });
    const withSlash = sarifLog(reports.mixed!, { ...options, cwd: "/home/writer/blog/" }).runs[0]!;
    expect(withSlash.originalUriBaseIds["%SRCROOT%"].uri).toBe("file:///home/writer/blog/");
  });

  it("keeps partial fingerprints when unrelated lines move, and puts no line number in them", () => {
    const moved = findings.map((f) => ({ ...f, line: f.line + 12, endLine: f.endLine + 12 }));
    const before = sarifLog(reports.mixed!, options).runs[0]!.results.map((r) => r.partialFingerprints);
    const after = sarifLog(makeReport(moved, scanned, fileErrors), options).runs[0]!.results.map((r) => r.partialFingerprints);
    expect(after).toEqual(before);
    expect(before[0]).toEqual({ [FINGERPRINT_KEY]: "5f2c0c2a9d8e41b7" });
  });

  it("shows only the masked excerpt, as context of a one-line finding", () => {
    const results = sarifLog(reports.mixed!, options).runs[0]!.results;
    const secret = results[1]!.locations[0]!.physicalLocation;
    expect(secret.region).toEqual({ startLine: 7, startColumn: 1, endLine: 7, endColumn: 25 });
    expect(secret).toHaveProperty("contextRegion.snippet.text", findings[1]!.excerpt);
    expect(results[2]!.locations[0]!.physicalLocation).not.toHaveProperty("contextRegion");
    expect(results[3]!.locations[0]!.physicalLocation).toHaveProperty("contextRegion.startColumn", 30);
    expect(JSON.stringify(results)).not.toContain('"snippet":{"text":"sk_live');
  });

  it("marks the run unsuccessful and reports each file error as a notification", () => {
    const invocation = sarifLog(reports.mixed!, options).runs[0]!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: "error",
        message: { text: fileErrors[0]!.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: "drafts/broken.md", uriBaseId: "%SRCROOT%" }, region: { startLine: 4, startColumn: 2 } } }],
      },
    ]);
    expect(sarifLog(reports.clean!, options).runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
  });

  it("gives a file the core left absolute its own file URL", () => {
    const outside = makeReport([{ ...findings[0]!, file: "/tmp/elsewhere/post.md" }], ["/tmp/elsewhere/post.md"]);
    const location = sarifLog(outside, options).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(location).toEqual({ uri: "file:///tmp/elsewhere/post.md" });
    expect(validate(JSON.parse(formatSarif(outside, options)))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

describe("github", () => {
  const lines = formatGithub(reports.mixed!, options).trimEnd().split("\n");

  it("writes one command per finding and file error, at the right level", () => {
    expect(lines).toHaveLength(findings.length + fileErrors.length);
    expect(lines.map((l) => l.slice(0, l.indexOf(" ")))).toEqual(["::error", "::error", "::warning", "::notice", "::error"]);
  });

  it("escapes data and properties as GitHub does", () => {
    expect(escapeGithubData("100%\r\nnext")).toBe("100%25%0D%0Anext");
    expect(escapeGithubProperty("a,b:c%\n")).toBe("a%2Cb%3Ac%25%0A");
    expect(lines[3]).toMatch(/^::notice file=notes\/a%2Cb%3Ac\.txt,line=2,col=40,endLine=2,endColumn=47,title=phrasing\/hedge \(phrasing\)::/);
    // Every command is one line whose message cannot end the command early.
    for (const line of lines) expect(line.match(/::/g)!.length).toBe(2);
    expect(lines[1]).toContain("::Secret key sk_live_****************%0D%0Afound (masked)%0ARemove the key and rotate it.%0Ahttps://example.com/policy#secrets");
  });

  it("leaves out columns on an annotation that spans several lines", () => {
    expect(lines[2]).toMatch(/^::warning file=drafts\/2024 launch#1\.md,line=9,endLine=11,title=/);
  });

  it("prints nothing for a clean report", () => {
    expect(formatGithub(reports.clean!, options)).toBe("");
  });
});

// ---------------------------------------------------------------------------------------------
// JUnit

/** A stand-in for an XML parser: well-formed enough that a CI system will read the file. */
function expectWellFormedXml(xml: string): void {
  // eslint-disable-next-line no-control-regex -- looking for the characters XML forbids
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  expect(xml).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/);
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([A-Za-z][\w-]*)(?:\s+[\w-]+="[^"<]*")*\s*(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  // Markup outside the tags matched above would be a stray `<`.
  expect(xml.replace(/<\?xml[^>]*\?>/, "").replace(/<(\/?)([A-Za-z][\w-]*)(?:\s+[\w-]+="[^"<]*")*\s*(\/?)>/g, "")).not.toContain("<");
}

describe("junit", () => {
  const xml = formatJunit(reports.mixed!, options);

  it("has one test case per scanned file, clean files included", () => {
    expect([...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(scanned);
    expect(xml).toContain('<testcase classname="draftguard" name="drafts/clean.md" file="drafts/clean.md" time="0"/>');
    expect(xml).toMatch(/<testsuite name="draftguard" tests="4" failures="1" errors="1" skipped="0"/);
  });

  it("fails a file per error or warning; infos go to system-out; file errors are errors", () => {
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml).toMatch(/<system-out>notes\/a,b:c\.txt:2:40 info phrasing\/hedge/);
    expect(xml).toMatch(/<error message="Front matter is not valid YAML: bad indentation, line 4" type="file-error">/);
  });

  it("escapes markup and replaces characters XML 1.0 forbids", () => {
    expectWellFormedXml(xml);
    expect(escapeXmlText('<a & "b">')).toBe('&lt;a &amp; "b"&gt;');
    expect(escapeXmlAttribute("x\"'\t\r\n<")).toBe("x&quot;&apos;&#9;&#13;&#10;&lt;");
    expect(escapeXmlText("bell\u0007 nul\u0000 ff\u000C \uFFFF")).toBe("bell\\u0007 nul\\u0000 ff\\u000C \\uFFFF");
    expect(escapeXmlText("ok 😀 lone \uD83D end \uDE00")).toBe("ok 😀 lone \\uD83D end \\uDE00");
    expect(xml).toContain("\\u0007bell\\u0000nul");
  });

  it("lists the files the report names when the core gives no file list", () => {
    const { files: _files, ...withoutFiles } = reports.mixed!;
    const names = [...formatJunit(withoutFiles as Report, options).matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(["drafts/2024 launch#1.md", "drafts/broken.md", "notes/a,b:c.txt"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Markdown

function tableRows(markdown: string): string[] {
  return markdown.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| ---") && !line.startsWith("| Location") && !line.startsWith("| Category"));
}

/** Cells of a GFM table row, splitting on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((cell) => cell.trim());
}

describe("markdown", () => {
  it("escapes pipes, backticks and other markup so each finding stays one row of four cells", () => {
    const summary = summaryMarkdown(reports.mixed!);
    const findingRows = tableRows(summary).filter((row) => cells(row).length === 4);
    expect(findingRows).toHaveLength(findings.length);
    expect(findingRows[0]).toContain('Codename "Bluejay" \\| \\`internal\\` \\<b\\>\\&\\</b\\> 100% sure: a, b');
    expect(findingRows[1]).toContain("sk\\_live\\_\\*\\*\\*\\*");
    expect(findingRows[1]).toContain("<br>found (masked)");
    expect(escapeMarkdownText("a|b`c\\d\ne")).toBe("a\\|b\\`c\\\\d<br>e");
    expect(escapeMarkdownText("*x* _y_ [z](u) ~s~")).toBe("\\*x\\* \\_y\\_ \\[z\\](u) \\~s\\~");
  });

  it("counts findings by category and severity", () => {
    const summary = summaryMarkdown(reports.mixed!);
    expect(summary).toContain("| confidentiality | 2 | 0 | 0 | 2 |");
    expect(summary).toContain("| accuracy | 0 | 1 | 0 | 1 |");
    expect(summary).toContain("| phrasing | 0 | 0 | 1 | 1 |");
    expect(summary).toContain("**4 problems** (2 errors, 1 warning, 1 info) in 2 of 4 files scanned. 1 file could not be scanned.");
  });

  it("never cuts the step summary, and keeps the pull-request comment under GitHub's size limit", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({ file: `drafts/post-${String(i).padStart(4, "0")}.md`, line: i + 1, column: 1, ruleId: "accuracy/unsourced-stat", message: "Unsourced statistic ".repeat(3) }),
    );
    const big = makeReport(many, many.map((f) => f.file));
    const summary = summaryMarkdown(big);
    expect(tableRows(summary).filter((row) => cells(row).length === 4)).toHaveLength(3000);
    expect(summary).toContain("drafts/post-2999.md:3000:1");
    const comment = formatMarkdown(big, options);
    expect(comment.length).toBeLessThan(65_536);
    expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
    const shown = tableRows(comment).filter((row) => cells(row).length === 4).length;
    expect(shown).toBeGreaterThan(100);
    expect(comment).toContain(`_${3000 - shown} more findings are not shown here; the job summary lists them all._`);
  });

  it("says so plainly when there is nothing to report", () => {
    expect(summaryMarkdown(reports.clean!)).toBe("## draftguard\n\nNo problems found (2 files scanned).\n");
  });
});
