/**
 * The core: text and a compiled policy in, findings out. No file system, no process, no console,
 * so publishing platforms can call it on a post before it goes out.
 */
import { createHmac } from "node:crypto";
import { frontMatterHas, kindForFile, parseDocument, type DocKind, type ParsedDocument } from "../text/document.js";
import { LineIndex } from "../text/positions.js";
import { matchesOf } from "../text/search.js";
import { quotedMention } from "../text/mention.js";
import type { TextMap, TextRecording } from "../text/textmap.js";
import { buildView, sentenceAt, sentenceStarts, wordWindow } from "../text/view.js";
import type { Lexicon } from "../policy/lexicon.js";
import type { NeedleHits, NeedleIndex } from "../policy/needles.js";
import type { CompiledCondition, CompiledRule, FinderContext, FinderPart, Match, Policy } from "../policy/rule.js";
import type { Finding } from "../types.js";
import { maskSecret, maskSpans, SpanIndex } from "./mask.js";

export interface ScanOptions {
  /** The name findings carry; also chooses Markdown, HTML or plain text unless `kind` is given. */
  file: string;
  kind?: DocKind;
  /** Key for finding fingerprints (baselines, SARIF); the default is fine unless hashes must differ per repo. */
  fingerprintKey?: string;
  /** Collects the time spent in each rule (milliseconds), for --timing. */
  timing?: Map<string, number>;
  /** Told when a rule had more than MAX_FINDINGS_PER_RULE findings in this draft and the rest were left out. */
  onTruncated?: (ruleId: string, dropped: number) => void;
}

interface RawFinding {
  rule: CompiledRule;
  start: number;
  end: number;
  normalized: string;
}

const EXCERPT_MAX = 160;
/** The most of a "sentence" a condition looks at on either side of a match. */
const SENTENCE_REACH = 1000;

/** Scan one draft. Findings are sorted by line, column and rule id. */
export function scanText(text: string, policy: Policy, options: ScanOptions): Finding[] {
  const doc = parseDocument(text, options.kind ?? kindForFile(options.file));
  const ctx = new DocContext(doc, policy.lexicon, policy.needles, options.timing);
  const raw: RawFinding[] = [];
  for (const rule of policy.rules) {
    const t0 = options.timing ? performance.now() : 0;
    findingsFor(rule, ctx, raw, options.onTruncated);
    if (options.timing) options.timing.set(rule.id, (options.timing.get(rule.id) ?? 0) + performance.now() - t0 - ctx.takeSharedMs());
  }
  return toFindings(oneReportPerSpan(raw), doc, options);
}

const SEVERITY_RANK = { error: 3, warning: 2, info: 1 } as const;

/**
 * Two rules of one category that flag exactly the same text are one problem to the writer: keep
 * the more severe (then the first by id), so a report does not say the same thing twice.
 */
function oneReportPerSpan(raw: RawFinding[]): RawFinding[] {
  const best = new Map<string, RawFinding>();
  for (const r of raw) {
    const key = `${r.rule.category}\0${r.start}\0${r.end}`;
    const kept = best.get(key);
    const better =
      !kept ||
      SEVERITY_RANK[r.rule.severity] > SEVERITY_RANK[kept.rule.severity] ||
      (SEVERITY_RANK[r.rule.severity] === SEVERITY_RANK[kept.rule.severity] && r.rule.id < kept.rule.id);
    if (better) best.set(key, r);
  }
  return raw.filter((r) => best.get(`${r.rule.category}\0${r.start}\0${r.end}`) === r);
}

/** Per-document caches: views by scope set, sentence starts, document-level condition results. */
class DocContext {
  private views = new Map<string, TextMap>();
  /** Pieces already normalised for one view, for the next. */
  private normalized = new Map<object, TextRecording>();
  private sentences: number[] | undefined;
  private docTests = new Map<RegExp, boolean>();
  /**
   * The phrase-list and needle passes, by view text: when two views of a draft are the same text
   * (a post without code, links or front matter), each pass runs once.
   */
  private lexiconHits = new Map<string, Map<number, Match[]>>();
  private needleWindows = new Map<string, NeedleHits<FinderPart>>();
  readonly body: string;

  private sharedMs = 0;

  constructor(
    readonly doc: ParsedDocument,
    private readonly lexicon: Lexicon,
    private readonly needles: NeedleIndex<FinderPart>,
    private readonly timing?: Map<string, number>,
  ) {
    this.body = doc.source.slice(doc.bodyStart);
  }

  view(rule: CompiledRule): TextMap {
    let view = this.views.get(rule.scopeKey);
    if (!view) {
      view = this.timed("(text views)", () => buildView(this.doc, new Set(rule.scopes), this.normalized));
      this.views.set(rule.scopeKey, view);
    }
    return view;
  }

  /** Work shared by rules is timed on its own line, not charged to the first rule that needs it. */
  private timed<T>(label: string, work: () => T): T {
    if (!this.timing) return work();
    const t0 = performance.now();
    const result = work();
    const ms = performance.now() - t0;
    this.timing.set(label, (this.timing.get(label) ?? 0) + ms);
    this.sharedMs += ms;
    return result;
  }

  /** Time spent on shared work since the last call (subtracted from the rule that triggered it). */
  takeSharedMs(): number {
    const ms = this.sharedMs;
    this.sharedMs = 0;
    return ms;
  }

  /** What finders may ask of the view of `rule`: the shared lexicon pass, run once per view. */
  finderContext(rule: CompiledRule, text: string): FinderContext {
    return {
      lexicon: (owner) => {
        let hits = this.lexiconHits.get(text);
        if (!hits) {
          hits = this.timed("(phrase lists)", () => this.lexicon.run(text));
          this.lexiconHits.set(text, hits);
        }
        return hits.get(owner) ?? [];
      },
    };
  }

  /** Candidate matches of `rule` in its view: each part only around its needles, when it has some. */
  candidates(rule: CompiledRule, text: string): Match[] {
    let ctx: FinderContext | undefined;
    const out: Match[] = [];
    const parts = rule.parts;
    const groups = this.needles.groupsOf(parts);
    let hits: NeedleHits<FinderPart> | undefined;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as FinderPart;
      const g = groups[i] as number;
      let mine: Match[] | undefined;
      if (g >= 0) {
        hits ??= this.windowsOf(text);
        if (part.findAt) {
          const starts = hits.startsAt(g);
          if (starts) {
            if (starts.length > 0) for (const m of part.findAt(text, starts)) out.push(m);
            continue;
          }
        }
        mine = hits.windowsAt(g);
        if (mine.length === 0) continue;
      }
      ctx ??= this.finderContext(rule, text);
      if (!mine) {
        for (const m of part.find(text, ctx)) out.push(m);
        continue;
      }
      for (const w of mine) {
        const slice = w.start === 0 && w.end === text.length ? text : text.slice(w.start, w.end);
        for (const m of part.find(slice, ctx)) out.push({ start: m.start + w.start, end: m.end + w.start });
      }
    }
    return out;
  }

  private windowsOf(text: string): NeedleHits<FinderPart> {
    let windows = this.needleWindows.get(text);
    if (!windows) {
      windows = this.timed("(needle scan)", () => this.needles.windows(text));
      this.needleWindows.set(text, windows);
    }
    return windows;
  }

  inBody(re: RegExp): boolean {
    let result = this.docTests.get(re);
    if (result === undefined) {
      result = re.test(this.body);
      this.docTests.set(re, result);
    }
    return result;
  }

  /** The source window a condition looks at around source[start, end). */
  window(cond: CompiledCondition, start: number, end: number): string {
    const source = this.doc.source;
    const floor = start >= this.doc.bodyStart ? this.doc.bodyStart : 0;
    if (cond.within === "sentence") {
      this.sentences ??= sentenceStarts(source, this.doc.bodyStart);
      const [a] = sentenceAt(this.sentences, source.length, start);
      const [, b] = sentenceAt(this.sentences, source.length, Math.max(start, end - 1));
      // Text with no sentence ends (a minified page, a log pasted whole) is not one sentence:
      // a bounded window keeps every condition check, and so the whole scan, linear.
      return source.slice(Math.max(a, floor, start - SENTENCE_REACH), Math.min(b, end + SENTENCE_REACH));
    }
    const [a, b] = wordWindow(source, start, end, cond.within);
    return source.slice(Math.max(a, floor), b);
  }
}

/**
 * Findings one rule may report in one draft. Past this, a draft is not a post but a dump (a log,
 * a data file) and more of the same finding helps nobody, while each one costs memory in every
 * report; the rest are counted and reported as one notice.
 */
export const MAX_FINDINGS_PER_RULE = 500;

function findingsFor(rule: CompiledRule, ctx: DocContext, out: RawFinding[], onTruncated?: (ruleId: string, dropped: number) => void): void {
  if (rule.frontMatter && !frontMatterHas(rule.frontMatter, ctx.doc.frontMatter)) return;
  const view = ctx.view(rule);
  const text = view.text;
  let lastEnd = -1;
  let kept = 0;
  let dropped = 0;
  // Several patterns (or a finder's passes) report out of order; longest first at one position.
  const matches = ctx.candidates(rule, text).sort((a, b) => a.start - b.start || b.end - a.end);
  if (matches.length === 0) return;
  // Document conditions scan the whole body: only worth it once the rule has something to report.
  if (rule.requires && !ctx.inBody(rule.requires)) return;
  if (rule.unless && ctx.inBody(rule.unless)) return;
  for (const m of matches) {
    if (m.start < lastEnd) continue; // overlapping matches of one rule report once
    if (rule.exceptions && insideException(rule.exceptions, text, m.start, m.end)) continue;
    const start = view.sourceStart(m.start);
    const end = view.sourceEnd(m.end);
    if (!rule.near.every((c) => c.regex.test(ctx.window(c, start, end)))) continue;
    if (rule.notNear.some((c) => c.regex.test(ctx.window(c, start, end)))) continue;
    if (rule.skipMentions && quotedMention(ctx.doc.source, start, end)) continue;
    lastEnd = m.end;
    if (kept >= MAX_FINDINGS_PER_RULE) {
      dropped++;
      continue;
    }
    out.push({ rule, start, end, normalized: text.slice(m.start, m.end) });
    kept++;
  }
  if (dropped > 0) onTruncated?.(rule.id, dropped);
}

function insideException(re: RegExp, text: string, start: number, end: number): boolean {
  const from = Math.max(0, start - 120);
  const window = text.slice(from, Math.min(text.length, end + 120));
  for (const m of matchesOf(re, window)) {
    if (from + m.index <= start && from + m.index + m[0].length >= end) return true;
  }
  return false;
}

/**
 * HMAC-SHA-256 of the rule id and the normalised match. With a secret key (DRAFTGUARD_FINGERPRINT_KEY
 * in the CLI) a baseline or SARIF file cannot be used to test guesses of a short secret such as a
 * phone number; with the default key it is still free of the text itself.
 */
function fingerprint(key: string, ruleId: string, normalized: string): string {
  return createHmac("sha256", key)
    .update(`${ruleId}\0${normalized.toLowerCase().replace(/\s+/g, " ").trim()}`)
    .digest("hex")
    .slice(0, 32);
}

function toFindings(raw: RawFinding[], doc: ParsedDocument, options: ScanOptions): Finding[] {
  const lines = new LineIndex(doc.source);
  const source = doc.source;
  const sensitive = new SpanIndex(raw.filter((r) => r.rule.sensitive).map((r) => ({ start: r.start, end: r.end })));
  const key = options.fingerprintKey ?? "draftguard";
  const findings = raw.map((r): Finding => {
    const from = lines.position(r.start);
    const to = lines.position(r.end);
    const rule = r.rule;
    const matched = source.slice(r.start, r.end);
    const shown = rule.sensitive ? maskSecret(matched) : maskSpans(matched, r.start, sensitive);
    const masked = rule.sensitive || shown !== matched;
    const line = from.line - 1;
    const lineStart = lines.lineStart(line);
    const lineEnd = lines.lineEnd(source, line);
    let excerptStart = lineStart;
    let excerptEnd = lineEnd;
    if (lineEnd - lineStart > EXCERPT_MAX) {
      excerptStart = Math.max(lineStart, r.start - 40);
      excerptEnd = Math.min(lineEnd, Math.max(excerptStart + EXCERPT_MAX, Math.min(r.end, excerptStart + EXCERPT_MAX * 2)));
    }
    const excerpt = maskSpans(source.slice(excerptStart, excerptEnd), excerptStart, sensitive);
    const finding: Finding = {
      file: options.file,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      ruleId: rule.id,
      category: rule.category,
      severity: rule.severity,
      message: rule.message.replace(/\{match\}/g, () => display(shown)),
      description: rule.description,
      rationale: rule.rationale,
      remedy: rule.remedy,
      match: detach(shown),
      masked,
      excerpt: detach(excerpt),
      excerptColumn: excerptStart - lineStart + 1,
      fingerprint: fingerprint(key, rule.id, r.normalized),
    };
    if (rule.link !== undefined) finding.link = rule.link;
    return finding;
  });
  return findings.sort(compareFindings);
}

/**
 * A copy of `text` that does not hold on to the draft it was cut from. V8 makes a slice of a
 * string a view into the whole string, so a finding's match or excerpt kept the whole draft alive
 * as long as the finding lived: a scan that keeps its findings to the end kept most of its drafts
 * (measured: the main thread's heap grew by about 40 MB over 50 MB of drafts). Appending a
 * character and cutting it off again makes V8 copy the text into a string of its own. (A message
 * needs no copy: `replace` builds a new string from its parts.)
 */
function detach(text: string): string {
  return `${text} `.slice(0, -1);
}

/** Matched text as a message shows it: white space folded, long matches shortened. */
function display(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn
  );
}
