/**
 * The public data shapes of draftguard. Everything here is plain data: the core produces it,
 * formatters render it, and programs that import draftguard consume it.
 */

export const CATEGORIES = ["confidentiality", "accuracy", "phrasing"] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Parts of a draft a rule can read. */
export const SCOPES = ["prose", "heading", "code", "link", "frontmatter", "comment"] as const;
export type Scope = (typeof SCOPES)[number];

/** The organisation block of `.draftguard.yaml`; its key names are a public contract. */
export interface Organization {
  name?: string;
  aliases: string[];
  products: string[];
  codenames: string[];
  competitors: string[];
  customers: string[];
  internalDomains: string[];
}
export const ORG_LISTS = ["name", "aliases", "products", "codenames", "competitors", "customers", "internalDomains"] as const;
export type OrgList = (typeof ORG_LISTS)[number];

/** A position in a file: 1-based line, 1-based column counted in UTF-16 code units. */
export interface Position {
  line: number;
  column: number;
}

/** Where a rule or config value was written, for error messages and `rules test` reports. */
export interface SourceLocation extends Position {
  file: string;
}

/** One problem found in one draft. Field names are part of the JSON contract (version 1). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  description: string;
  rationale: string;
  remedy: string;
  link?: string;
  /** The matched text, masked when the rule handles secrets or personal data. */
  match: string;
  /** True when `match` (and every other text field) has been masked. */
  masked: boolean;
  /** The first source line of the finding, with every masked span on it masked. */
  excerpt: string;
  /** Column of the excerpt's first character in its line (1 unless a long line was cut). */
  excerptColumn: number;
  /** Keyed hash of the rule id and normalised matched text: stable when unrelated lines move. */
  fingerprint: string;
}

/** A file that could not be scanned; reported, counted, and turns the exit code into 2. */
export interface FileError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Summary {
  files: number;
  filesWithFindings: number;
  errors: number;
  warnings: number;
  infos: number;
  byCategory: Record<Category, number>;
  fileErrors: number;
}

/** Metadata of a rule as formatters (SARIF, pretty) need it. */
export interface RuleMeta {
  id: string;
  category: Category;
  severity: Severity;
  description: string;
  rationale: string;
  remedy: string;
  link?: string;
}

export interface Report {
  version: 1;
  findings: Finding[];
  fileErrors: FileError[];
  summary: Summary;
  /** Every rule that was active in the scan, sorted by id. */
  rules: RuleMeta[];
  /** Every file scanned, sorted (files with no findings included). */
  files: string[];
}

export type FormatName = "pretty" | "json" | "sarif" | "github" | "junit" | "markdown";

export interface FormatOptions {
  color: boolean;
  /** A chalk instance when `color` is true (loaded only then: it costs ~20 ms to import). */
  chalk?: import("chalk").ChalkInstance;
  /** Working directory, for formats that need absolute URIs (SARIF). */
  cwd: string;
  toolVersion: string;
}

/** A formatter is a pure function from a report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;
