/**
 * One scan for the needles of every prefiltered finder part (see prefilter.ts), then windows
 * around the hits: a part (one pattern of a rule) whose needles do not occur in a view is skipped,
 * and one whose needles occur only here and there runs only on the text around them.
 *
 * The scan is an Aho-Corasick automaton (a DFA over the characters the needles use): one table
 * lookup per character finds every needle, overlapping ones included, without lower-casing the
 * text or building a match object per hit. A union regular expression did the same job four to
 * five times slower, most of it in per-match overhead: common needles hit every few dozen
 * characters of ordinary prose.
 */
import type { Match } from "./rule.js";
import { DIGIT, DIGITS } from "./prefilter.js";

/** Text a pattern may need on either side of a needle: patterns in packs are a few hundred chars at most. */
const REACH = 400;
/** Past this many hits a part just runs on the whole view. */
const MAX_HITS = 200;

/** Anything with needles: a finder part. */
export interface Needled {
  readonly needles?: readonly string[] | undefined;
  /** Sets one string of each of which must occur somewhere in the text, else the unit is skipped. */
  readonly also?: readonly (readonly string[])[] | undefined;
  /** How far from a needle a match can reach (default REACH). */
  readonly reach?: number | undefined;
}

interface Automaton {
  /** Character code to alphabet symbol; 0 for characters no needle uses. */
  symbolOf: Uint8Array | Uint16Array;
  symbols: number;
  /** Next state by state * symbols + symbol. */
  next: Uint16Array | Uint32Array;
  /** Needle numbers ending in each state: ends[endStart[s] .. endStart[s + 1]). */
  endStart: Uint32Array;
  ends: Uint32Array;
}

export class NeedleIndex<T extends Needled = Needled> {
  /** Needles by number; DIGITS (a run of three digits) and DIGIT have the next two numbers and no entry. */
  private readonly needles: string[];
  private readonly digitsId: number;
  private readonly digitId: number;
  private readonly hasDigits: boolean;
  private readonly hasDigit: boolean;
  /**
   * Units sharing the same needles, with those needles' numbers: the windows of a group are worked
   * out once per text, however many parts (patterns) it holds.
   */
  private readonly groups: { units: T[]; needles: number[]; also: number[][]; reach: number }[];
  private automaton: Automaton | undefined;
  private lengths: Uint32Array | undefined;
  /** Scratch space for hits, kept between texts. */
  private pairs = new Int32Array(1024);

  constructor(units: Iterable<T>) {
    const ids = new Map<string, number>();
    const byKey = new Map<string, { units: T[]; needles: number[]; also: number[][]; reach: number }>();
    let hasDigits = false;
    let hasDigit = false;
    const needles: string[] = [];
    const unitList = [...units];
    for (const unit of unitList) {
      for (const needle of [...(unit.needles ?? []), ...(unit.also ?? []).flat()]) {
        if (needle === DIGITS) hasDigits = true;
        else if (needle === DIGIT) hasDigit = true;
        else if (!ids.has(needle)) ids.set(needle, needles.push(needle) - 1);
      }
    }
    this.digitsId = needles.length;
    this.digitId = needles.length + 1;
    const numbers = (list: readonly string[]) => [...new Set(list.map((n) => (n === DIGITS ? this.digitsId : n === DIGIT ? this.digitId : (ids.get(n) as number))))].sort((x, y) => x - y);
    for (const unit of unitList) {
      if (!unit.needles) continue;
      const mine = numbers(unit.needles);
      const also = (unit.also ?? []).map(numbers);
      const reach = Math.min(REACH, unit.reach ?? REACH);
      const key = JSON.stringify([mine, also, reach]);
      const group = byKey.get(key) ?? { units: [], needles: mine, also, reach };
      group.units.push(unit);
      byKey.set(key, group);
    }
    this.needles = needles;
    this.hasDigits = hasDigits;
    this.hasDigit = hasDigit;
    this.groups = [...byKey.values()];
  }

  /**
   * For each part with needles: the windows of `text` to run on ([] = skip the part). Parts
   * missing from the map run on the whole text.
   */
  windows(text: string): Map<T, Match[]> {
    const out = new Map<T, Match[]>();
    if (this.groups.length === 0) return out;
    const { symbolOf, symbols, next, endStart, ends } = (this.automaton ??= buildAutomaton(this.needles));
    const lengths = (this.lengths ??= Uint32Array.from(this.needles, (n) => n.length));
    // Every hit as (needle, position) pairs, but no more than MAX_HITS + 1 per needle: past that
    // the needle's parts run on the whole view anyway.
    const counts = new Uint32Array(this.digitId + 1);
    let pairs = this.pairs;
    let size = 0;
    const record = (id: number, at: number) => {
      if ((counts[id] as number) > MAX_HITS) return;
      counts[id] = (counts[id] as number) + 1;
      if (size + 2 > pairs.length) {
        const grown = new Int32Array(pairs.length * 2);
        grown.set(pairs);
        this.pairs = pairs = grown;
      }
      pairs[size++] = id;
      pairs[size++] = at;
    };
    const digits = this.hasDigits || this.hasDigit;
    let state = 0;
    let run = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      state = next[state * symbols + (symbolOf[c] as number)] as number;
      const to = endStart[state + 1] as number;
      for (let k = endStart[state] as number; k < to; k++) {
        const id = ends[k] as number;
        record(id, i + 1 - (lengths[id] as number));
      }
      if (digits) {
        if (c >= 48 && c <= 57) {
          // A run of digits is one hit at its start (and another every REACH digits of a long one).
          const at = ++run % REACH;
          if (at === 1) record(this.digitId, i);
          else if (at === 3) record(this.digitsId, i - 2);
        } else run = 0;
      }
    }
    // Positions grouped by needle (a counting sort of the pairs), in text order within a needle.
    const first = new Uint32Array(counts.length + 1);
    for (let id = 0; id < counts.length; id++) first[id + 1] = (first[id] as number) + (counts[id] as number);
    const fill = first.slice(0, counts.length);
    const positions = new Int32Array(size / 2);
    for (let k = 0; k < size; k += 2) {
      const id = pairs[k] as number;
      positions[fill[id] as number] = pairs[k + 1] as number;
      fill[id] = (fill[id] as number) + 1;
    }
    const whole = [{ start: 0, end: text.length }];
    for (const group of this.groups) {
      let count = 0;
      for (const id of group.needles) count += counts[id] as number;
      let windows: Match[];
      if (count === 0 || !group.also.every((set) => set.some((id) => (counts[id] as number) > 0))) windows = [];
      else if (count > MAX_HITS) windows = whole;
      else {
        const mine: number[] = [];
        for (const id of group.needles) for (let k = first[id] as number; k < (first[id + 1] as number); k++) mine.push(positions[k] as number);
        windows = mergeWindows(text, group.needles.length > 1 ? Int32Array.from(mine).sort() : mine, group.reach);
      }
      for (const unit of group.units) out.set(unit, windows);
    }
    return out;
  }
}

/**
 * The automaton of `needles` (lower case), matching text case-insensitively: a character maps to
 * the symbol of its lower-case form. Built on the first scan, not at policy load, so a run that
 * never scans (rules list, a cached result) does not pay for it.
 */
function buildAutomaton(needles: string[]): Automaton {
  // The alphabet: every character the needles use, with its upper-case form folded onto it.
  const symbolOf = new Uint16Array(65536);
  let symbols = 1;
  // All white space reads as one space, as the prefilter assumes (prefilter.ts, fold).
  if (needles.some((n) => n.includes(" "))) {
    const space = symbols++;
    for (const code of WHITE_SPACE) symbolOf[code] = space;
  }
  for (const needle of needles) {
    for (const ch of needle) {
      for (let u = 0; u < ch.length; u++) {
        const code = ch.charCodeAt(u);
        if (symbolOf[code] !== 0) continue;
        const symbol = symbols++;
        symbolOf[code] = symbol;
        const upper = ch.length === 1 ? ch.toUpperCase() : ch;
        if (upper.length === 1 && upper !== ch && symbolOf[upper.charCodeAt(0)] === 0) symbolOf[upper.charCodeAt(0)] = symbol;
      }
    }
  }
  // The trie, written straight into the transition table (0 = no child yet; the root is never a child).
  const bound = needles.reduce((n, needle) => n + needle.length, 1);
  let next = new Uint32Array(bound * symbols);
  const endsAt: number[][] = [[]];
  let states = 1;
  needles.forEach((needle, id) => {
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const slot = state * symbols + (symbolOf[needle.charCodeAt(i)] as number);
      if (next[slot] === 0) {
        next[slot] = states++;
        endsAt.push([]);
      }
      state = next[slot] as number;
    }
    endsAt[state]?.push(id);
  });
  next = next.slice(0, states * symbols);
  // Failure links, breadth first so they always point to states already completed; a missing
  // child takes the failure state's transition, which turns the trie into a DFA.
  const fail = new Uint32Array(states);
  const order = new Uint32Array(states);
  let queued = 1;
  for (let q = 0; q < queued; q++) {
    const state = order[q] as number;
    const row = state * symbols;
    const failRow = (fail[state] as number) * symbols;
    for (let symbol = 0; symbol < symbols; symbol++) {
      const child = next[row + symbol] as number;
      // A row is rewritten only when its state is dequeued, so here it still holds trie children.
      if (child === 0) {
        next[row + symbol] = state === 0 ? 0 : (next[failRow + symbol] as number);
        continue;
      }
      fail[child] = state === 0 ? 0 : (next[failRow + symbol] as number);
      // Needles that end where a shorter suffix of this path ends ("ring" inside "during").
      for (const id of endsAt[fail[child] as number] ?? []) endsAt[child]?.push(id);
      order[queued++] = child;
    }
  }
  // States renumbered breadth first, so the shallow states ordinary text keeps visiting sit
  // together in memory; 16-bit entries where they fit, to halve the table.
  const rank = new Uint32Array(states);
  order.forEach((state, i) => (rank[state] = i));
  const table = states <= 0xffff ? new Uint16Array(states * symbols) : new Uint32Array(states * symbols);
  for (let i = 0; i < states; i++) {
    const from = (order[i] as number) * symbols;
    for (let symbol = 0; symbol < symbols; symbol++) table[i * symbols + symbol] = rank[next[from + symbol] as number] as number;
  }
  const endStart = new Uint32Array(states + 1);
  for (let i = 0; i < states; i++) endStart[i + 1] = (endStart[i] as number) + (endsAt[order[i] as number]?.length ?? 0);
  const ends = new Uint32Array(endStart[states] as number);
  for (let i = 0; i < states; i++) ends.set(endsAt[order[i] as number] ?? [], endStart[i] as number);
  return { symbolOf, symbols, next: table, endStart, ends };
}

function mergeWindows(text: string, positions: ArrayLike<number> & Iterable<number>, reach: number): Match[] {
  const windows: Match[] = [];
  for (const p of positions) {
    let start = Math.max(0, p - reach);
    let end = Math.min(text.length, p + reach);
    // Start and end at white space, so a window never begins inside a word.
    while (start > 0 && start > p - reach - 64 && !isSpace(text, start - 1)) start--;
    while (end < text.length && end < p + reach + 64 && !isSpace(text, end)) end++;
    const last = windows[windows.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else windows.push({ start, end });
  }
  const covered = windows.reduce((n, w) => n + w.end - w.start, 0);
  return covered > text.length / 2 ? [{ start: 0, end: text.length }] : windows;
}

const SPACE = /\s/;
/** Every character `\s` matches. */
const WHITE_SPACE = [9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(text[i] as string));
}
