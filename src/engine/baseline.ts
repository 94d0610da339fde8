/**
 * Baselines: findings accepted once, so that a scan reports only new ones.
 *
 * An entry is keyed by rule id, file and the finding's fingerprint (a keyed hash of the rule id and the
 * normalised matched text, computed by the core). It holds no line numbers, so editing other lines
 * keeps it valid, and no text, so the baseline cannot leak what it accepts. `count` makes it exact:
 * a file with the same accepted finding twice covers two, and a third is new.
 * Pure: no file system, process or console.
 */
import type { Finding } from "../types.js";

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  count: number;
}

export interface Baseline {
  version: 1;
  entries: BaselineEntry[];
}

export interface AppliedBaseline {
  /** Findings the baseline does not cover, in the order given. */
  fresh: Finding[];
  /** Findings the baseline covers, in the order given. */
  baselined: Finding[];
  /** Entries (or the part of their count) that matched no finding: the text was fixed or removed. */
  stale: BaselineEntry[];
}

type EntryKey = Pick<BaselineEntry, "ruleId" | "file" | "fingerprint">;

/** JSON.stringify of an array never collides, whatever characters the parts contain. */
function keyOf(entry: EntryKey): string {
  return JSON.stringify([entry.ruleId, entry.file, entry.fingerprint]);
}

function compareEntries(a: EntryKey, b: EntryKey): number {
  return compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts entries by key, merging repeats. */
function tally(entries: Iterable<BaselineEntry>): Map<string, BaselineEntry> {
  const byKey = new Map<string, BaselineEntry>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const known = byKey.get(key);
    if (known === undefined) byKey.set(key, { ...entry });
    else known.count += entry.count;
  }
  return byKey;
}

function sortedEntries(byKey: Map<string, BaselineEntry>): BaselineEntry[] {
  return [...byKey.values()].sort(compareEntries);
}

/** A baseline accepting every finding given; entries sorted by file, rule id and fingerprint. */
export function createBaseline(findings: Finding[]): Baseline {
  const entries = tally(
    findings.map((finding) => ({ ruleId: finding.ruleId, file: finding.file, fingerprint: finding.fingerprint, count: 1 })),
  );
  return { version: 1, entries: sortedEntries(entries) };
}

/**
 * Separates findings the baseline accepts from new ones. When a file has more identical findings than
 * the entry counts, the first ones by position are baselined and the rest are fresh.
 */
export function applyBaseline(findings: Finding[], baseline: Baseline): AppliedBaseline {
  const remaining = tally(baseline.entries);
  const byPosition = [...findings].sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
  const accepted = new Set<Finding>();
  for (const finding of byPosition) {
    const entry = remaining.get(keyOf(finding));
    if (entry === undefined || entry.count === 0) continue;
    entry.count--;
    accepted.add(finding);
  }
  for (const [key, entry] of remaining) if (entry.count === 0) remaining.delete(key);
  return {
    fresh: findings.filter((finding) => !accepted.has(finding)),
    baselined: findings.filter((finding) => accepted.has(finding)),
    stale: sortedEntries(remaining),
  };
}

/** Reads a baseline file; any problem is an Error with one line naming `file` and how to fix it. */
export function parseBaseline(text: string, file: string): Baseline {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}: fix the file, or write it again with \`draftguard baseline\``);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return fail(`not valid JSON (${reason})`);
  }
  if (!isRecord(data)) return fail("expected a JSON object with version and entries");
  if (data.version !== 1) {
    return fail(`unsupported baseline version ${JSON.stringify(data.version) ?? "(missing)"}, expected 1`);
  }
  if (!Array.isArray(data.entries)) return fail('"entries" must be a list');
  const entries = data.entries.map((value: unknown, index): BaselineEntry => {
    const where = `entry ${index + 1}`;
    if (!isRecord(value)) return fail(`${where} must be an object`);
    for (const key of ["ruleId", "file", "fingerprint"] as const) {
      if (typeof value[key] !== "string" || value[key] === "") return fail(`${where}: "${key}" must be a non-empty string`);
    }
    const count = value.count;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      return fail(`${where}: "count" must be a whole number of at least 1`);
    }
    return { ruleId: String(value.ruleId), file: String(value.file), fingerprint: String(value.fingerprint), count };
  });
  return { version: 1, entries: sortedEntries(tally(entries)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
