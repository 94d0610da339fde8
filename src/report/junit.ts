/**
 * JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines, CircleCI): one
 * test case per scanned file, a `<failure>` per error or warning, an `<error>` per file that could not
 * be scanned. Info findings do not fail a file; they are listed in its `<system-out>`.
 */
import type { FileError, Finding, Formatter, Report } from "../types.js";
import { escapeXmlAttribute, escapeXmlText } from "./escape.js";

interface FileCase {
  file: string;
  failures: Finding[];
  infos: Finding[];
  errors: FileError[];
}

/** Every scanned file: `report.files` once the core provides it, else the files the report names. */
function scannedFiles(report: Report): string[] {
  const listed = (report as Report & { files?: string[] }).files ?? [];
  const files = new Set([...listed, ...report.findings.map((f) => f.file), ...report.fileErrors.map((e) => e.file)]);
  // Code-unit order, not localeCompare: the same on every machine.
  return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function fileCases(report: Report): FileCase[] {
  const cases = new Map<string, FileCase>(scannedFiles(report).map((file) => [file, { file, failures: [], infos: [], errors: [] }]));
  for (const finding of report.findings) {
    const entry = cases.get(finding.file)!;
    (finding.severity === "info" ? entry.infos : entry.failures).push(finding);
  }
  for (const error of report.fileErrors) cases.get(error.file)!.errors.push(error);
  return [...cases.values()];
}

function findingText(finding: Finding): string {
  const lines = [
    `${finding.file}:${finding.line}:${finding.column} ${finding.severity} ${finding.ruleId} (${finding.category})`,
    finding.message,
    `Remedy: ${finding.remedy}`,
  ];
  if (finding.excerpt) lines.push(`Excerpt: ${finding.excerpt}`);
  if (finding.link) lines.push(`Policy: ${finding.link}`);
  return lines.join("\n");
}

function testCase(entry: FileCase): string {
  const open = `    <testcase classname="draftguard" name="${escapeXmlAttribute(entry.file)}" file="${escapeXmlAttribute(entry.file)}" time="0"`;
  const children = [
    ...entry.failures.map(
      (f) =>
        `      <failure message="${escapeXmlAttribute(`${f.ruleId}: ${f.message}`)}" type="${escapeXmlAttribute(f.severity)}">${escapeXmlText(findingText(f))}</failure>`,
    ),
    ...entry.errors.map(
      (e) => `      <error message="${escapeXmlAttribute(e.message)}" type="file-error">${escapeXmlText(`${e.file}:${e.line}:${e.column} ${e.message}`)}</error>`,
    ),
  ];
  if (entry.infos.length > 0) {
    children.push(`      <system-out>${escapeXmlText(entry.infos.map(findingText).join("\n\n"))}</system-out>`);
  }
  return children.length === 0 ? `${open}/>` : [`${open}>`, ...children, "    </testcase>"].join("\n");
}

export const formatJunit: Formatter = (report) => {
  const cases = fileCases(report);
  // JUnit counts test cases, and a case is either in error or failed: a file that could not be read is
  // an error even when part of it was scanned.
  const errors = cases.filter((c) => c.errors.length > 0).length;
  const failures = cases.filter((c) => c.errors.length === 0 && c.failures.length > 0).length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="draftguard" ${counts} time="0">`,
    `  <testsuite name="draftguard" ${counts} skipped="0" time="0">`,
    ...cases.map(testCase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
};
