/** `--format json`: the public contract (version 1), documented in the README. */
import type { Formatter, Report } from "../types.js";

export const formatJson: Formatter = (report) => [...jsonChunks(report)].join("");

/**
 * Findings per chunk: a chunk is some 70 KB of text. V8 keeps a string over about 128 KB in its
 * large-object space, which only a full collection frees; chunks of 256 findings (280 KB) piled
 * up there while a 200 MB scan's 30,000 findings were written, and took its peak from 250 to 372 MB.
 */
const CHUNK = 64;

/**
 * The JSON report in pieces, byte for byte what one `JSON.stringify(…, null, 2)` gives, so the
 * CLI can write a report of tens of thousands of findings without holding it all as one string
 * (a 200 MB corpus gives about 30 MB of JSON, and writing it needed that twice over).
 */
export function* jsonChunks(report: Report): Generator<string> {
  const rest = { version: report.version, findings: [], fileErrors: report.fileErrors, summary: report.summary };
  const whole = `${JSON.stringify(rest, null, 2)}\n`;
  if (report.findings.length === 0) {
    yield whole;
    return;
  }
  // The first `"findings": []` is the top-level key (it follows "version"; quotes inside strings are escaped).
  const at = whole.indexOf('"findings": []');
  yield `${whole.slice(0, at)}"findings": [\n`;
  for (let i = 0; i < report.findings.length; i += CHUNK) {
    const items = report.findings.slice(i, i + CHUNK).map((f) => `    ${JSON.stringify(f, null, 2).replace(/\n/g, "\n    ")}`);
    yield `${items.join(",\n")}${i + CHUNK < report.findings.length ? ",\n" : "\n"}`;
  }
  yield `  ]${whole.slice(at + '"findings": []'.length)}`;
}
