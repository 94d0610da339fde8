import type { Finding } from "../../src/types.js";

/** A finding with plausible defaults; tests set only what they are about. */
export function makeFinding(overrides: Partial<Finding> & Pick<Finding, "ruleId" | "line">): Finding {
  return {
    file: "post.md",
    column: 1,
    endLine: overrides.line,
    endColumn: 5,
    category: "confidentiality",
    severity: "error",
    message: "message",
    description: "description",
    rationale: "rationale",
    remedy: "remedy",
    match: "text",
    masked: false,
    excerpt: "text",
    excerptColumn: 1,
    fingerprint: `fp-${overrides.ruleId}`,
    ...overrides,
  };
}
