/**
 * One scan for the needles of every prefiltered rule (see prefilter.ts), then windows around the
 * hits: a rule whose needles do not occur in a view is skipped, and one whose needles occur only
 * here and there runs only on the text around them.
 */
import type { CompiledRule, Match } from "./rule.js";
import { DIGITS } from "./prefilter.js";
import { escapeRegex } from "./terms.js";

/** Text a pattern may need on either side of a needle: patterns in packs are a few hundred chars at most. */
const REACH = 400;
/** Past this many hits a rule just runs on the whole view. */
const MAX_HITS = 200;

export class NeedleIndex {
  private readonly regex: RegExp | undefined;
  private readonly owners = new Map<string, CompiledRule[]>();
  private readonly credited = new Map<string, CompiledRule[]>();

  constructor(rules: readonly CompiledRule[]) {
    for (const rule of rules) {
      for (const needle of rule.find.needles ?? []) {
        const list = this.owners.get(needle) ?? [];
        list.push(rule);
        this.owners.set(needle, list);
      }
    }
    const all = [...this.owners.keys()].filter((n) => n !== DIGITS).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    // The scan reports the longest needle at a position; every shorter needle it starts with
    // occurs there too, so its rules are credited with the same hit.
    for (const needle of all) {
      const credited = new Set(this.owners.get(needle));
      for (const shorter of all) {
        if (shorter.length < needle.length && needle.startsWith(shorter)) for (const r of this.owners.get(shorter) ?? []) credited.add(r);
      }
      this.credited.set(needle, [...credited]);
    }
    if (this.owners.has(DIGITS)) this.credited.set(DIGITS, this.owners.get(DIGITS) ?? []);
    const sources = all.map(escapeRegex);
    if (this.owners.has(DIGITS)) sources.push("\\d{3}");
    this.regex = sources.length > 0 ? new RegExp(sources.join("|"), "g") : undefined;
  }

  /**
   * For each prefiltered rule: the windows of `text` to run on ([] = skip the rule). Rules missing
   * from the map run on the whole text.
   */
  windows(text: string): Map<CompiledRule, Match[]> {
    const out = new Map<CompiledRule, Match[]>();
    if (!this.regex) return out;
    const lower = text.toLowerCase();
    if (lower.length !== text.length) return out; // case folding changed offsets: no prefilter here
    const hits = new Map<CompiledRule, number[]>();
    for (const rules of this.owners.values()) for (const rule of rules) hits.set(rule, []);
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      const key = m[0].charCodeAt(0) >= 48 && m[0].charCodeAt(0) <= 57 && /^\d{3}$/.test(m[0]) && !this.owners.has(m[0]) ? DIGITS : m[0];
      for (const rule of this.credited.get(key) ?? []) {
        const list = hits.get(rule) as number[];
        if (list.length <= MAX_HITS) list.push(m.index);
      }
      // Overlapping needles ("arr" inside "carry"): step one character, not past the match.
      re.lastIndex = m.index + 1;
    }
    for (const [rule, positions] of hits) {
      if (positions.length > MAX_HITS) continue;
      out.set(rule, mergeWindows(text, positions));
    }
    return out;
  }
}

function mergeWindows(text: string, positions: number[]): Match[] {
  const windows: Match[] = [];
  for (const p of positions) {
    let start = Math.max(0, p - REACH);
    let end = Math.min(text.length, p + REACH);
    // Start and end at white space, so a window never begins inside a word.
    while (start > 0 && start > p - REACH - 64 && !/\s/.test(text[start - 1] as string)) start--;
    while (end < text.length && end < p + REACH + 64 && !/\s/.test(text[end] as string)) end++;
    const last = windows[windows.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else windows.push({ start, end });
  }
  const covered = windows.reduce((n, w) => n + w.end - w.start, 0);
  return covered > text.length / 2 ? [{ start: 0, end: text.length }] : windows;
}
