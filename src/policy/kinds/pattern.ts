/** `kind: pattern`: regular expressions with a reported group and validators that confirm a match. */
import type { Node } from "yaml";
import { unsafeRegexReason } from "../redos.js";
import type { Finder, FinderPart, Match, RuleKind } from "../rule.js";
import { isMap, isScalar, isSeq } from "../yaml.js";
import { analyzePattern, type PatternAnalysis } from "../prefilter.js";
import { matchesOf } from "../../text/search.js";
import { expandPlaceholders, flagsFor } from "../terms.js";
import { validators, type ValidatorName } from "../validators.js";
import type { Organization } from "../../types.js";

export interface PatternSettings {
  patterns: string[];
  caseSensitive: boolean;
  group?: number | string;
  validate: { name: ValidatorName; options: Record<string, unknown> }[];
}

const NO_ORG: Organization = { aliases: [], products: [], codenames: [], competitors: [], customers: [], internalDomains: [] };

export function regexFlags(source: string, caseSensitive: boolean, indices: boolean): string {
  return flagsFor(source, `g${caseSensitive ? "" : "i"}${indices ? "d" : ""}`);
}

/** `make()` once, on first use. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

function compilePattern(source: string, org: Organization, caseSensitive: boolean, indices: boolean): RegExp {
  const expanded = expandPlaceholders(source, org);
  return new RegExp(expanded, regexFlags(expanded, caseSensitive, indices));
}

/** Whether every sticky zero-width guard holds at `at`. */
function holdAt(guards: RegExp[], text: string, at: number): boolean {
  for (const guard of guards) {
    guard.lastIndex = at;
    if (!guard.test(text)) return false;
  }
  return true;
}

export const patternKind: RuleKind<PatternSettings> = {
  keys: ["pattern", "caseSensitive", "group", "validate"],
  description: "regular expressions with a reported capture group and validators",
  parse(yaml, node, what) {
    const patterns = yaml.strings(node, "pattern", what) ?? [];
    if (patterns.length === 0) yaml.fail(node, `${what} is missing the required key "pattern"`, "add pattern: '...'");
    const caseSensitive = yaml.boolean(node, "caseSensitive", what) ?? false;
    const groupNode = yaml.get(node, "group");
    let group: number | string | undefined;
    if (groupNode !== undefined) {
      if (!isScalar(groupNode) || (typeof groupNode.value !== "number" && typeof groupNode.value !== "string")) {
        return yaml.fail(groupNode, `"group" in ${what} must be a group number or name`);
      }
      group = groupNode.value as number | string;
    }
    const patternNode = yaml.get(node, "pattern");
    patterns.forEach((source, i) => {
      const at = isSeq(patternNode) ? (patternNode.items[i] as Node) : patternNode;
      let re: RegExp;
      try {
        re = compilePattern(source, NO_ORG, caseSensitive, group !== undefined);
      } catch (e) {
        return yaml.fail(at, `pattern in ${what} does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`, "fix the regular expression (JavaScript syntax, u flag)");
      }
      const unsafe = unsafeRegexReason(re.source, re.flags); // expanded: {org.X} and {currency} are not regex syntax
      if (unsafe) yaml.fail(at, `pattern in ${what} can hang the scanner: ${unsafe}`, "rewrite it without nested or overlapping repetition");
      if (group !== undefined) {
        const groups = new RegExp(`${re.source}|`, re.flags.replace("g", "")).exec("");
        const known = typeof group === "number" ? groups !== null && group < groups.length : re.source.includes(`(?<${group}>`);
        if (!known) yaml.fail(groupNode, `${what} reports group ${JSON.stringify(group)}, which pattern ${i + 1} does not have`);
      }
    });
    const validate: PatternSettings["validate"] = [];
    const vnode = yaml.get(node, "validate");
    if (vnode !== undefined) {
      if (!isSeq(vnode)) return yaml.fail(vnode, `"validate" in ${what} must be a list of validator names or {name: options}`);
      for (const item of vnode.items as Node[]) {
        let name: string;
        let options: Record<string, unknown> = {};
        let optionsNode: Node | undefined;
        if (isScalar(item) && typeof item.value === "string") name = item.value;
        else if (isMap(item) && item.items.length === 1 && isScalar(item.items[0]?.key)) {
          name = String(item.items[0].key.value);
          optionsNode = item.items[0].value as Node;
          if (!isMap(optionsNode)) yaml.fail(optionsNode, `options of validator "${name}" must be a mapping`);
          options = optionsNode.toJSON() as Record<string, unknown>;
        } else {
          return yaml.fail(item, `each entry of "validate" in ${what} must be a validator name or {name: options}`);
        }
        if (!(name in validators)) {
          yaml.fail(item, `unknown validator "${name}" in ${what}`, `valid validators: ${Object.keys(validators).join(", ")}`);
        }
        const def = validators[name as ValidatorName];
        const allowed = def.options as Record<string, string>;
        for (const [key, value] of Object.entries(options)) {
          const type = allowed[key];
          if (type === undefined) yaml.fail(optionsNode, `unknown option "${key}" for validator "${name}"`, `valid options: ${Object.keys(allowed).join(", ") || "none"}`);
          const ok = type === "strings" ? Array.isArray(value) && value.every((v) => typeof v === "string") : typeof value === type;
          if (!ok) yaml.fail(optionsNode, `option "${key}" of validator "${name}" must be ${type === "strings" ? "a list of strings" : `a ${type}`}`);
        }
        validate.push({ name: name as ValidatorName, options });
      }
    }
    return { patterns, caseSensitive, group, validate };
  },
  compile(settings, env): Finder {
    const indices = settings.group !== undefined;
    const sources = settings.patterns.map((p) => expandPlaceholders(p, env.org));
    const flagsList = sources.map((source) => regexFlags(source, settings.caseSensitive, indices));
    const checks = settings.validate.map(({ name, options }) => {
      const def = validators[name];
      return (value: string) => def.check(value, options, { org: env.org });
    });
    const group = settings.group;
    const analyses = sources.map((source, i): PatternAnalysis => {
      if (env.plain) return { prefilter: null, hoisted: null };
      const flags = flagsList[i] as string;
      const key = `${flags}\u0000${source}`;
      let found = env.needleCache?.get(key);
      if (found === undefined) {
        found = analyzePattern(source, flags);
        env.needleCache?.set(key, found);
      }
      return found;
    });
    // Each pattern of a list is its own part: it runs only around its own needles, even when
    // another pattern of the rule has none (and so runs everywhere). Its regular expressions are
    // made when the part first runs: parsing them is much of a policy's build, and a post runs
    // only the parts whose needles it holds.
    const parts: FinderPart[] = sources.map((source, i) => {
      const { prefilter, hoisted } = analyses[i] as PatternAnalysis;
      const flags = flagsList[i] as string;
      const body = hoisted ? hoisted.rest : source;
      const re = once(() => new RegExp(body, flags));
      const guards = hoisted ? once(() => hoisted.guards.map((g) => new RegExp(g, `${flags.replace(/[gd]/g, "")}y`))) : undefined;
      /** A match found: its reported span, when the group took part and the validators agree. */
      const accept = (m: RegExpExecArray, text: string, out: Match[]) => {
        let start = m.index;
        let end = m.index + m[0].length;
        if (group !== undefined) {
          const span = typeof group === "number" ? m.indices?.[group] : m.indices?.groups?.[group];
          if (!span) return; // the reported group did not take part in this match
          [start, end] = span;
        }
        const value = text.slice(start, end);
        if (checks.every((check) => check(value))) out.push({ start, end });
      };
      const find = (text: string): Match[] => {
        const out: Match[] = [];
        const whole = re();
        const zeroWidth = guards?.();
        for (const m of matchesOf(whole, text)) {
          if (zeroWidth && !holdAt(zeroWidth, text, m.index)) {
            whole.lastIndex = m.index + 1; // the whole pattern fails at this position: try the next
            continue;
          }
          accept(m, text, out);
        }
        return out;
      };
      if (!prefilter) return { find };
      const part: FinderPart = { needles: prefilter.needles, also: prefilter.also, reach: prefilter.reach, find };
      if (prefilter.starts) {
        // Every match starts with one of `starts`: trying the pattern, sticky, where one occurs
        // finds what the global search finds (its leftmost match from where the last one ended),
        // at a cost per occurrence instead of per character.
        const sticky = once(() => new RegExp(body, `${flags.replace("g", "")}y`));
        part.needles = prefilter.starts;
        part.also = [prefilter.needles, ...prefilter.also];
        part.findAt = (text, starts) => {
          const out: Match[] = [];
          const anchored = sticky();
          const zeroWidth = guards?.();
          let from = 0;
          for (let k = 0; k < starts.length; k++) {
            const at = starts[k] as number;
            if (at < from) continue;
            if (zeroWidth && !holdAt(zeroWidth, text, at)) continue;
            anchored.lastIndex = at;
            const m = anchored.exec(text);
            if (!m || m[0].length === 0) continue;
            from = at + m[0].length;
            accept(m, text, out);
          }
          return out;
        };
      }
      return part;
    });
    const find: Finder = (text, ctx) => parts.flatMap((part) => part.find(text, ctx));
    find.parts = parts;
    return find;
  },
};
