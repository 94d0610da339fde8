/**
 * Rule packs: parse and validate YAML (every error with file, line and column), then compile
 * every rule once for an organisation. Scanning only runs what was compiled here.
 */
import type { Node, YAMLMap } from "yaml";
import { ConfigError } from "../errors.js";
import { CATEGORIES, SCOPES, SEVERITIES, type Organization, type Scope, type Severity } from "../types.js";
import { kinds, KIND_NAMES, type KindName } from "./kinds/index.js";
import { compileConditions, compileMatcher, parseConditions, parseMatcher } from "./matcher.js";
import { Lexicon } from "./lexicon.js";
import { NeedleIndex, type NeedleLayout } from "./needles.js";
import { DEFAULT_MENTIONS, DEFAULT_SCOPES, MENTIONS, type CompileEnv, type NeedleCache, type RuleKind, type CompiledRule, type Example, type Policy, type RuleSpec } from "./rule.js";
import { flagsFor, phrasesSource } from "./terms.js";
import { isMap, isScalar, isSeq, YamlFile } from "./yaml.js";

export interface PackSource {
  file: string;
  text: string;
}

const COMMON_KEYS = [
  "id", "kind", "category", "severity", "description", "message", "rationale", "remedy", "link",
  "scopes", "sensitive", "near", "notNear", "exceptions", "document", "examples", "mentions",
] as const;
const ALL_KIND_KEYS = KIND_NAMES.flatMap((k) => kinds[k].keys);

/** Parse and validate one pack file. */
export function parsePack(source: PackSource): RuleSpec[] {
  const yaml = new YamlFile(source.file, source.text);
  if (yaml.root === null) return [];
  const top = yaml.map(yaml.root, "a rule pack", ["rules", "name", "description"]);
  const list = yaml.get(top, "rules");
  if (list === undefined) return [];
  if (!isSeq(list)) return yaml.fail(list, `"rules" must be a list of rules`);
  return (list.items as Node[]).map((item, i) => parseRule(yaml, item, i));
}

function parseRule(yaml: YamlFile, node: Node, index: number): RuleSpec {
  if (!isMap(node)) return yaml.fail(node, `rule ${index + 1} must be a mapping`);
  const idNode = yaml.get(node, "id");
  const id = yaml.string(node, "id", `rule ${index + 1}`, true);
  if (!/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/.test(id)) yaml.fail(idNode, `rule id "${id}" must be lower-case kebab-case`, "use letters, digits and hyphens, e.g. confidentiality-codename");
  const what = `rule "${id}"`;
  const kind = yaml.oneOf(node, "kind", what, KIND_NAMES, true) as KindName;
  // Unknown keys: common keys plus the chosen kind's keys; a key of another kind gets a pointed hint.
  const allowed = [...COMMON_KEYS, ...kinds[kind].keys];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!allowed.includes(key) && ALL_KIND_KEYS.includes(key)) {
      yaml.fail(pair.key as Node, `key "${key}" does not belong to kind "${kind}" in ${what}`, `it is a key of kind ${KIND_NAMES.filter((k) => kinds[k].keys.includes(key)).join("/")}`);
    }
  }
  yaml.map(node, what, allowed);
  const category = yaml.oneOf(node, "category", what, CATEGORIES, true);
  const scopes = (yaml.strings(node, "scopes", what) ?? DEFAULT_SCOPES[category]) as Scope[];
  for (const [i, s] of scopes.entries()) {
    if (!(SCOPES as readonly string[]).includes(s)) yaml.fail(yaml.item(node, "scopes", i), `unknown scope "${s}" in ${what}`, `valid scopes: ${SCOPES.join(", ")}`);
  }
  const spec: RuleSpec = {
    id,
    kind,
    category,
    severity: yaml.oneOf(node, "severity", what, SEVERITIES, true),
    description: yaml.string(node, "description", what, true),
    message: yaml.string(node, "message", what, true),
    rationale: yaml.string(node, "rationale", what, true),
    remedy: yaml.string(node, "remedy", what, true),
    scopes,
    sensitive: yaml.boolean(node, "sensitive", what) ?? false,
    mentions: yaml.oneOf(node, "mentions", what, MENTIONS) ?? DEFAULT_MENTIONS[category],
    near: parseConditions(yaml, yaml.get(node, "near"), `"near" of ${what}`),
    notNear: parseConditions(yaml, yaml.get(node, "notNear"), `"notNear" of ${what}`),
    exceptions: yaml.strings(node, "exceptions", what) ?? [],
    document: parseDocumentConditions(yaml, yaml.get(node, "document"), what),
    examples: parseExamples(yaml, yaml.get(node, "examples"), what),
    location: yaml.at(node),
    settings: kinds[kind].parse(yaml, node, what),
  };
  const link = yaml.string(node, "link", what);
  if (link !== undefined) spec.link = link;
  return spec;
}

function parseDocumentConditions(yaml: YamlFile, node: Node | undefined, what: string): RuleSpec["document"] {
  if (node === undefined) return {};
  const where = `"document" of ${what}`;
  const map = yaml.map(node, where, ["requires", "unless", "frontMatter"]);
  const out: RuleSpec["document"] = {};
  const requires = yaml.get(map, "requires");
  if (requires !== undefined) out.requires = parseMatcher(yaml, requires, `"requires" of ${where}`);
  const unless = yaml.get(map, "unless");
  if (unless !== undefined) out.unless = parseMatcher(yaml, unless, `"unless" of ${where}`);
  const fm = yaml.get(map, "frontMatter");
  if (fm !== undefined) {
    const fmMap = yaml.map(fm, `"frontMatter" of ${where}`);
    out.frontMatter = {};
    for (const pair of fmMap.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      out.frontMatter[key] = (yaml.strings(fmMap, key, `"frontMatter" of ${where}`) ?? []).map((v) => v.toLowerCase());
    }
  }
  return out;
}

function parseExamples(yaml: YamlFile, node: Node | undefined, what: string): RuleSpec["examples"] {
  const out: RuleSpec["examples"] = { flag: [], pass: [] };
  if (node === undefined) return out;
  const map = yaml.map(node, `"examples" of ${what}`, ["flag", "pass"]);
  for (const key of ["flag", "pass"] as const) {
    const list = yaml.get(map, key);
    if (list === undefined) continue;
    if (!isSeq(list)) yaml.fail(list, `"examples.${key}" of ${what} must be a list`);
    for (const item of list.items as Node[]) out[key].push(parseExample(yaml, item, `an example of ${what}`));
  }
  return out;
}

function parseExample(yaml: YamlFile, item: Node, what: string): Example {
  if (isScalar(item) && typeof item.value === "string") return { text: item.value, location: yaml.at(item) };
  const map = yaml.map(item, what, ["text", "frontMatter"]);
  const example: Example = { text: yaml.string(map, "text", what, true), location: yaml.at(item) };
  const fm = yaml.get(map, "frontMatter");
  if (fm !== undefined) example.frontMatter = yaml.map(fm, `"frontMatter" of ${what}`).toJSON() as Record<string, string>;
  return example;
}

/** Rule ids must be unique across all packs; later packs may not redefine. */
export function checkUniqueIds(specs: readonly RuleSpec[]): void {
  const seen = new Map<string, RuleSpec>();
  for (const spec of specs) {
    const first = seen.get(spec.id);
    if (first) {
      throw new ConfigError(`duplicate rule id "${spec.id}"`, spec.location, `first defined at ${first.location.file}:${first.location.line}:${first.location.column}; rename one, or turn the bundled one off under rules: in .draftguard.yaml`);
    }
    seen.set(spec.id, spec);
  }
}

export interface CompileOptions {
  org: Organization;
  /** Per-rule severity, or "off". */
  severities?: Record<string, Severity | "off">;
  /** Needles by pattern, filled in as patterns are compiled; pass one back to skip the analysis. */
  needleCache?: NeedleCache;
  /** Compile without prefilters or rewritten patterns (see CompileEnv). */
  plain?: boolean;
  /** The needle index's layout from an earlier build of the same policy (see NeedleLayout). */
  needleLayout?: NeedleLayout;
}

/** Compile validated specs. Ids must be unique across all packs; later packs may not redefine. */
export async function compilePolicy(specs: RuleSpec[], options: CompileOptions): Promise<Policy> {
  checkUniqueIds(specs);
  const rules: CompiledRule[] = [];
  const env: CompileEnv = { org: options.org, lexicon: new Lexicon() };
  if (options.needleCache) env.needleCache = options.needleCache;
  if (options.plain) env.plain = true;
  for (const { spec, severity } of activeRules(specs, options.severities)) rules.push(await compileRule(spec, env, severity));
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const needles = new NeedleIndex(rules.flatMap((r) => r.parts), undefined, options.plain ? undefined : options.needleLayout);
  return { rules, org: options.org, lexicon: env.lexicon, needles };
}

/** The rules a policy holds: the specs not turned off, each with its configured severity, in pack order. */
export function activeRules(specs: readonly RuleSpec[], severities: Record<string, Severity | "off"> = {}): { spec: RuleSpec; severity: Severity }[] {
  const out: { spec: RuleSpec; severity: Severity }[] = [];
  for (const spec of specs) {
    const override = severities[spec.id];
    if (override !== "off") out.push({ spec, severity: override ?? spec.severity });
  }
  return out;
}

async function compileRule(spec: RuleSpec, env: CompileEnv, severity: Severity): Promise<CompiledRule> {
  const org = env.org;
  const kind = kinds[spec.kind as KindName] as RuleKind<unknown>;
  const find = await kind.compile(spec.settings, env);
  const rule: CompiledRule = {
    id: spec.id,
    category: spec.category,
    severity,
    description: spec.description,
    rationale: spec.rationale,
    remedy: spec.remedy,
    kind: spec.kind,
    message: spec.message,
    scopes: spec.scopes,
    scopeKey: [...spec.scopes].sort().join(","),
    sensitive: spec.sensitive,
    skipMentions: spec.mentions === "skip",
    find,
    parts: find.parts ?? [find.needles ? { needles: find.needles, find } : { find }],
    near: compileConditions(spec.near, org),
    notNear: compileConditions(spec.notNear, org),
    spec,
  };
  if (spec.link !== undefined) rule.link = spec.link;
  const exceptions = phrasesSource(spec.exceptions);
  if (exceptions) rule.exceptions = new RegExp(exceptions, flagsFor(exceptions, "gi"));
  if (spec.document.requires) rule.requires = compileMatcher(spec.document.requires, org);
  if (spec.document.unless) rule.unless = compileMatcher(spec.document.unless, org);
  if (spec.document.frontMatter) rule.frontMatter = spec.document.frontMatter;
  return rule;
}

export type { YAMLMap };
