/**
 * One scan for the needles of every prefiltered finder part (see prefilter.ts), then windows
 * around the hits: a part (one pattern of a rule) whose needles do not occur in a view is skipped,
 * and one whose needles occur only here and there runs only on the text around them, or, when
 * its needles are the strings its matches start with, only where one of them starts.
 *
 * The scan is an Aho-Corasick automaton (a DFA over the characters the needles use): one table
 * lookup per character finds every needle, overlapping ones included, without lower-casing the
 * text or building a match object per hit. A union regular expression did the same job four to
 * five times slower, most of it in per-match overhead: common needles hit every few dozen
 * characters of ordinary prose. A run that scans only a post or two never builds the automaton:
 * short texts are searched without it (see searchEach).
 */
import type { Match } from "./rule.js";
import { DIGIT, DIGITS } from "./prefilter.js";

/** Text a pattern may need on either side of a needle: patterns in packs are a few hundred chars at most. */
const REACH = 400;
/**
 * Texts up to this long are searched needle by needle until BEFORE_AUTOMATON characters in all;
 * the automaton costs some 15 ms to build, which a post or two cannot repay.
 */
const SMALL_TEXT = 32 * 1024;
const BEFORE_AUTOMATON = 64 * 1024;
/** In a transition table entry: the transition is in the automaton's map of far ones. */
const FAR = 0xffff;
/** States with a row in the transition table (see Automaton): 2.2 MB at the pack's 67 symbols. */
const DENSE = 16384;

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

/**
 * Aho-Corasick over the needles, as a DFA completed lazily: the trie and its failure links are
 * built up front (linear in the needles' length), and a missing transition is worked out from
 * the failure links the first time the text takes it, then remembered. Filling the whole table
 * up front cost 40-70 ms for the default pack's 3,000 needles in a cold process, most of it for
 * transitions no post ever takes.
 *
 * States are numbered breadth first, so the shallow ones ordinary text keeps visiting sit
 * together in memory, and a transition holds `state + 1` in 16 bits: the scan reads one small
 * table entry per character, and one byte (`ends`) to know whether to look further. A transition
 * to one of the deepest states, numbered past 16 bits, holds FAR and is kept in a map: text
 * rarely gets that deep into a needle, and a 32-bit table for every state (the pack passed
 * 65,535 states) doubled the table, to 17 MB per thread.
 *
 * Only the first DENSE states (the shallowest) have a row in that table. A deeper state keeps
 * just its trie children, in a list, and on any other character goes down its failure links to
 * a state that has a row. A row per state was 11 MB per thread for the pack's 86,000 states,
 * nearly all of them one character into the tail of a long needle, where text seldom goes.
 */
class Automaton {
  /** Character code to alphabet symbol; 0 for characters no needle uses. */
  readonly symbolOf = new Uint16Array(65536);
  readonly symbols: number;
  /** Next state + 1 by state * symbols + symbol (see above), for states below `dense`; 0 until worked out. */
  readonly next: Uint16Array;
  /** The states with a row in `next`; the others list their trie children (`kidStart`, `kidSymbol`, `kidTo`). */
  readonly dense: number;
  /** A deep state's trie children: kidSymbol/kidTo[kidStart[s - dense] .. kidStart[s - dense + 1]). */
  private readonly kidStart: Uint32Array;
  private readonly kidSymbol: Uint16Array;
  private readonly kidTo: Int32Array;
  /** Transitions that hold FAR in `next`, by slot. */
  private readonly far = new Map<number, number>();
  /** 1 where a needle ends in a state or down its dictionary links. */
  readonly ends: Uint8Array;
  private readonly fail: Int32Array;
  /** Needles ending exactly in a state: own[ownStart[s] .. ownStart[s + 1]). */
  readonly ownStart: Uint32Array;
  readonly own: Uint32Array;
  /** The nearest state down the failure links where a needle ends (-1: none): "ring" in "during". */
  readonly dict: Int32Array;

  constructor(needles: string[]) {
    // The alphabet: every character the needles use, with its upper-case form folded onto it.
    const symbolOf = this.symbolOf;
    let symbols = 1;
    // All white space reads as one space, as the prefilter assumes (prefilter.ts, fold).
    if (needles.some((n) => n.includes(" "))) {
      const space = symbols++;
      for (const code of WHITE_SPACE) symbolOf[code] = space;
    }
    for (const needle of needles) {
      for (let u = 0; u < needle.length; u++) {
        const code = needle.charCodeAt(u);
        if (symbolOf[code] !== 0) continue;
        const symbol = symbols++;
        symbolOf[code] = symbol;
        const upper = String.fromCharCode(code).toUpperCase();
        if (upper.length === 1 && symbolOf[upper.charCodeAt(0)] === 0) symbolOf[upper.charCodeAt(0)] = symbol;
      }
    }
    this.symbols = symbols;
    // The trie, children chained per state. Every loop here runs once per process, before V8 has
    // optimised anything, so each is linear in the needles' length.
    const child = new Map<number, number>();
    const firstChild: number[] = [-1];
    const sibling: number[] = [-1];
    const via: number[] = [0];
    const endsAt: number[] = [];
    let states = 1;
    for (const needle of needles) {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const symbol = symbolOf[needle.charCodeAt(i)] as number;
        const key = state * symbols + symbol;
        let to = child.get(key);
        if (to === undefined) {
          to = states++;
          child.set(key, to);
          via.push(symbol);
          firstChild.push(-1);
          sibling.push(firstChild[state] as number);
          firstChild[state] = to;
        }
        state = to;
      }
      endsAt.push(state);
    }
    // Breadth-first numbering: order[new] = old, rank[old] = new.
    const order = new Int32Array(states);
    const rank = new Int32Array(states);
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      for (let c = firstChild[order[head] as number] as number; c >= 0; c = sibling[c] as number) {
        rank[c] = tail;
        order[tail++] = c;
      }
    }
    // Own outputs, grouped by state.
    const ownStart = new Uint32Array(states + 1);
    for (const old of endsAt) ownStart[(rank[old] as number) + 1] = (ownStart[(rank[old] as number) + 1] as number) + 1;
    for (let st = 0; st < states; st++) ownStart[st + 1] = (ownStart[st + 1] as number) + (ownStart[st] as number);
    const fill = ownStart.slice(0, states);
    const own = new Uint32Array(endsAt.length);
    endsAt.forEach((old, id) => {
      const st = rank[old] as number;
      own[fill[st] as number] = id;
      fill[st] = (fill[st] as number) + 1;
    });
    this.ownStart = ownStart;
    this.own = own;
    // Trie edges, in the new numbering: child + 1 in the table for shallow states, a list for deep ones.
    const dense = (this.dense = Math.min(states, DENSE));
    const next = (this.next = new Uint16Array(dense * symbols));
    for (let st = 0; st < dense; st++) {
      for (let c = firstChild[order[st] as number] as number; c >= 0; c = sibling[c] as number) this.set(st * symbols + (via[c] as number), (rank[c] as number) + 1);
    }
    const kidStart = (this.kidStart = new Uint32Array(states - dense + 1));
    for (let st = dense; st < states; st++) {
      let kids = 0;
      for (let c = firstChild[order[st] as number] as number; c >= 0; c = sibling[c] as number) kids++;
      kidStart[st - dense + 1] = (kidStart[st - dense] as number) + kids;
    }
    const kidSymbol = (this.kidSymbol = new Uint16Array(kidStart[states - dense] as number));
    const kidTo = (this.kidTo = new Int32Array(kidSymbol.length));
    for (let st = dense; st < states; st++) {
      let k = kidStart[st - dense] as number;
      for (let c = firstChild[order[st] as number] as number; c >= 0; c = sibling[c] as number, k++) {
        kidSymbol[k] = via[c] as number;
        kidTo[k] = rank[c] as number;
      }
    }
    // Failure and dictionary links, breadth first (a state's failure state is always shallower),
    // following trie edges only: the failure of a child is where its parent's failure goes on
    // the child's symbol.
    const fail = (this.fail = new Int32Array(states));
    const dict = (this.dict = new Int32Array(states).fill(-1));
    const goTo = (from: number, symbol: number): number => {
      for (let st = from; ; st = fail[st] as number) {
        const to = this.child(st, symbol);
        if (to >= 0) return to;
        if (st === 0) return 0;
      }
    };
    for (let st = 0; st < states; st++) {
      for (let c = firstChild[order[st] as number] as number; c >= 0; c = sibling[c] as number) {
        const kid = rank[c] as number;
        const f = st === 0 ? 0 : goTo(fail[st] as number, via[c] as number);
        fail[kid] = f;
        dict[kid] = (ownStart[f + 1] as number) > (ownStart[f] as number) ? f : (dict[f] as number);
      }
    }
    const ends = (this.ends = new Uint8Array(states));
    for (let st = 0; st < states; st++) ends[st] = (ownStart[st + 1] as number) > (ownStart[st] as number) || (dict[st] as number) >= 0 ? 1 : 0;
    // The root's own row: it stays at the root on anything else.
    for (let symbol = 0; symbol < symbols; symbol++) if (next[symbol] === 0) next[symbol] = 1;
  }

  /**
   * The DFA transition (next state + 1) from `state` on `symbol`: worked out from the failure
   * links, and remembered for a state with a row in the table.
   */
  step(state: number, symbol: number): number {
    if (state >= this.dense) {
      const to = this.child(state, symbol);
      return to >= 0 ? to + 1 : this.step(this.fail[state] as number, symbol);
    }
    const slot = state * this.symbols + symbol;
    const known = this.get(slot);
    if (known !== 0) return known;
    const to = this.step(this.fail[state] as number, symbol);
    this.set(slot, to);
    return to;
  }

  /** The trie child of `state` on `symbol`, or -1 (while the failure links are built, also for a shallow state). */
  private child(state: number, symbol: number): number {
    if (state < this.dense) return this.get(state * this.symbols + symbol) - 1;
    const end = this.kidStart[state - this.dense + 1] as number;
    for (let k = this.kidStart[state - this.dense] as number; k < end; k++) if (this.kidSymbol[k] === symbol) return this.kidTo[k] as number;
    return -1;
  }

  /** A transition (state + 1, or 0 while unknown). */
  private get(slot: number): number {
    const to = this.next[slot] as number;
    return to === FAR ? (this.far.get(slot) as number) : to;
  }

  private set(slot: number, to: number): void {
    if (to < FAR) this.next[slot] = to;
    else {
      this.next[slot] = FAR;
      this.far.set(slot, to);
    }
  }
}

/**
 * What a NeedleIndex is built from, in a form that can be cached as JSON: the needles numbered,
 * their distinct sets, and the groups of units (by position in the unit list) that share needles.
 * Working it out takes some 30,000 string-keyed map operations, in V8's interpreter on every
 * start; a policy cache keyed by the packs, the organisation and the engine can keep it.
 */
export interface NeedleLayout {
  /** How many units, and needle entries over all their lists, it was made for (a check on reuse). */
  units: number;
  entries: number;
  needles: string[];
  hasDigits: boolean;
  hasDigit: boolean;
  sets: ArrayLike<number>[];
  positional: boolean[];
  /** [needles set, also sets, reach, unit positions] */
  groups: [number, number[], number, number[]][];
  /**
   * The short-text start index (see NeedleIndex.startIndex): the bytes of its two Uint32Arrays,
   * little-endian, in base64. Building it hashes the first characters of every needle in V8's
   * interpreter (6 ms for the bundled pack); decoding it takes a fraction of a millisecond.
   */
  startIndex?: { starts: string; ids: string };
}

/** Whether this machine stores a Uint32Array's bytes little-endian, as NeedleLayout.startIndex is written. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function toBase64(array: Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

function fromBase64(text: unknown): Uint32Array | undefined {
  if (typeof text !== "string") return undefined;
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength % 4 !== 0) return undefined;
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** A cached start index, when it holds together for `needles` needles (see NeedleLayout.startIndex). */
function cachedStartIndex(cached: NeedleLayout["startIndex"], needles: number): { starts: Uint32Array; ids: Uint32Array } | undefined {
  if (!LITTLE_ENDIAN || cached === undefined || cached === null || typeof cached !== "object") return undefined;
  const starts = fromBase64(cached.starts);
  const ids = fromBase64(cached.ids);
  if (!starts || !ids || starts.length !== BUCKETS + 1 || ids.length !== needles || starts[0] !== 0 || starts[BUCKETS] !== needles) return undefined;
  for (let b = 0; b < BUCKETS; b++) if ((starts[b] as number) > (starts[b + 1] as number)) return undefined;
  for (let k = 0; k < ids.length; k++) if ((ids[k] as number) >= needles) return undefined;
  return { starts, ids };
}

/** Needle entries over all lists of the units: a layout made for other units has another count. */
function entriesOf(units: readonly Needled[]): number {
  let n = 0;
  for (const unit of units) {
    n += unit.needles?.length ?? 0;
    for (const list of unit.also ?? []) n += list.length;
  }
  return n;
}

/** The layout of these units (see NeedleLayout). */
function layoutOf(unitList: readonly Needled[]): NeedleLayout {
  const ids = new Map<string, number>();
  const byKey = new Map<string, [number, number[], number, number[]]>();
  const setIds = new Map<string, number>();
  const sets: Int32Array[] = [];
  const positional: boolean[] = [];
  const setOf = (list: Int32Array, isPositional: boolean): number => {
    const key = list.join(",");
    let n = setIds.get(key);
    if (n === undefined) {
      n = sets.push(list) - 1;
      setIds.set(key, n);
      positional.push(false);
    }
    if (isPositional) positional[n] = true;
    return n;
  };
  let hasDigits = false;
  let hasDigit = false;
  const needles: string[] = [];
  // Plain loops, not spreads and sets: this runs before V8 has optimised anything, over some
  // 15,000 needle entries.
  const number = (list: readonly string[]) => {
    for (let k = 0; k < list.length; k++) {
      const needle = list[k] as string;
      if (needle === DIGITS) hasDigits = true;
      else if (needle === DIGIT) hasDigit = true;
      else if (!ids.has(needle)) ids.set(needle, needles.push(needle) - 1);
    }
  };
  for (const unit of unitList) {
    if (unit.needles) number(unit.needles);
    for (const list of unit.also ?? []) number(list);
  }
  const digitsId = needles.length;
  const digitId = needles.length + 1;
  /** The sorted, distinct numbers of a list of needles. */
  const numbers = (list: readonly string[]): Int32Array => {
    const out = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) {
      const n = list[k] as string;
      out[k] = n === DIGITS ? digitsId : n === DIGIT ? digitId : (ids.get(n) as number);
    }
    out.sort();
    let kept = 0;
    for (let k = 0; k < out.length; k++) if (k === 0 || out[k] !== out[k - 1]) out[kept++] = out[k] as number;
    return kept === out.length ? out : out.slice(0, kept);
  };
  unitList.forEach((unit, u) => {
    if (!unit.needles) return;
    const mine = setOf(numbers(unit.needles), true);
    const also = (unit.also ?? []).map((list) => setOf(numbers(list), false));
    const reach = Math.min(REACH, unit.reach ?? REACH);
    const key = `${mine}|${also.join(",")}|${reach}`;
    const group = byKey.get(key) ?? [mine, also, reach, []];
    group[3].push(u);
    byKey.set(key, group);
  });
  return { units: unitList.length, entries: entriesOf(unitList), needles, hasDigits, hasDigit, sets, positional, groups: [...byKey.values()] };
}

/**
 * Whether a cached layout was made for these units and holds together: anything else in the file
 * (an older shape, a damaged or edited cache) is ignored, never trusted.
 */
function fits(layout: NeedleLayout, unitList: readonly Needled[]): boolean {
  // Plain loops, not every() with a callback per element: this runs on every warm start, before
  // V8 has optimised anything, over some 22,000 needles and 35,000 set members.
  try {
    if (layout.units !== unitList.length || layout.entries !== entriesOf(unitList)) return false;
    if (typeof layout.hasDigits !== "boolean" || typeof layout.hasDigit !== "boolean") return false;
    const needleList: unknown = layout.needles;
    if (!Array.isArray(needleList)) return false;
    for (let k = 0; k < needleList.length; k++) {
      const n: unknown = needleList[k];
      if (typeof n !== "string" || n.length === 0) return false;
    }
    const ids = needleList.length + 2;
    const sets: unknown = layout.sets;
    if (!Array.isArray(sets)) return false;
    for (let k = 0; k < sets.length; k++) {
      const set: unknown = sets[k];
      if (!Array.isArray(set)) return false;
      for (let m = 0; m < set.length; m++) {
        const id: unknown = set[m];
        if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= ids) return false;
      }
    }
    if (!Array.isArray(layout.positional) || layout.positional.length !== layout.sets.length) return false;
    const inSet = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < layout.sets.length;
    let members = 0;
    for (const [needles, also, reach, units] of layout.groups) {
      if (!inSet(needles) || !also.every(inSet) || typeof reach !== "number") return false;
      for (const u of units) if (!unitList[u]?.needles) return false;
      members += units.length;
    }
    return members === unitList.filter((unit) => unit.needles).length;
  } catch {
    return false; // not the shape it should be
  }
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
  private readonly groups: { units: T[]; needles: number; also: number[]; reach: number }[];
  /** Distinct sets of needle numbers: the groups' needles and their `also` sets refer to these. */
  private readonly sets: Int32Array[];
  /** Whether a set is some group's needles (whose positions matter), not only an `also` set. */
  private readonly positional: boolean[];
  private readonly groupOf = new Map<T, number>();
  private readonly groupLists = new WeakMap<readonly T[], Int32Array>();
  private automaton: Automaton | undefined;
  private firstChars: { starts: Uint32Array; ids: Uint32Array } | undefined;
  private lengths: Uint32Array | undefined;
  /** Scratch space for hits, kept between texts (counts are zero again after each text). */
  private pairs = new Int32Array(1024);
  private readonly counts: Uint32Array;
  private readonly slot: Int32Array;
  /** The sets each needle is in: setList[setsByNeedle[id] .. setsByNeedle[id + 1]). */
  private readonly setsByNeedle: Uint32Array;
  private readonly setList: Uint32Array;
  /** Characters scanned so far, to decide when the automaton pays for itself. */
  private scanned = 0;
  /** What the index was built from, and whether that came from `cached`. */
  private readonly layout: NeedleLayout;
  readonly reusedLayout: boolean;

  /**
   * `searchUpTo`: how many characters to search needle by needle before building the automaton
   * (tests set 0 to exercise the automaton on short texts). `cached`: a layout kept from an
   * earlier build of the same units (see NeedleLayout); one that does not fit them is ignored.
   */
  constructor(
    units: Iterable<T>,
    private readonly searchUpTo = BEFORE_AUTOMATON,
    cached?: NeedleLayout,
  ) {
    const unitList = [...units];
    this.reusedLayout = cached !== undefined && fits(cached, unitList);
    const layout = (this.layout = this.reusedLayout ? (cached as NeedleLayout) : layoutOf(unitList));
    this.needles = layout.needles;
    this.hasDigits = layout.hasDigits;
    this.hasDigit = layout.hasDigit;
    this.digitsId = layout.needles.length;
    this.digitId = layout.needles.length + 1;
    this.sets = layout.sets.map((set) => (set instanceof Int32Array ? set : Int32Array.from(set)));
    // Indexed loops below, not for...of: a typed array's iterator is slow before V8 optimises.
    this.positional = layout.positional;
    this.groups = layout.groups.map(([needles, also, reach, members]) => ({ units: members.map((u) => unitList[u] as T), needles, also, reach }));
    this.groups.forEach((group, g) => {
      for (const unit of group.units) this.groupOf.set(unit, g);
    });
    const ids2 = this.digitId + 1;
    this.counts = new Uint32Array(ids2);
    this.slot = new Int32Array(ids2);
    const offsets = new Uint32Array(ids2 + 1);
    for (let n = 0; n < this.sets.length; n++) {
      const set = this.sets[n] as Int32Array;
      for (let k = 0; k < set.length; k++) {
        const id = set[k] as number;
        offsets[id + 1] = (offsets[id + 1] as number) + 1;
      }
    }
    for (let id = 0; id < ids2; id++) offsets[id + 1] = (offsets[id + 1] as number) + (offsets[id] as number);
    const at = offsets.slice(0, ids2);
    const list = new Uint32Array(offsets[ids2] as number);
    for (let n = 0; n < this.sets.length; n++) {
      const set = this.sets[n] as Int32Array;
      for (let k = 0; k < set.length; k++) {
        const id = set[k] as number;
        list[at[id] as number] = n;
        at[id] = (at[id] as number) + 1;
      }
    }
    this.setsByNeedle = offsets;
    this.setList = list;
  }

  /** The layout as JSON-ready data, to cache. */
  layoutData(): NeedleLayout {
    const { startIndex: _, ...layout } = this.layout;
    const data: NeedleLayout = { ...layout, sets: layout.sets.map((set) => Array.from(set)) };
    if (LITTLE_ENDIAN) {
      const { starts, ids } = (this.firstChars ??= this.startIndex());
      data.startIndex = { starts: toBase64(starts), ids: toBase64(ids) };
    }
    return data;
  }

  /**
   * The group number of each of `units` (-1: no needles), for NeedleHits.windowsAt and startsAt:
   * looked up once per list (a rule's parts), not once per part and text.
   */
  groupsOf(units: readonly T[]): Int32Array {
    let groups = this.groupLists.get(units);
    if (!groups) {
      groups = Int32Array.from(units, (unit) => this.groupOf.get(unit) ?? -1);
      this.groupLists.set(units, groups);
    }
    return groups;
  }

  /** Every needle hit in `text`, in one pass of the automaton (built on first use). */
  private scanAll(text: string, record: (id: number, at: number) => void): void {
    const automaton = (this.automaton ??= new Automaton(this.needles));
    const { symbolOf, symbols, ownStart, own, dict, next, ends, dense } = automaton;
    const lengths = (this.lengths ??= Uint32Array.from(this.needles, (n) => n.length));
    let state = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      const symbol = symbolOf[c] as number;
      let to = state < dense ? (next[state * symbols + symbol] as number) : 0;
      if (to === 0 || to === FAR) to = automaton.step(state, symbol);
      state = to - 1;
      // Where a needle ends: this state's own needles, then those down its dictionary links.
      if (ends[state] !== 0) {
        for (let s = (ownStart[state + 1] as number) > (ownStart[state] as number) ? state : (dict[state] as number); s >= 0; s = dict[s] as number) {
          const end = ownStart[s + 1] as number;
          for (let k = ownStart[s] as number; k < end; k++) {
            const id = own[k] as number;
            record(id, i + 1 - (lengths[id] as number));
          }
        }
      }
    }
    this.digitRuns(text, record);
  }

  /**
   * The digit needles: a run of digits is a DIGIT hit at its start and a DIGITS hit at its third
   * digit (and again every REACH digits of a long run).
   */
  private digitRuns(text: string, record: (id: number, at: number) => void): void {
    if (!this.hasDigits && !this.hasDigit) return;
    let run = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        const at = ++run % REACH;
        if (at === 1) record(this.digitId, i);
        else if (at === 3) record(this.digitsId, i - 2);
      } else run = 0;
    }
  }

  /**
   * Every needle hit in a short text, without the automaton: at each position, the needles filed
   * under the (up to) KEY_LENGTH characters there are compared. For a post of a few kilobytes that
   * takes a few milliseconds, while building the automaton costs 15-20 ms. False when the text
   * cannot be searched this way (lower-casing changed its length).
   */
  private searchEach(text: string, record: (id: number, at: number) => void): boolean {
    const lower = text.toLowerCase();
    if (lower.length !== text.length) return false;
    const folded = lower.replace(/\s/g, " "); // white space reads as one space, as in the automaton
    const { starts, ids } = (this.firstChars ??= this.startIndex());
    const needles = this.needles;
    const n = folded.length;
    for (let i = 0; i < n; i++) {
      // The needles of each length up to KEY_LENGTH that start here, then the longer ones by their
      // first KEY_LENGTH characters: one hash, extended a character at a time.
      let h = KEY_SEED;
      for (let k = 0; k < KEY_LENGTH && i + k < n; k++) {
        h = Math.imul(h ^ folded.charCodeAt(i + k), KEY_PRIME);
        const bucket = bucketOf(h, k + 1);
        for (let e = starts[bucket] as number, end = starts[bucket + 1] as number; e < end; e++) {
          const id = ids[e] as number;
          if (folded.startsWith(needles[id] as string, i)) record(id, i);
        }
      }
    }
    this.digitRuns(text, record);
    return true;
  }

  /**
   * Needles by a hash of their first KEY_LENGTH characters (or all of them, for shorter ones), in
   * buckets of one flat array: ids[starts[b] .. starts[b + 1]). Two keys may share a bucket; the
   * search compares each needle anyway. Typed arrays, not a Map: a post is searched with code
   * that has not been optimised yet, where a Map lookup per character and key is what costs.
   */
  private startIndex(): { starts: Uint32Array; ids: Uint32Array } {
    const needles = this.needles;
    const cached = this.reusedLayout ? cachedStartIndex(this.layout.startIndex, needles.length) : undefined;
    if (cached) return cached;
    const bucket = new Uint32Array(needles.length);
    const starts = new Uint32Array(BUCKETS + 1);
    for (let id = 0; id < needles.length; id++) {
      const needle = needles[id] as string;
      const length = Math.min(needle.length, KEY_LENGTH);
      let h = KEY_SEED;
      for (let k = 0; k < length; k++) h = Math.imul(h ^ needle.charCodeAt(k), KEY_PRIME);
      const b = bucketOf(h, length);
      bucket[id] = b;
      starts[b + 1] = (starts[b + 1] as number) + 1;
    }
    for (let b = 0; b < BUCKETS; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
    const fill = starts.slice(0, BUCKETS);
    const ids = new Uint32Array(needles.length);
    for (let id = 0; id < needles.length; id++) {
      const b = bucket[id] as number;
      ids[fill[b] as number] = id;
      fill[b] = (fill[b] as number) + 1;
    }
    return { starts, ids };
  }

  /**
   * Where in `text` each part with needles must run: `get(part)` gives its windows ([] = skip the
   * part), worked out when first asked; undefined for a part that runs on the whole text.
   */
  windows(text: string): NeedleHits<T> {
    if (this.groups.length === 0) return { get: () => undefined, starts: () => null, windowsAt: () => [], startsAt: () => null };
    // Every hit as (needle, position) pairs, but no more than MAX_HITS + 1 per needle: past that
    // the needle's parts run on the whole view anyway. The work below is in proportion to the
    // hits, not to the thousands of needles: most texts are short and hit a few dozen of them.
    const counts = this.counts;
    const touched: number[] = [];
    let pairs = this.pairs;
    let size = 0;
    const record = (id: number, at: number) => {
      const seen = counts[id] as number;
      if (seen > MAX_HITS) return;
      if (seen === 0) touched.push(id);
      counts[id] = seen + 1;
      if (size + 2 > pairs.length) {
        const grown = new Int32Array(pairs.length * 2);
        grown.set(pairs);
        this.pairs = pairs = grown;
      }
      pairs[size++] = id;
      pairs[size++] = at;
    };
    this.scanned += text.length;
    if (!this.automaton && text.length <= SMALL_TEXT && this.scanned <= this.searchUpTo && this.searchEach(text, record)) {
      // found without the automaton (see searchEach)
    } else this.scanAll(text, record);
    // Positions grouped by needle (a counting sort of the pairs over the needles hit), in text
    // order within a needle: needle touched[k] has positions[first[k] .. first[k + 1]).
    const slot = this.slot;
    const first = new Int32Array(touched.length + 1);
    for (let k = 0; k < touched.length; k++) {
      const id = touched[k] as number;
      slot[id] = k;
      first[k + 1] = (first[k] as number) + (counts[id] as number);
    }
    const fill = first.slice(0, touched.length);
    const positions = new Int32Array(size / 2);
    for (let k = 0; k < size; k += 2) {
      const s = slot[pairs[k] as number] as number;
      positions[fill[s] as number] = pairs[k + 1] as number;
      fill[s] = (fill[s] as number) + 1;
    }
    // Hits per needle set, from the needles hit, and for a group's needles which were hit.
    const setHits = new Uint32Array(this.sets.length);
    const slotsOf = new Map<number, number[]>();
    for (let k = 0; k < touched.length; k++) {
      const id = touched[k] as number;
      const n = counts[id] as number;
      for (let e = this.setsByNeedle[id] as number; e < (this.setsByNeedle[id + 1] as number); e++) {
        const set = this.setList[e] as number;
        setHits[set] = (setHits[set] as number) + n;
        if (!this.positional[set]) continue;
        const slots = slotsOf.get(set);
        if (slots) slots.push(k);
        else slotsOf.set(set, [k]);
      }
      counts[id] = 0; // the scratch counts are all zero again for the next text
    }
    /** The sorted positions of the group's needles; null when there are too many to count. */
    const hitsOf = (g: number): Int32Array | null => {
      const group = this.groups[g] as (typeof this.groups)[number];
      const count = setHits[group.needles] as number;
      if (count === 0 || group.also.some((set) => setHits[set] === 0)) return NO_STARTS;
      if (count > MAX_HITS) return null;
      const slots = slotsOf.get(group.needles) as number[];
      if (slots.length === 1) return positions.subarray(first[slots[0] as number] as number, first[(slots[0] as number) + 1] as number);
      const mine = new Int32Array(count);
      let n = 0;
      for (const k of slots) for (let h = first[k] as number; h < (first[k + 1] as number); h++) mine[n++] = positions[h] as number;
      return mine.sort();
    };
    const done: (Match[] | undefined)[] = [];
    const doneStarts: (Int32Array | null | undefined)[] = [];
    const windowsAt = (g: number): Match[] => {
      if (done[g] === undefined) {
        const mine = hitsOf(g);
        done[g] = mine === null ? [{ start: 0, end: text.length }] : mine.length === 0 ? [] : mergeWindows(text, mine, (this.groups[g] as (typeof this.groups)[number]).reach);
      }
      return done[g];
    };
    const startsAt = (g: number): Int32Array | null => {
      if (doneStarts[g] === undefined) doneStarts[g] = distinct(hitsOf(g));
      return doneStarts[g] as Int32Array | null;
    };
    return {
      windowsAt,
      startsAt,
      get: (unit) => {
        const g = this.groupOf.get(unit);
        return g === undefined ? undefined : windowsAt(g);
      },
      starts: (unit) => {
        const g = this.groupOf.get(unit);
        return g === undefined ? null : startsAt(g);
      },
    };
  }
}

/** Sorted positions without repeats (two needles may start at one position). */
function distinct(sorted: Int32Array | null): Int32Array | null {
  if (!sorted || sorted.length < 2) return sorted;
  let n = 1;
  for (let k = 1; k < sorted.length; k++) if (sorted[k] !== sorted[k - 1]) n++;
  if (n === sorted.length) return sorted;
  const out = new Int32Array(n);
  out[0] = sorted[0] as number;
  n = 1;
  for (let k = 1; k < sorted.length; k++) if (sorted[k] !== out[n - 1]) out[n++] = sorted[k] as number;
  return out;
}


const NO_STARTS = new Int32Array(0);

/** Buckets of the short-text start index (see NeedleIndex.startIndex): a power of two. */
const BUCKETS = 1 << 15;
/**
 * Needles are filed by their first KEY_LENGTH characters (all of them, when shorter). Three left
 * some 450 needles under "con" or "pro"; five cut the comparisons for a post sixfold.
 */
const KEY_LENGTH = 5;
const KEY_SEED = 0x811c9dc5;
const KEY_PRIME = 16777619;

/** The bucket of a key's hash (FNV-1a over its characters) and its length. */
function bucketOf(hash: number, length: number): number {
  const h = Math.imul(hash ^ length, 0x9e3779b1);
  return (h ^ (h >>> 15)) & (BUCKETS - 1);
}

/** What the needle scan tells about one text, for each part (see NeedleIndex.windows). */
export interface NeedleHits<T> {
  /** Where the part must run ([] = nowhere); undefined to run on the whole text. */
  get(unit: T): Match[] | undefined;
  /** Sorted positions where the part's needles start ([] = none); null to run on the whole text. */
  starts(unit: T): Int32Array | null;
  /** The same by the part's group number (see NeedleIndex.groupIndex), which saves a lookup per part. */
  windowsAt(group: number): Match[];
  startsAt(group: number): Int32Array | null;
}


function mergeWindows(text: string, positions: Int32Array, reach: number): Match[] {
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
