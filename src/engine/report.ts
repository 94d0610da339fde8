/** Findings of many files to one deterministic report. */
import { CATEGORIES, type Category, type FileError, type Finding, type Report, type RuleMeta, type Severity, type Summary } from "../types.js";
import { activeRules } from "../policy/load.js";
import type { Policy, RuleSpec } from "../policy/rule.js";
import { compareFindings } from "./scan.js";

/** The rules a report describes: a compiled policy's, or specs with the configured severities. */
export function ruleMeta(policy: Policy | { specs: RuleSpec[]; severities: Record<string, Severity | "off"> }): RuleMeta[] {
  const meta = (r: Pick<RuleSpec, "id" | "category" | "description" | "rationale" | "remedy" | "link">, severity: Severity): RuleMeta => {
    const out: RuleMeta = { id: r.id, category: r.category, severity, description: r.description, rationale: r.rationale, remedy: r.remedy };
    if (r.link !== undefined) out.link = r.link;
    return out;
  };
  // Field by field, not a spread of the spec: a cached spec parses its examples when they are read.
  if ("rules" in policy) return policy.rules.map((r) => meta(r, r.severity));
  return activeRules(policy.specs, policy.severities)
    .map(({ spec, severity }) => meta(spec, severity))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Counts by severity and category; what every format's summary shows. */
export function summarize(files: readonly string[], findings: readonly Finding[], fileErrors: readonly FileError[]): Summary {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const f of findings) byCategory[f.category] += 1;
  return {
    files: files.length,
    filesWithFindings: new Set(findings.map((f) => f.file)).size,
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
    byCategory,
    fileErrors: fileErrors.length,
  };
}

export function buildReport(files: string[], findings: Finding[], fileErrors: FileError[], policy: Parameters<typeof ruleMeta>[0]): Report {
  const sorted = [...findings].sort(compareFindings);
  return {
    version: 1,
    findings: sorted,
    fileErrors: [...fileErrors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    summary: summarize(files, sorted, fileErrors),
    rules: ruleMeta(policy),
    files: [...files].sort(),
  };
}
