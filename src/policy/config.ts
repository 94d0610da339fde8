/** `.draftguard.yaml`: the organisation's names, extra packs, rule severities, ignored paths. */
import type { Node } from "yaml";
import { ORG_LISTS, SEVERITIES, type Organization, type Severity, type SourceLocation } from "../types.js";
import { isScalar, isSeq, YamlFile } from "./yaml.js";

export interface Config {
  /** The file it came from, or undefined for the built-in defaults. */
  file?: string;
  organization: Organization;
  /** Extra pack paths, as written (relative to the config file's folder). */
  packs: { path: string; location: SourceLocation }[];
  /** Per-rule severity or "off", with where each was written (to report unknown ids). */
  rules: Record<string, { value: Severity | "off"; location: SourceLocation }>;
  ignore: string[];
  /** Whether bundled default rules are loaded (`defaults: false` to use only your packs). */
  defaults: boolean;
  suppressions: { requireReason: boolean; unsuppressible: string[] };
  /**
   * Base packs instead of the whole bundled pack: a bundled pack by name (`draftguard:phrasing`,
   * `draftguard:all`), a local file (`./policy/base.yaml`), or an npm package that ships a pack.
   */
  extends?: { name: string; location: SourceLocation }[];
  /** Severity changes for some files: by glob (relative to the config's folder) or front-matter value. */
  overrides: Override[];
}

export interface Override {
  files: string[];
  frontMatter: Record<string, string[]>;
  rules: Record<string, { value: Severity | "off"; location: SourceLocation }>;
  location: SourceLocation;
}

export const CONFIG_KEYS = ["organization", "extends", "packs", "rules", "overrides", "ignore", "defaults", "suppressions"] as const;

export function emptyOrganization(): Organization {
  return { aliases: [], products: [], codenames: [], competitors: [], customers: [], internalDomains: [] };
}

export function defaultConfig(): Config {
  return {
    organization: emptyOrganization(),
    packs: [],
    rules: {},
    ignore: [],
    defaults: true,
    suppressions: { requireReason: false, unsuppressible: [] },
    overrides: [],
  };
}

export function parseConfig(file: string, text: string): Config {
  const yaml = new YamlFile(file, text);
  const config: Config = { ...defaultConfig(), file };
  if (yaml.root === null) return config;
  const top = yaml.map(yaml.root, "the configuration", CONFIG_KEYS);
  const orgNode = yaml.get(top, "organization");
  if (orgNode !== undefined) {
    const org = yaml.map(orgNode, "organization", ORG_LISTS);
    const name = yaml.string(org, "name", "organization");
    if (name !== undefined) config.organization.name = name;
    for (const list of ORG_LISTS) {
      if (list === "name") continue;
      config.organization[list] = yaml.strings(org, list, "organization") ?? [];
    }
  }
  const packsNode = yaml.get(top, "packs");
  const packs = yaml.strings(top, "packs", "the configuration") ?? [];
  config.packs = packs.map((path, i) => ({ path, location: yaml.at(isSeqItem(packsNode, i)) }));
  config.rules = parseSeverities(yaml, yaml.get(top, "rules"), "rules");
  const extendsNode = yaml.get(top, "extends");
  if (extendsNode !== undefined) {
    const names = yaml.strings(top, "extends", "the configuration") ?? [];
    config.extends = names.map((name, i) => ({ name, location: yaml.at(isSeqItem(extendsNode, i)) }));
  }
  const overridesNode = yaml.get(top, "overrides");
  if (overridesNode !== undefined) {
    if (!isSeq(overridesNode)) return yaml.fail(overridesNode, "overrides must be a list of {files, frontMatter, rules}");
    config.overrides = (overridesNode.items as Node[]).map((item, i) => {
      const what = `overrides[${i + 1}]`;
      const map = yaml.map(item, what, ["files", "frontMatter", "rules"]);
      const frontMatter: Record<string, string[]> = {};
      const fm = yaml.get(map, "frontMatter");
      if (fm !== undefined) {
        const fmMap = yaml.map(fm, `frontMatter of ${what}`);
        for (const pair of fmMap.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : "";
          frontMatter[key] = (yaml.strings(fmMap, key, `frontMatter of ${what}`) ?? []).map((v) => v.toLowerCase());
        }
      }
      const files = yaml.strings(map, "files", what) ?? [];
      if (files.length === 0 && Object.keys(frontMatter).length === 0) {
        yaml.fail(map, `${what} needs "files" or "frontMatter" to say where it applies`);
      }
      return { files, frontMatter, rules: parseSeverities(yaml, yaml.get(map, "rules"), `rules of ${what}`), location: yaml.at(item) };
    });
  }
  config.ignore = yaml.strings(top, "ignore", "the configuration") ?? [];
  config.defaults = yaml.boolean(top, "defaults", "the configuration") ?? true;
  const sup = yaml.get(top, "suppressions");
  if (sup !== undefined) {
    const map = yaml.map(sup, "suppressions", ["requireReason", "unsuppressible"]);
    config.suppressions = {
      requireReason: yaml.boolean(map, "requireReason", "suppressions") ?? false,
      unsuppressible: yaml.strings(map, "unsuppressible", "suppressions") ?? [],
    };
  }
  return config;
}

function parseSeverities(yaml: YamlFile, node: Node | undefined, what: string): Config["rules"] {
  const out: Config["rules"] = {};
  if (node === undefined) return out;
  const rules = yaml.map(node, what);
  for (const pair of rules.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = isScalar(pair.value) ? String(pair.value.value) : "";
    if (value !== "off" && !(SEVERITIES as readonly string[]).includes(value)) {
      yaml.fail(pair.value as Node, `${what}: ${id} must be one of ${[...SEVERITIES, "off"].join(", ")}, not "${value}"`);
    }
    out[id] = { value: value as Severity | "off", location: yaml.at(pair.key as Node) };
  }
  return out;
}

function isSeqItem(node: Node | undefined, i: number): Node | undefined {
  if (node && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
    return (node as { items: Node[] }).items[i];
  }
  return node;
}
