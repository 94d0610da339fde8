/**
 * Small rule packs written inline, so tests never depend on the bundled pack (which changes as the
 * policy grows). A rule needs only its id, kind and kind keys; the other required keys get plain
 * defaults, and the category is taken from the id's first word.
 */
import { stringify } from "yaml";
import { loadPolicy } from "../../src/index.js";
import { scanText } from "../../src/engine/scan.js";
import type { Policy } from "../../src/policy/rule.js";
import type { Finding, Organization } from "../../src/types.js";

export type RuleInput = { id: string; kind: "terms" | "pattern" | "sentiment" | "classifier" } & Record<string, unknown>;

/** A complete rule mapping: required keys filled in, `input` keys win. */
export function rule(input: RuleInput): Record<string, unknown> {
  const category = input.id.split("-")[0];
  return {
    category,
    severity: "error",
    description: `Test rule ${input.id}.`,
    message: `${input.id}: "{match}"`,
    rationale: "Tests need a rationale.",
    remedy: "Change the text.",
    ...input,
  };
}

/** The YAML text of a pack holding these rules. */
export function packYaml(rules: RuleInput[]): string {
  return stringify({ rules: rules.map(rule) }, { lineWidth: 0 });
}

/** Compile a policy from inline rules only (no bundled pack). */
export async function policyOf(rules: RuleInput[], organization: Partial<Organization> = {}): Promise<Policy> {
  return loadPolicy({ defaults: false, packs: [{ file: "test-pack.yaml", text: packYaml(rules) }], organization });
}

/** Scan `text` (as `file`, which picks Markdown, HTML or plain text) with a policy. */
export function scan(policy: Policy, text: string, file = "post.md"): Finding[] {
  return scanText(text, policy, { file });
}

/** What a finding covers in the source text, for assertions that read like the draft. */
export function spanOf(text: string, f: Finding): string {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const from = (starts[f.line - 1] as number) + f.column - 1 + (f.line === 1 ? bom : 0);
  const to = (starts[f.endLine - 1] as number) + f.endColumn - 1 + (f.endLine === 1 ? bom : 0);
  return text.slice(from, to);
}
