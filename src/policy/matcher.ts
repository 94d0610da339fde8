/** Matchers and conditions shared by every kind: `near`, `notNear`, `document`, `subject`. */
import type { Node } from "yaml";
import { ORG_LISTS, type Organization } from "../types.js";
import type { CompiledCondition, ConditionSpec, MatcherSpec, OrgListName } from "./rule.js";
import { expandPlaceholders, flagsFor, orgTerms, phrasesSource } from "./terms.js";
import { isMap, isScalar, isSeq, type YamlFile } from "./yaml.js";

const MATCHER_KEYS = ["terms", "pattern", "org"] as const;

export function parseMatcher(yaml: YamlFile, node: Node | undefined, what: string, extraKeys: readonly string[] = []): MatcherSpec {
  // A bare list is shorthand for {terms: [...]}.
  if (isSeq(node) || (isScalar(node) && typeof node.value === "string")) {
    const items = isSeq(node) ? node.items : [node];
    return {
      terms: items.map((item) => {
        if (!isScalar(item) || typeof item.value !== "string") yaml.fail(item as Node, `every entry of ${what} must be a string`);
        return item.value;
      }),
      org: [],
    };
  }
  const map = yaml.map(node, what, [...MATCHER_KEYS, ...extraKeys]);
  const org = (yaml.strings(map, "org", what) ?? []) as OrgListName[];
  for (const [i, list] of org.entries()) {
    if (!(ORG_LISTS as readonly string[]).includes(list)) yaml.fail(yaml.item(map, "org", i), `unknown organisation list "${list}" in ${what}`, `valid lists: ${ORG_LISTS.join(", ")}`);
  }
  const pattern = yaml.string(map, "pattern", what);
  if (pattern !== undefined) {
    try {
      new RegExp(pattern, flagsFor(pattern, "i"));
    } catch (e) {
      yaml.fail(yaml.get(map, "pattern"), `pattern in ${what} does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`, "fix the regular expression");
    }
  }
  const spec: MatcherSpec = { terms: yaml.strings(map, "terms", what) ?? [], org };
  if (pattern !== undefined) spec.pattern = pattern;
  if (spec.terms.length === 0 && spec.org.length === 0 && spec.pattern === undefined) {
    yaml.fail(map, `${what} needs at least one of terms, pattern or org`);
  }
  return spec;
}

/** One condition or a list of them. */
export function parseConditions(yaml: YamlFile, node: Node | undefined, what: string): ConditionSpec[] {
  if (node === undefined) return [];
  const items = isSeq(node) && node.items.some((i) => isMap(i)) ? (node.items as Node[]) : [node];
  return items.map((item, i) => {
    const where = items.length > 1 ? `${what}[${i + 1}]` : what;
    const matcher = parseMatcher(yaml, item, where, ["within"]);
    let within: number | "sentence" = "sentence";
    if (isMap(item)) {
      const w = yaml.get(item, "within");
      if (w !== undefined) {
        if (isScalar(w) && w.value === "sentence") within = "sentence";
        else if (isScalar(w) && typeof w.value === "number" && w.value >= 0 && Number.isInteger(w.value)) within = w.value;
        else yaml.fail(w, `"within" in ${where} must be a whole number of words or "sentence"`);
      }
    }
    return { ...matcher, within };
  });
}

/** A case-insensitive, non-global regex that finds any of the matcher's terms, pattern or org entries. */
export function compileMatcher(spec: MatcherSpec, org: Organization): RegExp | undefined {
  const parts = [
    phrasesSource(spec.terms),
    phrasesSource(orgTerms(org, spec.org), { leet: true }),
    spec.pattern === undefined ? undefined : `(?:${expandPlaceholders(spec.pattern, org)})`,
  ].filter((s): s is string => s !== undefined);
  return parts.length === 0 ? undefined : new RegExp(parts.join("|"), flagsFor(parts.join("|"), "i"));
}

export function compileConditions(specs: ConditionSpec[], org: Organization): CompiledCondition[] {
  return specs.map((spec) => ({ regex: compileMatcher(spec, org) ?? /(?!)/u, within: spec.within }));
}
