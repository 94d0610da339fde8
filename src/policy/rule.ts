/** The shapes of a rule: as written (a spec, validated) and as compiled (ready to match). */
import type { YAMLMap } from "yaml";
import type { Category, Organization, RuleMeta, Scope, Severity, SourceLocation } from "../types.js";
import type { Lexicon } from "./lexicon.js";
import type { NeedleIndex } from "./needles.js";
import type { PatternAnalysis } from "./prefilter.js";
import type { YamlFile } from "./yaml.js";

export type OrgListName = keyof Organization;

/** Something to look for: phrases, a pattern, organisation lists. */
export interface MatcherSpec {
  terms: string[];
  pattern?: string;
  org: OrgListName[];
}

/** A matcher that must (or must not) occur within `within` words of a match, or in its sentence. */
export interface ConditionSpec extends MatcherSpec {
  within: number | "sentence";
}

export interface Example {
  text: string;
  frontMatter?: Record<string, string>;
  location: SourceLocation;
}

export interface RuleSpec extends RuleMeta {
  kind: string;
  message: string;
  scopes: Scope[];
  sensitive: boolean;
  /** Wording quoted as an example of wording (see text/mention.ts): skipped or reported. */
  mentions: Mention;
  near: ConditionSpec[];
  notNear: ConditionSpec[];
  exceptions: string[];
  document: { requires?: MatcherSpec; unless?: MatcherSpec; frontMatter?: Record<string, string[]> };
  examples: { flag: Example[]; pass: Example[] };
  location: SourceLocation;
  /** Kind-specific settings, validated by the kind's parse. */
  settings: unknown;
}

/** A match in a view's normalised text: [start, end). */
export interface Match {
  start: number;
  end: number;
}

/** What the engine has already computed for the view a finder runs on. */
export interface FinderContext {
  /** Phrase-list hits of a lexicon owner (see Lexicon), from the one token pass over the view. */
  lexicon(owner: number): Match[];
}

/**
 * Finds candidate matches in normalised text; conditions are applied by the engine. `needles`: lower-case
 * strings one of which every match contains, so the engine runs the finder only around them.
 */
export type Finder = ((text: string, ctx: FinderContext) => Match[]) & { needles?: readonly string[]; parts?: readonly FinderPart[] };

/**
 * A piece of a finder that is prefiltered on its own (one pattern of a list): it runs only around
 * its own needles, or everywhere when it has none. A finder without parts is one part.
 */
export interface FinderPart {
  needles?: readonly string[];
  /** Further sets of which one string each must occur in the text for the part to run at all. */
  also?: readonly (readonly string[])[];
  /** How far from a needle a match and its context can reach, when that is known. */
  reach?: number | undefined;
  find: (text: string, ctx: FinderContext) => Match[];
  /**
   * When every match starts with one of the part's needles: the matches `find` would report,
   * trying the part only at `starts`, the sorted positions where a needle starts.
   */
  findAt?: (text: string, starts: Int32Array) => Match[];
}

/** Pattern analyses by key (flags, NUL, source), asked for in compile order; a Map will do. */
export interface NeedleCache {
  get(key: string): PatternAnalysis | undefined;
  set(key: string, analysis: PatternAnalysis): void;
}

export interface CompileEnv {
  org: Organization;
  /** Shared by every rule of a policy: phrase lists register here and are matched in one pass. */
  lexicon: Lexicon;
  /** Needles already derived for a pattern (flags, NUL, source), e.g. from the policy cache. */
  needleCache?: NeedleCache;
  /** No prefilters and no rewritten patterns: the plain reference the optimised policy is tested against. */
  plain?: boolean;
}

/** One file per kind: validate the YAML keys it owns, and compile them once. */
export interface RuleKind<S> {
  /** Keys this kind adds to the common ones. */
  keys: readonly string[];
  description: string;
  parse(yaml: YamlFile, node: YAMLMap<unknown, unknown>, what: string): S;
  compile(settings: S, env: CompileEnv): Promise<Finder> | Finder;
}

export interface CompiledCondition {
  regex: RegExp;
  within: number | "sentence";
}

export interface CompiledRule extends RuleMeta {
  kind: string;
  message: string;
  scopes: Scope[];
  /** Scopes as a stable key, so rules that read the same parts share one view. */
  scopeKey: string;
  sensitive: boolean;
  /** Drop a match that lies in a quotation of wording under discussion (see text/mention.ts). */
  skipMentions: boolean;
  find: Finder;
  /** The finder's parts, each prefiltered by its own needles (see NeedleIndex). */
  parts: readonly FinderPart[];
  near: CompiledCondition[];
  notNear: CompiledCondition[];
  exceptions?: RegExp;
  requires?: RegExp;
  unless?: RegExp;
  frontMatter?: Record<string, string[]>;
  spec: RuleSpec;
}

export interface Policy {
  rules: CompiledRule[];
  org: Organization;
  lexicon: Lexicon;
  needles: NeedleIndex<FinderPart>;
}

export const MENTIONS = ["skip", "report"] as const;
export type Mention = (typeof MENTIONS)[number];

/** A secret or a name quoted is still published; a claim or an insult quoted as wording is not made. */
export const DEFAULT_MENTIONS: Record<Category, Mention> = {
  confidentiality: "report",
  accuracy: "skip",
  phrasing: "skip",
};

export const DEFAULT_SCOPES: Record<Category, Scope[]> = {
  confidentiality: ["prose", "heading", "code", "link", "frontmatter", "comment"],
  accuracy: ["prose", "heading"],
  phrasing: ["prose", "heading"],
};

export type { Severity };
