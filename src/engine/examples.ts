/** `rules test`: every rule's examples must behave as written. */
import { NeedleIndex } from "../policy/needles.js";
import type { CompiledRule, Example, Policy } from "../policy/rule.js";
import type { Organization, SourceLocation } from "../types.js";
import { scanText } from "./scan.js";

/** The organisation examples are written for, unless a configuration gives its own names. */
export const EXAMPLE_ORG: Organization = {
  name: "Acme",
  aliases: ["Acme Corp"],
  products: ["ThinkBook", "AcmeCloud"],
  codenames: ["Bluejay", "Project Falcon"],
  competitors: ["Globex"],
  customers: ["Umbrella Corp"],
  internalDomains: ["acme.internal", "corp.acme.com"],
};

export interface ExampleFailure {
  ruleId: string;
  expected: "flag" | "pass";
  text: string;
  location: SourceLocation;
  /** What the rule reported instead (for pass examples), as "line:col match". */
  got: string[];
}

export function exampleText(example: Example, org: Organization): string {
  const body = example.text.replace(/\{org\.(\w+)\}/g, (all, list: string) => {
    const value = org[list as keyof Organization];
    const first = Array.isArray(value) ? value[0] : value;
    return first ?? all;
  });
  if (!example.frontMatter) return body;
  const fm = Object.entries(example.frontMatter).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n");
  return `---\n${fm}\n---\n${body}`;
}

export function runExamples(policy: Policy): { failures: ExampleFailure[]; run: number } {
  const failures: ExampleFailure[] = [];
  let run = 0;
  for (const rule of policy.rules) {
    const only: Policy = { rules: [rule], org: policy.org, lexicon: policy.lexicon, needles: new NeedleIndex(rule.parts) };
    for (const expected of ["flag", "pass"] as const) {
      for (const example of rule.spec.examples[expected]) {
        run++;
        const findings = scanText(exampleText(example, policy.org), only, { file: "example.md" }).filter((f) => f.ruleId === rule.id);
        if ((expected === "flag") !== (findings.length > 0)) {
          failures.push({
            ruleId: rule.id,
            expected,
            text: example.text,
            location: example.location,
            got: findings.map((f) => `${f.line}:${f.column} ${f.match}`),
          });
        }
      }
    }
  }
  return { failures, run };
}

export type { CompiledRule };
