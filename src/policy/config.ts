/** `.draftguard.yaml`: the organisation's names, extra packs, rule severities, ignored paths. */
import { isScalar, type Node } from "yaml";
import { ORG_LISTS, SEVERITIES, type Organization, type Severity, type SourceLocation } from "../types.js";
import { YamlFile } from "./yaml.js";

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
}

export const CONFIG_KEYS = ["organization", "packs", "rules", "ignore", "defaults", "suppressions"] as const;

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
  const rulesNode = yaml.get(top, "rules");
  if (rulesNode !== undefined) {
    const rules = yaml.map(rulesNode, "rules");
    for (const pair of rules.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : "";
      const value = isScalar(pair.value) ? String(pair.value.value) : "";
      if (value !== "off" && !(SEVERITIES as readonly string[]).includes(value)) {
        yaml.fail(pair.value as Node, `rules.${id} must be one of ${[...SEVERITIES, "off"].join(", ")}, not "${value}"`);
      }
      config.rules[id] = { value: value as Severity | "off", location: yaml.at(pair.key as Node) };
    }
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

function isSeqItem(node: Node | undefined, i: number): Node | undefined {
  if (node && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
    return (node as { items: Node[] }).items[i];
  }
  return node;
}
