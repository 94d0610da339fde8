/**
 * Inline suppressions: comments in a draft that silence named rules on a line or over a region.
 *
 * The syntax is described in docs/suppressions.md. Parsing works on the raw source (so positions are
 * those of the file) and skips fenced code blocks, inline code spans and the inside of other HTML
 * comments, so a post that shows the syntax as an example does not suppress anything.
 * Pure: no file system, process or console.
 */
import { LineIndex } from "../text/positions.js";
import type { Finding, Position } from "../types.js";

export type DirectiveKind = "disable-next-line" | "disable-line" | "disable";

/** One rule silenced over one range: a comment naming three rules yields three directives. */
export interface Directive {
  kind: DirectiveKind;
  /** The rule silenced; absent when the comment names none and so silences every rule. */
  ruleId?: string;
  /** The text after ` -- `, trimmed; absent when there is none. */
  reason?: string;
  /** Where the comment starts (1-based line and UTF-16 column), for messages. */
  line: number;
  column: number;
  /** First position covered. */
  from: Position;
  /** First position no longer covered; absent: to the end of the file (a disable never enabled). */
  to?: Position;
}

export type SuppressionProblemCode =
  | "unknown-directive"
  | "bad-rule-list"
  | "misplaced-directive"
  | "unmatched-enable"
  | "missing-reason"
  | "unsuppressible"
  | "unknown-rule";

export interface SuppressionProblem {
  line: number;
  column: number;
  code: SuppressionProblemCode;
  message: string;
}

export interface ParsedSuppressions {
  directives: Directive[];
  problems: SuppressionProblem[];
}

export interface SuppressionOptions {
  /** A directive without ` -- reason` is reported and silences nothing. */
  requireReason: boolean;
  /** Rules that no directive may silence. */
  unsuppressible: ReadonlySet<string>;
  /** When given, a directive naming a rule outside this set is reported (a typo silences nothing). */
  knownRules?: ReadonlySet<string>;
}

export interface AppliedSuppressions {
  kept: Finding[];
  suppressed: Finding[];
  /** Valid directives that silenced no finding (for `--report-unused-suppressions`). */
  unused: Directive[];
  problems: SuppressionProblem[];
}

const DIRECTIVE_NAMES = ["disable-next-line", "disable-line", "disable", "enable"] as const;
type DirectiveName = (typeof DIRECTIVE_NAMES)[number];

const RULE_ID = /^[A-Za-z0-9_][\w./:@-]*$/;
const HTML_COMMENT = /<!--([\s\S]*?)-->/g;
const PLAIN_DIRECTIVE = /^[ \t]*(?:#|\/\/)[ \t]*(draftguard-[\s\S]*?)[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** A directive comment as written, before disables are paired with enables. */
interface RawDirective {
  name: DirectiveName;
  rules: string[];
  reason?: string;
  start: Position;
  /** Position just after the comment. */
  end: Position;
  plain: boolean;
}

/** Finds the suppression comments of one file; lines end at `\n` (or `\r\n`), as everywhere in draftguard. */
export function parseSuppressions(source: string): ParsedSuppressions {
  const text = new SourceText(source);
  const problems: SuppressionProblem[] = [];
  const raws: RawDirective[] = [];
  const skipped = text.fencedCode();

  const read = (body: string, startOffset: number, endOffset: number, plain: boolean): void => {
    const start = text.position(startOffset);
    const parsed = parseDirectiveText(body);
    if (typeof parsed === "string") {
      problems.push({ ...start, code: parsed === "bad" ? "bad-rule-list" : "unknown-directive", message: problemText(parsed, body) });
      return;
    }
    raws.push({ ...parsed, start, end: text.position(endOffset), plain });
  };

  for (const match of source.matchAll(HTML_COMMENT)) {
    const offset = match.index;
    const inCode = isInside(offset, skipped) || text.inInlineCode(offset);
    skipped.push({ start: offset, end: offset + match[0].length });
    const body = (match[1] ?? "").trim();
    if (inCode || !body.startsWith("draftguard-")) continue;
    read(body, offset, offset + match[0].length, false);
  }
  for (const { start, end } of text.lines()) {
    const plain = PLAIN_DIRECTIVE.exec(source.slice(start, end));
    if (plain?.[1] === undefined || isInside(start, skipped)) continue;
    read(plain[1], start + (plain[0].length - plain[0].trimStart().length), end, true);
  }

  raws.sort((a, b) => comparePositions(a.start, b.start));
  return { directives: pairDirectives(raws, problems), problems: sortProblems(problems) };
}

/** Splits findings into those kept and those silenced by `directives` (all from the same file). */
export function applySuppressions(
  findings: Finding[],
  directives: Directive[],
  opts: SuppressionOptions,
): AppliedSuppressions {
  const problems = new ProblemList();
  const valid = directives.filter((directive) => {
    if (opts.requireReason && directive.reason === undefined) {
      const message = `draftguard-${directive.kind} needs a reason: add " -- " and why this text is acceptable`;
      problems.add(directive, "missing-reason", message);
      return false;
    }
    if (directive.ruleId === undefined) return true;
    if (opts.unsuppressible.has(directive.ruleId)) {
      problems.add(directive, "unsuppressible", `rule ${directive.ruleId} cannot be suppressed by policy: change the text instead`);
      return false;
    }
    if (opts.knownRules !== undefined && !opts.knownRules.has(directive.ruleId)) {
      problems.add(directive, "unknown-rule", `draftguard-${directive.kind} names ${directive.ruleId}, but no active rule has that id: check its spelling`);
      return false;
    }
    return true;
  });

  const used = new Set<Directive>();
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of findings) {
    const covering = valid.filter((directive) => covers(directive, finding));
    if (covering.length > 0 && opts.unsuppressible.has(finding.ruleId)) {
      for (const directive of covering) {
        problems.add(directive, "unsuppressible", `rule ${finding.ruleId} cannot be suppressed by policy: change the text instead`);
      }
      kept.push(finding);
      continue;
    }
    for (const directive of covering) used.add(directive);
    (covering.length > 0 ? suppressed : kept).push(finding);
  }
  const unused = valid.filter((directive) => !used.has(directive));
  return { kept, suppressed, unused, problems: sortProblems(problems.items) };
}

function covers(directive: Directive, finding: Finding): boolean {
  if (directive.ruleId !== undefined && directive.ruleId !== finding.ruleId) return false;
  const at = { line: finding.line, column: finding.column };
  return comparePositions(at, directive.from) >= 0 && (directive.to === undefined || comparePositions(at, directive.to) < 0);
}

/** Problems without repeats: a comment naming three rules and lacking a reason is one problem. */
class ProblemList {
  readonly items: SuppressionProblem[] = [];
  private readonly seen = new Set<string>();

  add(at: Position, code: SuppressionProblemCode, message: string): void {
    const key = `${at.line}:${at.column}:${code}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ line: at.line, column: at.column, code, message });
  }
}

type ParseFailure = "unknown" | "bad";

function parseDirectiveText(body: string): Omit<RawDirective, "start" | "end" | "plain"> | ParseFailure {
  const head = /^draftguard-([A-Za-z-]*)(?:\s+([\s\S]*))?$/.exec(body);
  const name = DIRECTIVE_NAMES.find((candidate) => candidate === head?.[1]);
  if (head === null || name === undefined) return "unknown";
  const rest = head[2] ?? "";
  const separator = /(?:^|\s)--(?:\s|$)/.exec(rest);
  const ruleText = (separator === null ? rest : rest.slice(0, separator.index)).trim();
  const reason = separator === null ? "" : rest.slice(separator.index + separator[0].length).replace(/\s+/g, " ").trim();
  const rules = ruleText === "" ? [] : ruleText.split(",").map((rule) => rule.trim());
  if (!rules.every((rule) => RULE_ID.test(rule))) return "bad";
  return reason === "" ? { name, rules } : { name, rules, reason };
}

function problemText(failure: ParseFailure, body: string): string {
  const written = body.split(/\s/)[0] ?? body;
  return failure === "unknown"
    ? `unknown directive "${written}": use draftguard-disable-next-line, draftguard-disable-line, draftguard-disable or draftguard-enable`
    : `cannot read the rule list of "${written}": separate rule ids with commas, and the reason with " -- "`;
}

/** Turns comments into directives with ranges, pairing each disable with the enable that ends it. */
function pairDirectives(raws: RawDirective[], problems: SuppressionProblem[]): Directive[] {
  const directives: Directive[] = [];
  const open: Directive[] = [];
  for (const raw of raws) {
    const base = { line: raw.start.line, column: raw.start.column, ...(raw.reason === undefined ? {} : { reason: raw.reason }) };
    const make = (kind: DirectiveKind, from: Position, to?: Position): Directive[] =>
      (raw.rules.length === 0 ? [undefined] : raw.rules).map((ruleId) => ({
        kind,
        ...(ruleId === undefined ? {} : { ruleId }),
        ...base,
        from,
        ...(to === undefined ? {} : { to }),
      }));

    switch (raw.name) {
      case "disable-next-line": {
        // The line after the one the comment ends on (a comment may span lines).
        const target = raw.end.line + 1;
        directives.push(...make("disable-next-line", { line: target, column: 1 }, { line: target + 1, column: 1 }));
        break;
      }
      case "disable-line":
        if (raw.plain) {
          problems.push({
            ...raw.start,
            code: "misplaced-directive",
            message: "draftguard-disable-line works only as an HTML comment on the line it silences: use draftguard-disable-next-line",
          });
          break;
        }
        directives.push(...make("disable-line", { line: raw.start.line, column: 1 }, { line: raw.start.line + 1, column: 1 }));
        break;
      case "disable": {
        const made = make("disable", raw.end);
        directives.push(...made);
        open.push(...made);
        break;
      }
      case "enable":
        closeBlocks(raw, open, problems);
        break;
    }
  }
  return directives.sort((a, b) => comparePositions(a, b) || (a.ruleId ?? "").localeCompare(b.ruleId ?? ""));
}

function closeBlocks(enable: RawDirective, open: Directive[], problems: SuppressionProblem[]): void {
  const close = (match: (directive: Directive) => boolean): number => {
    let closed = 0;
    for (let i = open.length - 1; i >= 0; i--) {
      const directive = open[i];
      if (directive === undefined || !match(directive)) continue;
      directive.to = enable.start;
      open.splice(i, 1);
      closed++;
    }
    return closed;
  };
  if (enable.rules.length === 0) {
    if (close(() => true) === 0) {
      problems.push({ ...enable.start, code: "unmatched-enable", message: "draftguard-enable has no draftguard-disable before it to end" });
    }
    return;
  }
  for (const rule of enable.rules) {
    if (close((directive) => directive.ruleId === rule) > 0) continue;
    const message = open.some((directive) => directive.ruleId === undefined)
      ? `draftguard-enable ${rule} cannot end a draftguard-disable of every rule: end it with a plain draftguard-enable, or name ${rule} in the disable`
      : `draftguard-enable ${rule} has no draftguard-disable ${rule} before it to end`;
    problems.push({ ...enable.start, code: "unmatched-enable", message });
  }
}

interface Span {
  start: number;
  end: number;
}

function isInside(offset: number, spans: readonly Span[]): boolean {
  return spans.some((span) => offset >= span.start && offset < span.end);
}

/** The few bits of Markdown structure that hide comments, over the shared line index. */
class SourceText {
  private readonly index: LineIndex;

  constructor(private readonly source: string) {
    this.index = new LineIndex(source);
  }

  position(offset: number): Position {
    return this.index.position(offset);
  }

  /** Each line's start offset and the offset of its end, line break excluded. */
  *lines(): Generator<Span> {
    for (let line = 0; line < this.index.lineCount; line++) {
      yield { start: this.index.lineStart(line), end: this.index.lineEnd(this.source, line) };
    }
  }

  /** Markdown fenced code blocks (``` or ~~~), each from its opening fence to the end of its closing one. */
  fencedCode(): Span[] {
    const spans: Span[] = [];
    let fence: { marker: string; start: number } | undefined;
    for (const { start, end } of this.lines()) {
      const line = this.source.slice(start, end);
      const marker = FENCE_OPEN.exec(line)?.[1];
      if (fence === undefined) {
        if (marker !== undefined) fence = { marker, start };
      } else if (marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length && line.trim() === marker) {
        spans.push({ start: fence.start, end });
        fence = undefined;
      }
    }
    if (fence !== undefined) spans.push({ start: fence.start, end: this.source.length });
    return spans;
  }

  /** True when an odd number of backticks precede `offset` on its line: it sits in an inline code span. */
  inInlineCode(offset: number): boolean {
    const lineStart = this.index.lineStart(this.index.lineOf(offset));
    return (this.source.slice(lineStart, offset).match(/`/g)?.length ?? 0) % 2 === 1;
  }
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.column - b.column;
}

function sortProblems(problems: SuppressionProblem[]): SuppressionProblem[] {
  return problems.sort((a, b) => comparePositions(a, b) || a.message.localeCompare(b.message));
}
