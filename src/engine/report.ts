/** Findings of many files to one deterministic report. */
import { CATEGORIES, type Category, type FileError, type Finding, type Report, type RuleMeta } from "../types.js";
import type { Policy } from "../policy/rule.js";
import { compareFindings } from "./scan.js";

export function ruleMeta(policy: Policy): RuleMeta[] {
  return policy.rules.map((r) => {
    const meta: RuleMeta = { id: r.id, category: r.category, severity: r.severity, description: r.description, rationale: r.rationale, remedy: r.remedy };
    if (r.link !== undefined) meta.link = r.link;
    return meta;
  });
}

export function buildReport(files: string[], findings: Finding[], fileErrors: FileError[], policy: Policy): Report {
  const sorted = [...findings].sort(compareFindings);
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const f of sorted) byCategory[f.category] += 1;
  return {
    version: 1,
    findings: sorted,
    fileErrors: [...fileErrors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    summary: {
      files: files.length,
      filesWithFindings: new Set(sorted.map((f) => f.file)).size,
      errors: sorted.filter((f) => f.severity === "error").length,
      warnings: sorted.filter((f) => f.severity === "warning").length,
      infos: sorted.filter((f) => f.severity === "info").length,
      byCategory,
      fileErrors: fileErrors.length,
    },
    rules: ruleMeta(policy),
    files: [...files].sort(),
  };
}
