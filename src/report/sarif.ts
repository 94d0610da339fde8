/**
 * SARIF 2.1.0 (OASIS), as GitHub code scanning, Azure DevOps and IDE viewers read it. One run, the
 * active rules as reportingDescriptors, one result per finding, file errors as tool execution
 * notifications. Object literals are built in the order they are printed, so output is stable.
 */
import { pathToFileURL } from "node:url";
import type { FileError, Finding, FormatOptions, Formatter, Report, RuleMeta, Severity } from "../types.js";
import { escapeMarkdownText } from "./escape.js";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** Where a SARIF viewer sends users who ask "what is draftguard?". */
export const DRAFTGUARD_INFORMATION_URI = "https://github.com/draftguard/draftguard";
/** Key of the partial fingerprint; bump the version if what `Finding.fingerprint` hashes ever changes. */
export const FINGERPRINT_KEY = "draftguardMatch/v1";
const SRCROOT = "%SRCROOT%";

type SarifLevel = "error" | "warning" | "note";
const LEVELS: Record<Severity, SarifLevel> = { error: "error", warning: "warning", info: "note" };

/** `confidentiality/internal-codename` -> `ConfidentialityInternalCodename`: SARIF's readable rule name. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

function helpMarkdown(rule: RuleMeta): string {
  const parts = [escapeMarkdownText(rule.remedy), `**Why:** ${escapeMarkdownText(rule.rationale)}`];
  if (rule.link) parts.push(`Policy: <${rule.link}>`);
  return parts.join("\n\n");
}

function reportingDescriptor(rule: RuleMeta) {
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remedy, markdown: helpMarkdown(rule) },
    ...(rule.link ? { helpUri: rule.link } : {}),
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: { category: rule.category, tags: [rule.category] },
  };
}

const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

/**
 * A relative POSIX path becomes a percent-encoded relative URI resolved against %SRCROOT%; a path
 * outside the working tree that the core left absolute becomes a file URL of its own.
 */
function artifactLocation(file: string) {
  if (ABSOLUTE_PATH.test(file)) return { uri: pathToFileURL(file).href };
  const uri = file.split("/").map(encodeURIComponent).join("/");
  return { uri, uriBaseId: SRCROOT };
}

function srcrootUri(cwd: string): string {
  const href = pathToFileURL(cwd).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/**
 * The masked excerpt of a one-line finding, as a context region from where the excerpt starts to the
 * end of the line. It is not `region.snippet`: SARIF defines that as the exact text of the region, which
 * a masked excerpt is not; and a context region must enclose the region, which the first line does
 * only when the finding does not go on past it.
 */
function contextRegion(finding: Finding) {
  // `excerptColumn` is new in the core; 1 (the whole line) until every Finding carries it.
  const from = (finding as Finding & { excerptColumn?: number }).excerptColumn ?? 1;
  if (finding.line !== finding.endLine || finding.excerpt === "" || from > finding.column) return {};
  return {
    contextRegion: {
      startLine: finding.line,
      ...(from > 1 ? { startColumn: from } : {}),
      endLine: finding.line,
      snippet: { text: finding.excerpt },
    },
  };
}

function resultLocation(finding: Finding) {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(finding.file),
      region: {
        startLine: finding.line,
        startColumn: finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
      },
      ...contextRegion(finding),
    },
  };
}

function result(finding: Finding, ruleIndex: Map<string, number>) {
  const index = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [resultLocation(finding)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: { category: finding.category },
  };
}

function fileErrorNotification(error: FileError) {
  const region = error.line >= 1 ? { region: { startLine: error.line, ...(error.column >= 1 ? { startColumn: error.column } : {}) } } : {};
  return {
    level: "error" as const,
    message: { text: error.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.file), ...region } }],
  };
}

export function sarifLog(report: Report, options: FormatOptions) {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0" as const,
    runs: [
      {
        tool: {
          driver: {
            name: "draftguard",
            version: options.toolVersion,
            informationUri: DRAFTGUARD_INFORMATION_URI,
            rules: report.rules.map(reportingDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: report.fileErrors.length === 0,
            toolExecutionNotifications: report.fileErrors.map(fileErrorNotification),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: srcrootUri(options.cwd) } },
        columnKind: "utf16CodeUnits" as const,
        results: report.findings.map((finding) => result(finding, ruleIndex)),
      },
    ],
  };
}

export const formatSarif: Formatter = (report, options) => `${JSON.stringify(sarifLog(report, options), null, 2)}\n`;
