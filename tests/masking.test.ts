/**
 * No report ever shows a secret or a personal datum in full. Canary values in a draft, found by
 * `sensitive: true` rules of a small inline pack, must not appear in any format, in the summary file,
 * nor inside the excerpt or message of a non-sensitive finding on the same line. Outputs are
 * un-escaped (Markdown backslashes, XML entities, percent-encoding) and also compared with separators
 * removed, so an escaped or reformatted canary still counts as shown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuleInput } from "./helpers/packs.js";
import { runMain, Workspace } from "./helpers/workspace.js";

const CANARIES = {
  email: "maria.lopez@gmail.com",
  phone: "+44 20 7946 0958",
  card: "4539 5788 9021 3470", // passes Luhn
  token: "ghp_R8x2Lq9ZtV4mN7pK1wY6sB3dF0hJ5cG2aE8u",
};

const RULES: RuleInput[] = [
  { id: "confidentiality-email", kind: "pattern", sensitive: true, pattern: "[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", message: "E-mail address {match}." },
  { id: "confidentiality-phone", kind: "pattern", sensitive: true, pattern: "\\+\\d{1,3}(?:[ -]?\\d{2,4}){3}", message: "Phone number {match}." },
  { id: "confidentiality-card", kind: "pattern", sensitive: true, pattern: "\\b\\d(?:[ -]?\\d){12,18}\\b", validate: ["luhn"], message: "Card number {match}." },
  { id: "confidentiality-token", kind: "pattern", sensitive: true, pattern: "\\bghp_[A-Za-z0-9]{36}\\b", message: "Token {match}." },
  // Not sensitive, on the same lines: their excerpts (and this match) hold the canaries.
  { id: "confidentiality-codename", kind: "terms", terms: ["Kestrel"], message: "Codename {match}." },
  { id: "phrasing-contact-line", kind: "pattern", pattern: "contact: [^\\n]+", severity: "info", message: "Contact line: {match}" },
];

const DRAFT = [
  "# Kestrel launch",
  "",
  `Kestrel team: mail ${CANARIES.email} or call ${CANARIES.phone} today.`,
  `Kestrel billing card ${CANARIES.card} and token ${CANARIES.token} here.`,
  `contact: ${CANARIES.email}, ${CANARIES.phone}`,
  "",
  "```sh",
  `export GITHUB_TOKEN=${CANARIES.token} # Kestrel`,
  "```",
  "",
].join("\n");

const FORMATS = ["pretty", "json", "sarif", "github", "junit", "markdown"] as const;

/** Undo the escapes formats use, so an escaped canary is still recognised. */
function unescape(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_m, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[name] as string)
    .replace(/%([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(.)/g, "$1");
}

const alnum = (text: string) => text.replace(/[^A-Za-z0-9]/g, "");

function expectNoCanary(output: string, where: string): void {
  const plain = unescape(output);
  for (const [name, canary] of Object.entries(CANARIES)) {
    expect(plain, `${where} shows the ${name}`).not.toContain(canary);
    expect(alnum(plain), `${where} shows the ${name} (separators removed)`).not.toContain(alnum(canary));
  }
}

describe("sensitive matches are masked in every report", () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = Workspace.withPack(RULES);
    ws.write("post.md", DRAFT);
  });
  afterAll(() => ws.remove());

  it("finds every canary (so the checks below are not vacuous)", async () => {
    const r = await runMain(["scan", "post.md", "--format", "json"], ws.dir);
    const ids = (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; masked: boolean }[] }).findings.map((f) => `${f.line} ${f.ruleId} ${f.masked}`);
    expect(ids).toEqual(expect.arrayContaining([
      "3 confidentiality-email true",
      "3 confidentiality-phone true",
      "4 confidentiality-card true",
      "4 confidentiality-token true",
      "3 confidentiality-codename false",
      "4 confidentiality-codename false",
      "5 phrasing-contact-line true",
      "8 confidentiality-token true",
      "8 confidentiality-codename false",
    ]));
  });

  it.each(FORMATS)("--format %s shows no canary in full", async (format) => {
    const r = await runMain(["scan", "post.md", "--format", format], ws.dir);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
    expectNoCanary(r.stdout, `--format ${format}`);
    expectNoCanary(r.stderr, `stderr of --format ${format}`);
  });

  it("--summary-file shows no canary in full", async () => {
    const r = await runMain(["scan", "post.md", "--format", "json", "--summary-file", "summary.md"], ws.dir);
    expect(r.code).toBe(1);
    const summary = ws.read("summary.md");
    expect(summary).toContain("confidentiality-email");
    expectNoCanary(summary, "--summary-file");
  });

  it("the built binary masks too (json and sarif to files)", () => {
    const r = ws.run(["scan", "post.md", "--format", "sarif", "--output-file", "report.sarif", "--summary-file", "summary2.md"]);
    expect(r.status).toBe(1);
    expectNoCanary(ws.read("report.sarif"), "the binary's SARIF file");
    expectNoCanary(ws.read("summary2.md"), "the binary's summary file");
  });

  it("a non-sensitive finding's excerpt masks the canaries on its line but keeps its own text", async () => {
    const r = await runMain(["scan", "post.md", "--format", "json"], ws.dir);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; excerpt: string; match: string }[] }).findings;
    const codename = findings.find((f) => f.ruleId === "confidentiality-codename" && f.line === 3);
    expect(codename?.match).toBe("Kestrel");
    expect(codename?.excerpt.startsWith("Kestrel team: mail ")).toBe(true);
    expect(codename?.excerpt.length).toBe(DRAFT.split("\n")[2]?.length);
    expectNoCanary(codename?.excerpt ?? "", "a non-sensitive excerpt");
  });
});
