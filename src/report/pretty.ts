/**
 * `--format pretty`: grouped by file; each finding with line:col, severity, message and rule id,
 * the source line with the span underlined; then a summary by category and severity.
 */
import type { ChalkInstance } from "chalk";
import { CATEGORIES, type Finding, type Formatter, type Severity } from "../types.js";

type Paint = (text: string) => string;
const plain: Paint = (text) => text;
const PLAIN = { red: plain, yellow: plain, blue: plain, green: plain, dim: plain, bold: plain, underline: plain };

export const formatPretty: Formatter = (report, options) => {
  const c: Pick<ChalkInstance, keyof typeof PLAIN> | typeof PLAIN = options.color && options.chalk ? options.chalk : PLAIN;
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, findings] of byFile) {
    out.push(c.underline(file));
    for (const f of findings) {
      const where = `${f.line}:${f.column}`.padEnd(7);
      out.push(`  ${c.dim(where)} ${paint[f.severity](f.severity.padEnd(7))} ${f.message}  ${c.dim(f.ruleId)}`);
      const text = f.excerpt.replace(/\t/g, " ");
      const from = f.column - f.excerptColumn;
      const width = f.endLine === f.line ? Math.max(1, f.endColumn - f.column) : Math.max(1, text.length - from);
      if (text.trim() !== "" && from >= 0 && from <= text.length) {
        out.push(`  ${c.dim("│")} ${text}`);
        out.push(`  ${c.dim("│")} ${" ".repeat(from)}${paint[f.severity]("^".repeat(Math.min(width, Math.max(1, text.length - from))))}`);
      }
      out.push(`  ${c.dim("│")} ${c.dim(`fix: ${f.remedy}`)}`);
    }
    out.push("");
  }
  for (const e of report.fileErrors) out.push(`${c.red("error")} ${e.file}:${e.line}:${e.column}: ${e.message}`);
  if (report.fileErrors.length > 0) out.push("");
  const s = report.summary;
  const total = report.findings.length;
  if (total === 0 && s.fileErrors > 0) {
    out.push(c.red(`✖ ${s.fileErrors} file${s.fileErrors === 1 ? "" : "s"} could not be scanned; no problems in the others.`));
  } else if (total === 0) {
    out.push(c.green(`✔ No problems in ${s.files} file${s.files === 1 ? "" : "s"}.`));
  } else {
    const cats = CATEGORIES.filter((k) => s.byCategory[k] > 0).map((k) => `${s.byCategory[k]} ${k}`).join(", ");
    out.push(
      c.bold(`✖ ${total} problem${total === 1 ? "" : "s"} (${s.errors} error${s.errors === 1 ? "" : "s"}, ${s.warnings} warning${s.warnings === 1 ? "" : "s"}, ${s.infos} info) in ${s.filesWithFindings} of ${s.files} file${s.files === 1 ? "" : "s"}`),
    );
    out.push(`  by category: ${cats}`);
    if (s.fileErrors > 0) out.push(c.red(`  ${s.fileErrors} file${s.fileErrors === 1 ? "" : "s"} could not be scanned`));
  }
  return `${out.join("\n")}\n`;
};
