/**
 * One scan for the needles of every prefiltered finder part (see prefilter.ts), then windows
 * around the hits: a part (one pattern of a rule) whose needles do not occur in a view is skipped,
 * and one whose needles occur only here and there runs only on the text around them.
 */
import type { Match } from "./rule.js";
import { DIGITS } from "./prefilter.js";
import { escapeRegex } from "./terms.js";

/** Text a pattern may need on either side of a needle: patterns in packs are a few hundred chars at most. */
const REACH = 400;
/** Past this many hits a part just runs on the whole view. */
const MAX_HITS = 200;

/** Anything with needles: a finder part. */
export interface Needled {
  readonly needles?: readonly string[] | undefined;
}

export class NeedleIndex<T extends Needled = Needled> {
  private readonly regex: RegExp | undefined;
  /** Needle text to its number; DIGITS is number `digitsId`. */
  private readonly ids = new Map<string, number>();
  private readonly digitsId: number;
  /**
   * Units sharing the same crediting needles, with those needles' numbers: the windows of a group
   * are worked out once per text, however many parts (patterns) it holds.
   */
  private readonly groups: { units: T[]; creditors: number[] }[] = [];

  constructor(units: Iterable<T>) {
    const owners = new Map<string, T[]>();
    for (const unit of units) {
      for (const needle of unit.needles ?? []) {
        const list = owners.get(needle) ?? [];
        list.push(unit);
        owners.set(needle, list);
      }
    }
    const all = [...owners.keys()].filter((n) => n !== DIGITS).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    all.forEach((needle, i) => this.ids.set(needle, i));
    this.digitsId = all.length;
    // The scan reports the longest needle at a position; every shorter needle it starts with
    // occurs there too, so a unit is credited with the hits of every needle that starts with one
    // of its own.
    const creditors = new Map<T, Set<number>>();
    const credit = (unit: T, id: number) => {
      const set = creditors.get(unit) ?? new Set<number>();
      set.add(id);
      creditors.set(unit, set);
    };
    for (const needle of all) {
      for (const shorter of all) {
        if (shorter.length <= needle.length && needle.startsWith(shorter)) for (const u of owners.get(shorter) ?? []) credit(u, this.ids.get(needle) as number);
      }
    }
    for (const u of owners.get(DIGITS) ?? []) credit(u, this.digitsId);
    const byKey = new Map<string, { units: T[]; creditors: number[] }>();
    for (const [unit, ids] of creditors) {
      const list = [...ids].sort((a, b) => a - b);
      const key = list.join(",");
      const group = byKey.get(key) ?? { units: [], creditors: list };
      group.units.push(unit);
      byKey.set(key, group);
    }
    this.groups = [...byKey.values()];
    const sources = all.map(escapeRegex);
    if (owners.has(DIGITS)) sources.push("\\d{3}");
    this.regex = sources.length > 0 ? new RegExp(sources.join("|"), "g") : undefined;
  }

  /**
   * For each part with needles: the windows of `text` to run on ([] = skip the part). Parts
   * missing from the map run on the whole text.
   */
  windows(text: string): Map<T, Match[]> {
    const out = new Map<T, Match[]>();
    if (!this.regex) return out;
    const lower = text.toLowerCase();
    if (lower.length !== text.length) return out; // case folding changed offsets: no prefilter here
    // Hit positions by needle number, each list capped just past MAX_HITS.
    const hits: (number[] | undefined)[] = [];
    const record = (id: number, at: number) => {
      const list = hits[id];
      if (!list) hits[id] = [at];
      else if (list.length <= MAX_HITS) list.push(at);
    };
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      const found = m[0];
      const id = this.ids.get(found);
      if (id !== undefined) record(id, m.index);
      // A digit run: the digits needle, also when a literal needle made of digits won the position.
      if (id === undefined || (found.length >= 3 && isDigit(found.charCodeAt(0)) && isDigit(found.charCodeAt(1)) && isDigit(found.charCodeAt(2)))) record(this.digitsId, m.index);
      // Overlapping needles ("arr" inside "carry"): step one character, not past the match.
      re.lastIndex = m.index + 1;
    }
    const whole = [{ start: 0, end: text.length }];
    for (const group of this.groups) {
      let count = 0;
      for (const id of group.creditors) count += hits[id]?.length ?? 0;
      let windows: Match[];
      if (count === 0) windows = [];
      else if (count > MAX_HITS) windows = whole;
      else {
        const positions: number[] = [];
        for (const id of group.creditors) for (const p of hits[id] ?? []) positions.push(p);
        windows = mergeWindows(text, positions.sort((a, b) => a - b));
      }
      for (const unit of group.units) out.set(unit, windows);
    }
    return out;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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
