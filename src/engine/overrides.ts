/**
 * `overrides:` in a configuration: severity changes for files matching a glob or drafts whose front
 * matter has a value. Later overrides win over earlier ones, and all win over top-level `rules:`.
 */
import { ignore } from "../lazy.js";
import { frontMatterHas } from "../text/document.js";
import type { Override } from "../policy/config.js";
import type { Finding, Severity } from "../types.js";

export interface CompiledOverride {
  override: Override;
  matchesFile: (relativePath: string) => boolean;
}

export function compileOverrides(overrides: Override[]): CompiledOverride[] {
  return overrides.map((override) => {
    const globs = ignore().add(override.files);
    return { override, matchesFile: (p) => override.files.length === 0 || (!p.startsWith("..") && globs.ignores(p)) };
  });
}

/** The overrides that apply to one file, in order. */
export function overridesFor(overrides: CompiledOverride[], relativePath: string, frontMatter: Record<string, unknown>): Override[] {
  return overrides
    .filter((o) => o.matchesFile(relativePath) && frontMatterHas(o.override.frontMatter, frontMatter))
    .map((o) => o.override);
}

/** Apply severity changes; a rule turned off drops its findings. */
export function applyOverrides(findings: Finding[], applicable: Override[]): Finding[] {
  if (applicable.length === 0) return findings;
  const severity = new Map<string, Severity | "off">();
  for (const o of applicable) for (const [id, entry] of Object.entries(o.rules)) severity.set(id, entry.value);
  const out: Finding[] = [];
  for (const f of findings) {
    const s = severity.get(f.ruleId);
    if (s === "off") continue;
    out.push(s === undefined ? f : { ...f, severity: s });
  }
  return out;
}
