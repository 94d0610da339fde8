/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
 * GitHub shows at most 10 annotations of each level per step, which is why the CLI also writes
 * `summaryMarkdown` to `$GITHUB_STEP_SUMMARY`.
 */
import type { Finding, FileError, Formatter, Severity } from "../types.js";
import { escapeGithubData, escapeGithubProperty } from "./escape.js";

const COMMANDS: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

function command(name: string, properties: [string, string | number][], message: string): string {
  const props = properties.map(([key, value]) => `${key}=${escapeGithubProperty(String(value))}`).join(",");
  return `::${name} ${props}::${escapeGithubData(message)}`;
}

function annotation(finding: Finding): string {
  // GitHub rejects columns on an annotation that spans several lines.
  const oneLine = finding.line === finding.endLine;
  const properties: [string, string | number][] = [
    ["file", finding.file],
    ["line", finding.line],
    ...(oneLine ? [["col", finding.column] as [string, number]] : []),
    ["endLine", finding.endLine],
    ...(oneLine ? [["endColumn", finding.endColumn] as [string, number]] : []),
    ["title", `${finding.ruleId} (${finding.category})`],
  ];
  const message = [finding.message, finding.remedy, finding.link].filter((part) => part).join("\n");
  return command(COMMANDS[finding.severity], properties, message);
}

function fileErrorAnnotation(error: FileError): string {
  const properties: [string, string | number][] = [["file", error.file]];
  if (error.line >= 1) properties.push(["line", error.line]);
  if (error.line >= 1 && error.column >= 1) properties.push(["col", error.column]);
  properties.push(["title", "draftguard could not scan this file"]);
  return command("error", properties, error.message);
}

export const formatGithub: Formatter = (report) => {
  const lines = [...report.findings.map(annotation), ...report.fileErrors.map(fileErrorAnnotation)];
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
};
