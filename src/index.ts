/**
 * draftguard as a library: `loadPolicy` once, then `scanText` for every post. `scanText` is pure;
 * `loadPolicy` reads the bundled pack and the packs a configuration names.
 */
import { compilePolicy, parsePack, type PackSource } from "./policy/load.js";
import { defaultConfig, parseConfig, type Config } from "./policy/config.js";
import type { Policy } from "./policy/rule.js";
import { bundledPackFiles, checkRuleOverrides, packText, readPackFile } from "./node.js";
import type { Organization } from "./types.js";

export { scanText, type ScanOptions } from "./engine/scan.js";
export { buildReport } from "./engine/report.js";
export { parseConfig, type Config } from "./policy/config.js";
export { parsePack, compilePolicy, type PackSource } from "./policy/load.js";
export type { Policy, CompiledRule, RuleSpec } from "./policy/rule.js";
export { DraftguardError, ConfigError, UsageError, InputError } from "./errors.js";
export { formatters } from "./report/index.js";
export * from "./types.js";

export interface LoadPolicyOptions {
  /** A parsed configuration, or the text of a `.draftguard.yaml`. */
  config?: Config | string;
  /** Extra packs given as text (no file system access for these). */
  packs?: PackSource[];
  /** Organisation lists; overrides the configuration's. */
  organization?: Partial<Organization>;
  /** Include the bundled default pack (default true unless the config says `defaults: false`). */
  defaults?: boolean;
}

export async function loadPolicy(options: LoadPolicyOptions = {}): Promise<Policy> {
  const config = typeof options.config === "string" ? parseConfig("<config>", options.config) : (options.config ?? defaultConfig());
  const specs = [];
  if (options.defaults ?? config.defaults) for (const f of bundledPackFiles()) specs.push(...parsePack(packText(readPackFile(f))));
  for (const pack of options.packs ?? []) specs.push(...parsePack(pack));
  checkRuleOverrides(config, specs);
  const org: Organization = { ...config.organization, ...options.organization };
  const severities = Object.fromEntries(Object.entries(config.rules).map(([id, e]) => [id, e.value]));
  return compilePolicy(specs, { org, severities });
}

/** What `rules/tools/train-classifiers.js` needs to learn `kind: classifier` models with the scanner's own features. */
export { sentenceFeatures, sentencePieces, entityMatchers, classify } from "./policy/kinds/classifier.js";
