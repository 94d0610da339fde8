/**
 * A file's outcome as a worker sends it to the main thread. A finding's description, rationale,
 * remedy and link are its rule's and the same in every finding of that rule; the main thread has
 * them from the rule pack, so a worker leaves them out and the main thread puts them back. On a
 * 200 MB corpus that is about 45 % of what crosses between threads, and the main thread no longer
 * deserialises, then drops, a copy of those texts for each of tens of thousands of findings.
 */
import { SEVERITIES, type Finding, type RuleMeta } from "../types.js";
import type { FileOutcome } from "./pipeline.js";

/** A finding without the texts its rule carries. */
export type WireFinding = Omit<Finding, "description" | "rationale" | "remedy" | "link">;
export interface WireOutcome extends Omit<FileOutcome, "findings" | "raw"> {
  findings: WireFinding[];
  raw?: WireFinding[];
}

/**
 * The outcome with each of its findings mapped once, however many lists hold it: `raw` is usually
 * the list `findings` is, and stays one list.
 */
function mapFindings<A extends object, B>(outcome: Omit<FileOutcome, "findings" | "raw"> & { findings: A[]; raw?: A[] }, each: (f: A) => B): Omit<FileOutcome, "findings" | "raw"> & { findings: B[]; raw?: B[] } {
  const done = new Map<A, B>();
  const one = (f: A): B => {
    let out = done.get(f);
    if (out === undefined) {
      out = each(f);
      done.set(f, out);
    }
    return out;
  };
  const { findings, raw, ...rest } = outcome;
  const list = findings.map(one);
  return { ...rest, findings: list, ...(raw ? { raw: raw === findings ? list : raw.map(one) } : {}) };
}

export function toWire(outcome: FileOutcome): WireOutcome {
  return mapFindings(outcome, (f): WireFinding => {
    const { description: _d, rationale: _r, remedy: _m, link: _l, ...rest } = f;
    return rest;
  });
}

/**
 * The outcome with each finding whole again, its fields in the order a scan gives them (the JSON
 * report's order). A rule the main thread does not know cannot come from a worker that loaded the
 * same configuration; it is an error, not a finding without its texts.
 */
export function fromWire(outcome: WireOutcome, rules: ReadonlyMap<string, RuleMeta>): FileOutcome {
  return mapFindings(outcome, (f): Finding => {
    const rule = rules.get(f.ruleId);
    if (!rule) throw new Error(`a worker reported rule ${f.ruleId}, which this thread's policy does not have`);
    const whole: Finding = {
      // One copy of the strings that repeat from finding to finding: deserialising gives each its own.
      file: f.file === outcome.file ? outcome.file : f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      ruleId: rule.id,
      category: rule.category,
      severity: SEVERITIES.find((s) => s === f.severity) ?? f.severity,
      message: f.message,
      description: rule.description,
      rationale: rule.rationale,
      remedy: rule.remedy,
      match: f.match,
      masked: f.masked,
      excerpt: f.excerpt,
      excerptColumn: f.excerptColumn,
      fingerprint: f.fingerprint,
    };
    if (rule.link !== undefined) whole.link = rule.link;
    return whole;
  });
}
