/**
 * Markdown for people reading CI results: `formatMarkdown` is a pull-request comment (kept under
 * GitHub's comment size limit), `summaryMarkdown` is the complete table the CLI writes to
 * `$GITHUB_STEP_SUMMARY`, where nothing may be cut.
 */
import { CATEGORIES, SEVERITIES, type Finding, type Formatter, type Report } from "../types.js";
import { escapeMarkdownText } from "./escape.js";

/** Lets a CI job find and update its earlier comment instead of posting a new one each push. */
export const COMMENT_MARKER = "<!-- draftguard-report -->";
/** GitHub refuses comments over 65,536 characters; the rest of the comment needs some room. */
const COMMENT_TABLE_BUDGET = 60_000;

const SEVERITY_LABELS = { error: "Errors", warning: "Warnings", info: "Infos" } as const;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

function summaryLine(report: Report): string {
  const { summary } = report;
  const total = summary.errors + summary.warnings + summary.infos;
  const scanned = `${plural(summary.files, "file", "files")} scanned`;
  const problems =
    total === 0
      ? `No problems found (${scanned}).`
      : `**${plural(total, "problem", "problems")}** (${plural(summary.errors, "error", "errors")}, ` +
        `${plural(summary.warnings, "warning", "warnings")}, ${plural(summary.infos, "info", "infos")}) ` +
        `in ${summary.filesWithFindings} of ${scanned}.`;
  const unreadable = summary.fileErrors > 0 ? ` ${plural(summary.fileErrors, "file", "files")} could not be scanned.` : "";
  return problems + unreadable;
}

/** Findings by category and severity, counted from the findings so the rows add up to the table below. */
function countsTable(findings: Finding[]): string[] {
  const header = ["Category", ...SEVERITIES.map((s) => SEVERITY_LABELS[s]), "Total"];
  const lines = [row(header), row(header.map((_, i) => (i === 0 ? "---" : "---:")))];
  for (const category of CATEGORIES) {
    const inCategory = findings.filter((f) => f.category === category);
    const bySeverity = SEVERITIES.map((severity) => inCategory.filter((f) => f.severity === severity).length);
    lines.push(row([category, ...bySeverity, inCategory.length]));
  }
  return lines;
}

function findingRow(finding: Finding): string {
  const location = `${finding.file}:${finding.line}:${finding.column}`;
  return row([escapeMarkdownText(location), finding.severity, escapeMarkdownText(finding.ruleId), escapeMarkdownText(finding.message)]);
}

const FINDINGS_HEADER = [row(["Location", "Severity", "Rule", "Message"]), row(["---", "---", "---", "---"])];

function fileErrorsSection(report: Report): string[] {
  if (report.fileErrors.length === 0) return [];
  return [
    "",
    "### Files that could not be scanned",
    "",
    row(["Location", "Problem"]),
    row(["---", "---"]),
    ...report.fileErrors.map((e) => row([escapeMarkdownText(`${e.file}:${e.line}:${e.column}`), escapeMarkdownText(e.message)])),
  ];
}

/**
 * The whole document; `budget` caps the characters spent on finding rows, and the rows past it are
 * counted in a closing note instead of shown.
 */
function document(report: Report, heading: string, budget: number): string {
  const lines = [heading, "", summaryLine(report)];
  if (report.findings.length > 0) {
    lines.push("", ...countsTable(report.findings), "", "### Findings", "", ...FINDINGS_HEADER);
    let spent = 0;
    let shown = 0;
    for (const finding of report.findings) {
      const line = findingRow(finding);
      spent += line.length + 1;
      if (spent > budget) break;
      lines.push(line);
      shown += 1;
    }
    const hidden = report.findings.length - shown;
    if (hidden > 0) {
      lines.push("", `_${plural(hidden, "more finding is", "more findings are")} not shown here; the job summary lists them all._`);
    }
  }
  lines.push(...fileErrorsSection(report));
  return `${lines.join("\n")}\n`;
}

export const formatMarkdown: Formatter = (report) => `${COMMENT_MARKER}\n${document(report, "## draftguard report", COMMENT_TABLE_BUDGET)}`;

/** The `--summary-file` table: every finding, however many, for `$GITHUB_STEP_SUMMARY`. */
export function summaryMarkdown(report: Report): string {
  return document(report, "## draftguard", Number.POSITIVE_INFINITY);
}
