/**
 * Rejects user-supplied regular expressions that V8's backtracking engine can take exponential
 * time on ("ReDoS"), so that no draft can make a scan hang.
 *
 * The pattern is parsed into a small syntax tree and turned into a Glushkov automaton (one state
 * per character matcher, with edges counted: two constructs that add the same edge are two
 * different ways to match). A backtracking engine is exponential exactly when that automaton is
 * exponentially ambiguous: some state can loop back to itself along two different paths that read
 * the same text. That is tested on the product automaton (pairs of states, stepping both on a
 * common character), whose strongly connected components reveal such double loops. This finds
 * `(a+)+`, `(a|a)*`, `(\w|\d)+`, `(x+x+)+y` and `(a{1,3})+`, and passes `(?:\s+\w+)*` or
 * `(?:\d[ -]?){13,16}` whose parts cannot match the same characters.
 *
 * Character sets are compared on a fixed sample of code points (all of ASCII, representative
 * letters, digits and spaces of other scripts) plus every literal character of the pattern, each
 * tested with V8 itself, so `\p{L}`, `[^\W\d]` or the `i` flag need no hand-written tables.
 *
 * Deliberately not rejected: polynomial (quadratic) backtracking such as `\w+\d+` on a long run of
 * digits, which every realistic secret or e-mail pattern has; the engine bounds line length instead.
 */

/** A repeat whose upper bound is larger than this counts as unbounded. */
const SMALL_REPEAT = 10;
/** Longest excerpt of the pattern quoted in a reason. */
const EXCERPT_MAX = 40;
/**
 * Steps of the pair search before a pattern counts as too complex to prove safe (some 100 ms).
 * Only loops around hundreds of alternatives that share their first characters get there.
 */
const PAIR_BUDGET = 1_000_000;

interface Span {
  start: number;
  end: number;
}
type RegexNode =
  | (Span & { type: "char"; source: string })
  | (Span & { type: "seq"; items: RegexNode[] })
  | (Span & { type: "alt"; alts: RegexNode[] })
  | (Span & { type: "group"; body: RegexNode; capture?: number; name?: string; lookaround: boolean })
  | (Span & { type: "assert" })
  | (Span & { type: "backref"; ref: number | string })
  | (Span & { type: "repeat"; body: RegexNode; min: number; max: number; cyclic: boolean });

export function unsafeRegexReason(source: string, flags: string): string | undefined {
  // Catastrophic backtracking needs a quantified group or a back-reference: most patterns have neither.
  if (!/\)(?:[*+]|\{\d)|\\[1-9k]/.test(source)) return undefined;
  const unicode = flags.includes("u") || flags.includes("v");
  try {
    new RegExp(source, flags);
  } catch {
    return undefined; // not ours to report: the loader reports patterns that do not compile
  }
  const unicodeSets = flags.includes("v");
  const groups = countGroups(source, unicodeSets);
  // Only repeated groups can hold a loop inside a loop, so only they are parsed, unless a
  // back-reference needs the whole pattern. Most of a long pattern is alternations of words.
  const backrefs = /\\[1-9k]/.test(source);
  for (const [start, end] of backrefs ? [[0, source.length] as const] : repeatedGroups(source, unicodeSets)) {
    const tree = new RegexParser(source, unicode, unicodeSets, groups, start, end).parse();
    markCyclic(tree, false);
    const reason = (backrefs ? quantifiedBackrefReason(source, tree) : undefined) ?? ambiguityReason(source, flags, tree);
    if (reason) return reason;
  }
  return undefined;
}

/** Source ranges of the outermost groups whose quantifier lets them repeat (`*`, `+`, `{2,}`, …). */
function repeatedGroups(src: string, unicodeSets: boolean): [number, number][] {
  const opens: number[] = [];
  const found: [number, number][] = [];
  const quantifier = /(?:[*+]|\{(\d+)(?:(,)(\d*))?\})\??/y;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(src, i, unicodeSets) - 1;
    else if (c === "(") opens.push(i);
    else if (c === ")") {
      const start = opens.pop() ?? 0;
      quantifier.lastIndex = i + 1;
      const q = quantifier.exec(src);
      const max = !q ? 0 : q[1] === undefined ? Infinity : q[2] === undefined ? Number(q[1]) : q[3] ? Number(q[3]) : Infinity;
      if (max < 2) continue;
      while (found.length > 0 && found[found.length - 1]![0] > start) found.pop(); // inner groups
      found.push([start, i + 1 + q![0].length]);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses `src` from `start` to `limit`, which must hold whole terms. */
class RegexParser {
  private i: number;
  private groupCount = 0;
  private readonly totalGroups: number;
  private readonly hasNamedGroups: boolean;

  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
    private readonly unicodeSets: boolean,
    groups: { total: number; named: boolean },
    start: number,
    private readonly limit: number,
  ) {
    this.i = start;
    this.totalGroups = groups.total;
    this.hasNamedGroups = groups.named;
  }

  parse(): RegexNode {
    const node = this.disjunction();
    // A stray `)` cannot occur: the pattern compiled. Anything left is parsed as a new sequence.
    while (this.i < this.limit) {
      this.i++;
      this.disjunction();
    }
    return node;
  }

  private disjunction(): RegexNode {
    const start = this.i;
    const alts = [this.alternative()];
    while (this.src[this.i] === "|") {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.length === 1 ? alts[0]! : { type: "alt", alts, start, end: this.i };
  }

  private alternative(): RegexNode {
    const start = this.i;
    const items: RegexNode[] = [];
    while (this.i < this.limit && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      items.push(this.term());
    }
    return { type: "seq", items, start, end: this.i };
  }

  private term(): RegexNode {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    return { type: "repeat", body: atom, min: q.min, max: q.max, cyclic: false, start: atom.start, end: this.i };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.src[this.i];
    let bounds: { min: number; max: number } | undefined;
    if (c === "*") bounds = { min: 0, max: Infinity };
    else if (c === "+") bounds = { min: 1, max: Infinity };
    else if (c === "?") bounds = { min: 0, max: 1 };
    if (bounds) this.i++;
    else if (c === "{") {
      const m = this.at(/\{(\d+)(?:(,)(\d*))?\}/y);
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      bounds = { min, max };
      this.i += m[0].length;
    } else return undefined;
    if (this.src[this.i] === "?") this.i++; // lazy: same ambiguity
    return bounds;
  }

  private atom(): RegexNode {
    const start = this.i;
    const c = this.src[this.i]!;
    if (c === "^" || c === "$") {
      this.i++;
      return { type: "assert", start, end: this.i };
    }
    if (c === "(") return this.group();
    if (c === "[") {
      this.i = classEnd(this.src, this.i, this.unicodeSets);
      return this.char(start);
    }
    if (c === "\\") return this.escape();
    this.i += this.unicode ? String.fromCodePoint(this.src.codePointAt(this.i)!).length : 1;
    return this.char(start);
  }

  /** Match a sticky pattern at the current index (without copying the rest of the source). */
  private at(sticky: RegExp): RegExpExecArray | null {
    sticky.lastIndex = this.i;
    return sticky.exec(this.src);
  }

  private char(start: number): RegexNode {
    return { type: "char", source: this.src.slice(start, this.i), start, end: this.i };
  }

  private group(): RegexNode {
    const start = this.i;
    const rest = this.src.slice(this.i, this.i + 4);
    let lookaround = false;
    let capture: number | undefined;
    let name: string | undefined;
    if (rest.startsWith("(?=") || rest.startsWith("(?!")) {
      lookaround = true;
      this.i += 3;
    } else if (rest.startsWith("(?<=") || rest.startsWith("(?<!")) {
      lookaround = true;
      this.i += 4;
    } else if (rest.startsWith("(?<")) {
      const close = this.src.indexOf(">", this.i);
      name = this.src.slice(this.i + 3, close);
      capture = ++this.groupCount;
      this.i = close + 1;
    } else if (rest.startsWith("(?")) {
      // `(?:` and modifier groups such as `(?i:` or `(?-i:`
      this.i = this.src.indexOf(":", this.i) + 1;
    } else {
      capture = ++this.groupCount;
      this.i++;
    }
    const body = this.disjunction();
    this.i++; // `)`
    return { type: "group", body, capture, name, lookaround, start, end: this.i };
  }

  private escape(): RegexNode {
    const start = this.i;
    const e = this.src[this.i + 1] ?? "";
    this.i += 2;
    if (e === "b" || e === "B") return { type: "assert", start, end: this.i };
    if ((e === "p" || e === "P") && this.unicode && this.src[this.i] === "{") {
      this.i = this.src.indexOf("}", this.i) + 1;
    } else if (/[1-9]/.test(e)) {
      const digits = this.at(/\d*/y)![0];
      const ref = Number(e + digits);
      if (this.unicode || ref <= this.totalGroups) {
        this.i += digits.length;
        return { type: "backref", ref, start, end: this.i };
      }
      this.i += this.at(/[0-7]{0,2}/y)![0].length; // legacy octal escape
    } else if (e === "k" && this.src[this.i] === "<" && (this.unicode || this.hasNamedGroups)) {
      const close = this.src.indexOf(">", this.i);
      const ref = this.src.slice(this.i + 1, close);
      this.i = close + 1;
      return { type: "backref", ref, start, end: this.i };
    } else if (e === "c" && /[A-Za-z]/.test(this.src[this.i] ?? "")) {
      this.i++;
    } else if (e === "x" && this.at(/[\da-fA-F]{2}/y)) {
      this.i += 2;
    } else if (e === "u") {
      const m = this.at(/(?:[\da-fA-F]{4}|\{[\da-fA-F]+\})/y);
      if (m && (this.unicode || !m[0].startsWith("{"))) this.i += m[0].length;
    } else if (e === "0") {
      if (!this.unicode) this.i += this.at(/[0-7]{0,2}/y)![0].length;
    } else if (this.unicode && e && e.codePointAt(0)! > 0xffff) {
      this.i++; // identity escape of an astral character
    }
    return this.char(start);
  }
}

/** Index just past the `]` closing the class that opens at `open`. */
function classEnd(src: string, open: number, unicodeSets: boolean): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "[" && (i === open || unicodeSets)) depth++;
    else if (c === "]" && --depth === 0) return i + 1;
  }
  return src.length;
}

function countGroups(src: string, unicodeSets: boolean): { total: number; named: boolean } {
  let total = 0;
  let named = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(src, i, unicodeSets) - 1;
    else if (c === "(") {
      if (src[i + 1] !== "?") total++;
      else if (src[i + 2] === "<" && src[i + 3] !== "=" && src[i + 3] !== "!") {
        total++;
        named = true;
      }
    }
  }
  return { total, named };
}

// ---------------------------------------------------------------------------------------------
// Which repeats loop

/**
 * A repeat loops (for ambiguity purposes) when it is unbounded or has a large bound, when it
 * repeats something that itself loops (`(a+){1,3}`), or when it has some freedom of count inside
 * a loop (`(a{1,3})+` splits a run of `a` in exponentially many ways). Other bounded repeats can
 * only cause a bounded amount of backtracking, so they are read as their body once.
 */
function markCyclic(node: RegexNode, insideLoop: boolean, ownLoops = subtreesWithOwnLoop(node)): void {
  if (node.type === "repeat") {
    node.cyclic =
      node.max > SMALL_REPEAT ||
      (node.max >= 2 && ownLoops.has(node.body)) ||
      (insideLoop && node.max >= 2 && node.min < node.max);
    markCyclic(node.body, insideLoop || node.cyclic, ownLoops);
  } else {
    for (const child of childrenOf(node)) markCyclic(child, insideLoop, ownLoops);
  }
}

/** The nodes that hold a repeat with a large bound (themselves included), in one pass. */
function subtreesWithOwnLoop(node: RegexNode, out = new Set<RegexNode>()): Set<RegexNode> {
  let found = node.type === "repeat" && node.max > SMALL_REPEAT;
  for (const child of childrenOf(node)) {
    subtreesWithOwnLoop(child, out);
    if (out.has(child)) found = true;
  }
  if (found) out.add(node);
  return out;
}

function childrenOf(node: RegexNode): RegexNode[] {
  switch (node.type) {
    case "seq":
      return node.items;
    case "alt":
      return node.alts;
    case "group":
    case "repeat":
      return [node.body];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Quantified back-references

function quantifiedBackrefReason(source: string, tree: RegexNode): string | undefined {
  if (!/\\[1-9k]/.test(source)) return undefined;
  const groups = new Map<number | string, RegexNode>();
  const collect = (node: RegexNode): void => {
    if (node.type === "group" && node.capture !== undefined) {
      groups.set(node.capture, node.body);
      if (node.name !== undefined) groups.set(node.name, node.body);
    }
    childrenOf(node).forEach(collect);
  };
  collect(tree);

  let found: { loop: RegexNode; ref: RegexNode } | undefined;
  const visit = (node: RegexNode, loop: RegexNode | undefined): void => {
    if (found) return;
    if (node.type === "group" && node.lookaround) return; // `(?!\1)` inside a loop is one check
    if (node.type === "backref" && loop) {
      const group = groups.get(node.ref);
      if (group && variableLength(group)) found = { loop, ref: node };
      return;
    }
    const inner = node.type === "repeat" && node.cyclic ? node : loop;
    for (const child of childrenOf(node)) visit(child, inner);
  };
  visit(tree, undefined);
  if (!found) return undefined;
  return (
    `quantified back-reference ${quote(source, found.ref)} in ${quote(source, found.loop)} at column ` +
    `${found.loop.start + 1} can backtrack exponentially; repeat the referenced group's pattern instead ` +
    `of the back-reference, or make the group match a fixed text`
  );
}

function variableLength(node: RegexNode): boolean {
  if (node.type === "repeat") return node.min !== node.max || variableLength(node.body);
  if (node.type === "alt") return true;
  if (node.type === "backref") return true;
  return childrenOf(node).some(variableLength);
}

// ---------------------------------------------------------------------------------------------
// Ambiguity of the Glushkov automaton

interface Automaton {
  /** Pattern node of each state (a character matcher). */
  chars: Extract<RegexNode, { type: "char" }>[];
  /** follow[p]: map from next state to the number of distinct constructs that add that edge. */
  follow: Map<number, number>[];
}

interface Fragment {
  nullable: boolean;
  first: number[];
  last: number[];
}

function buildAutomaton(root: RegexNode): Automaton {
  const chars: Automaton["chars"] = [];
  const follow: Automaton["follow"] = [];
  const link = (from: number[], to: number[]): void => {
    for (const p of from) {
      const edges = follow[p]!;
      for (const q of to) edges.set(q, (edges.get(q) ?? 0) + 1);
    }
  };
  const empty: Fragment = { nullable: true, first: [], last: [] };

  const build = (node: RegexNode): Fragment => {
    switch (node.type) {
      case "char": {
        const p = chars.length;
        chars.push(node);
        follow.push(new Map());
        return { nullable: false, first: [p], last: [p] };
      }
      case "seq": {
        let acc = empty;
        for (const item of node.items) {
          const f = build(item);
          link(acc.last, f.first);
          acc = {
            nullable: acc.nullable && f.nullable,
            first: acc.nullable ? [...acc.first, ...f.first] : acc.first,
            last: f.nullable ? [...acc.last, ...f.last] : f.last,
          };
        }
        return acc;
      }
      case "alt": {
        const fs = node.alts.map(build);
        return {
          nullable: fs.some((f) => f.nullable),
          first: fs.flatMap((f) => f.first),
          last: fs.flatMap((f) => f.last),
        };
      }
      case "group": {
        const f = build(node.body);
        return node.lookaround ? empty : f; // a lookaround's own loops still count; it reads nothing
      }
      case "repeat": {
        const f = build(node.body);
        if (node.max === 0) return empty;
        if (node.cyclic) link(f.last, f.first);
        return { ...f, nullable: f.nullable || node.min === 0 };
      }
      default:
        return empty; // assertions, back-references (checked separately)
    }
  };
  build(root);
  return { chars, follow };
}

/** Only a loop around more than one character matcher (or a nested loop) can be ambiguous. */
function firstComplexLoop(node: RegexNode): RegexNode | undefined {
  if (node.type === "repeat" && node.cyclic) {
    let body = node.body;
    while (body.type === "group" && !body.lookaround) body = body.body;
    if (body.type !== "char") return node;
  }
  for (const child of childrenOf(node)) {
    const loop = firstComplexLoop(child);
    if (loop) return loop;
  }
  return undefined;
}

/** The loops around more than one character matcher that no other loop encloses. */
function outermostComplexLoops(node: RegexNode, out: RegexNode[] = []): RegexNode[] {
  if (node.type === "repeat" && node.cyclic && firstComplexLoop(node) === node) out.push(node);
  else for (const child of childrenOf(node)) outermostComplexLoops(child, out);
  return out;
}

function ambiguityReason(source: string, flags: string, tree: RegexNode): string | undefined {
  // A double loop lies within one outermost loop: each is checked on its own automaton, so long
  // alternations outside every loop cost nothing.
  for (const loop of outermostComplexLoops(tree)) {
    const reason = loopAmbiguityReason(source, flags, tree, loop);
    if (reason) return reason;
  }
  return undefined;
}

function loopAmbiguityReason(source: string, flags: string, tree: RegexNode, loop: RegexNode): string | undefined {
  const automaton = buildAutomaton(loop);
  const witness = findDoubleLoop(automaton, characterSets(automaton.chars, source, flags));
  if (!witness) return undefined;
  if (witness === "too complex") {
    return (
      `repeated group ${quote(source, loop)} at column ${loop.start + 1} is too complex to prove free of ` +
      `catastrophic backtracking; repeat fewer or more distinct alternatives, or split the pattern`
    );
  }
  return describe(source, tree, automaton, witness);
}

interface Witness {
  /** States involved in the double loop. */
  states: Set<number>;
  /** Pairs of different states that read the same character at the same step (may be empty). */
  pairs: [number, number][];
}

/**
 * Exponential ambiguity: within one loop of the automaton (a strongly connected set of states), a
 * strongly connected component of the product automaton that holds both a diagonal pair (p,p) and
 * an off-diagonal pair (p,q), or an edge between diagonal pairs that the automaton has twice.
 * A double loop lies inside one loop of the automaton, so each loop is searched on its own: long
 * alternations outside any loop cost nothing.
 */
function findDoubleLoop(automaton: Automaton, setOf: (state: number) => bigint): Witness | "too complex" | undefined {
  const follow = automaton.follow.map((m) => [...m.keys()]);
  const budget = { left: PAIR_BUDGET };
  for (const loop of stronglyConnected(follow.length, (p) => follow[p]!)) {
    if (loop.length === 1) {
      const p = loop[0]!;
      if ((automaton.follow[p]!.get(p) ?? 0) >= 2) return { states: new Set([p]), pairs: [] };
      continue;
    }
    const members = new Set(loop);
    const inLoop = loop.map((p) => follow[p]!.filter((q) => members.has(q)));
    const local = new Map(loop.map((p, i) => [p, i]));
    const witness = doubleLoopWithin(loop, inLoop.map((qs) => qs.map((q) => local.get(q)!)), automaton, setOf, budget);
    if (witness) return witness;
  }
  return undefined;
}

function doubleLoopWithin(
  states: number[],
  follow: number[][],
  automaton: Automaton,
  setOf: (state: number) => bigint,
  budget: { left: number },
): Witness | "too complex" | undefined {
  const n = states.length;
  const sets = states.map(setOf);
  // Pairs are unordered: the product of an automaton with itself is symmetric, and a path through
  // (a,b) exists exactly when its mirror through (b,a) does, so (min,max) stands for both.
  const successors = (node: number): number[] => {
    const a = Math.floor(node / n);
    const b = node % n;
    const out: number[] = [];
    for (const a2 of follow[a]!) {
      budget.left -= follow[b]!.length;
      for (const b2 of follow[b]!) {
        if ((sets[a2]! & sets[b2]!) !== 0n) out.push(a2 <= b2 ? a2 * n + b2 : b2 * n + a2);
      }
    }
    return out;
  };
  const diagonal = states.map((_, p) => p * n + p).filter((_, p) => sets[p] !== 0n);
  const components = stronglyConnected(n * n, successors, diagonal, () => budget.left < 0);
  if (budget.left < 0) return "too complex";

  for (const component of components) {
    const members = new Set(component);
    const involved = new Set<number>();
    const pairs: [number, number][] = [];
    let onDiagonal = false;
    for (const node of component) {
      const a = Math.floor(node / n);
      const b = node % n;
      involved.add(states[a]!).add(states[b]!);
      if (a === b) onDiagonal = true;
      else pairs.push([states[a]!, states[b]!]);
    }
    if (!onDiagonal) continue;
    if (pairs.length > 0) return { states: involved, pairs };
    for (const node of component) {
      const a = Math.floor(node / n);
      if (a !== node % n) continue;
      for (const b of follow[a]!) {
        if ((automaton.follow[states[a]!]!.get(states[b]!) ?? 0) >= 2 && members.has(b * n + b)) {
          return { states: involved, pairs };
        }
      }
    }
  }
  return undefined;
}

/**
 * Strongly connected components (iterative Tarjan) of the nodes reachable from `roots` (default:
 * all of 0..size-1) that contain a cycle or more than one node.
 */
function stronglyConnected(
  size: number,
  successors: (node: number) => number[],
  roots?: number[],
  stop: () => boolean = () => false,
): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const root of roots ?? Array.from({ length: size }, (_, i) => i)) {
    if (index.has(root)) continue;
    const work: { node: number; next: number[]; k: number }[] = [];
    const open = (node: number): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: successors(node), k: 0 });
    };
    open(root);
    while (work.length > 0) {
      if (stop()) return components;
      const frame = work[work.length - 1]!;
      if (frame.k < frame.next.length) {
        const w = frame.next[frame.k++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1 || successors(frame.node).includes(frame.node)) components.push(component);
      }
    }
  }
  return components;
}

function describe(source: string, tree: RegexNode, automaton: Automaton, witness: Witness): string {
  const offsets = [...witness.states].map((s) => automaton.chars[s]!.start);
  const holdsAll = (node: RegexNode): boolean => offsets.every((o) => o >= node.start && o < node.end);
  const holdsSome = (node: RegexNode): boolean => offsets.some((o) => o >= node.start && o < node.end);
  // The loops that hold every state of the double loop, outermost first.
  const chain: RegexNode[] = [];
  const find = (node: RegexNode): void => {
    if (!holdsAll(node)) return;
    if (node.type === "repeat" && node.cyclic) chain.push(node);
    childrenOf(node).forEach(find);
  };
  find(tree);
  // Two-step ambiguity with no off-diagonal pair is a loop inside a loop on the same states:
  // blame the outer one, which is the quantifier to remove.
  const loop = witness.pairs.length === 0 && chain.length >= 2 ? chain[chain.length - 2] : chain[chain.length - 1];
  const at = loop ?? tree;
  const where = `${quote(source, at)} at column ${at.start + 1}`;
  const fix = "; make the repeated parts unable to match the same characters, or remove one of the quantifiers";

  for (const [a, b] of loop ? witness.pairs : []) {
    const split = innermostSplit(loop!, automaton.chars[a]!.start, automaton.chars[b]!.start);
    if (split) {
      const [x, y] = split[0].start < split[1].start ? split : [split[1], split[0]];
      return (
        `alternatives ${quote(source, x)} and ${quote(source, y)} of ${where} can match the same text, ` +
        `so the repetition can backtrack exponentially; make the alternatives mutually exclusive`
      );
    }
  }
  const nested = loop && childrenOf(loop).some(function hasLoop(node: RegexNode): boolean {
    return (node.type === "repeat" && node.cyclic && holdsSome(node)) || childrenOf(node).some(hasLoop);
  });
  if (nested) return `nested quantifier ${where} can backtrack exponentially${fix}`;
  return `repetition ${where} can match the same text in many ways and backtrack exponentially${fix}`;
}

/** The two alternatives of an alternation in `node` that separate offsets a and b, if any. */
function innermostSplit(node: RegexNode, a: number, b: number): [RegexNode, RegexNode] | undefined {
  const holds = (n: RegexNode, o: number): boolean => o >= n.start && o < n.end;
  if (node.type === "alt") {
    const x = node.alts.find((alt) => holds(alt, a));
    const y = node.alts.find((alt) => holds(alt, b));
    if (x && y && x !== y) return [x, y];
  }
  for (const child of childrenOf(node)) {
    if (holds(child, a) && holds(child, b)) return innermostSplit(child, a, b);
  }
  return undefined;
}

function quote(source: string, node: RegexNode): string {
  const text = source.slice(node.start, node.end);
  const short = text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX - 1)}…` : text;
  return `\`${short}\``;
}

// ---------------------------------------------------------------------------------------------
// Character sets, as bit sets over sample code points

const SAMPLE_EXTRA = [
  0xa0, 0xaa, 0xb5, 0xba, 0xc0, 0xc9, 0xdf, 0xe9, 0xff, 0x100, 0x17f, 0x212a, 0x391, 0x3b1, 0x410,
  0x430, 0x5d0, 0x627, 0x660, 0x966, 0x905, 0x1680, 0x2000, 0x200b, 0x2013, 0x2019, 0x201c, 0x2028,
  0x2029, 0x202f, 0x205f, 0x20ac, 0x3000, 0x3042, 0x4e00, 0xac00, 0xfeff, 0xff10, 0xff21, 0xd83d,
  0xde00, 0x1f600, 0x10400,
];
const BASE_SAMPLE: number[] = [...Array.from({ length: 128 }, (_, i) => i), ...SAMPLE_EXTRA];
const baseBitsCache = new Map<string, bigint>();

/** The character set of each state, computed on first use (most states are never compared). */
function characterSets(chars: Automaton["chars"], source: string, flags: string): (state: number) => bigint {
  const testFlags = [...flags].filter((f) => "iusv".includes(f)).join("");
  const ignoreCase = testFlags.includes("i");
  let extras: number[] | undefined;
  let slot: Map<number, number> | undefined;
  const memo = new Map<number, bigint>();
  return (state) => {
    let bits = memo.get(state);
    if (bits !== undefined) return bits;
    if (!extras) {
      extras = extraSample(source);
      slot = new Map([...BASE_SAMPLE, ...extras].map((cp, i) => [cp, i]));
    }
    const atom = chars[state]!.source;
    const literal = [...atom].length === 1 && atom !== "." ? atom.codePointAt(0)! : undefined;
    if (literal !== undefined) {
      // A plain character: no need to ask V8.
      bits = 0n;
      for (const cp of ignoreCase ? [literal, ...caseVariants(literal)] : [literal]) {
        const i = slot!.get(cp);
        if (i !== undefined) bits |= 1n << BigInt(i);
      }
    } else {
      const key = `${testFlags}\u0000${atom}`;
      const matcher = new RegExp(`^(?:${atom})$`, testFlags);
      let base = baseBitsCache.get(key);
      if (base === undefined) {
        base = bitsOf(matcher, BASE_SAMPLE, 0);
        baseBitsCache.set(key, base);
      }
      bits = base | bitsOf(matcher, extras, BASE_SAMPLE.length);
    }
    memo.set(state, bits);
    return bits;
  };
}

/** Characters of the pattern that the base sample lacks, so `(ж+)+` is still seen. */
function extraSample(source: string): number[] {
  const known = new Set(BASE_SAMPLE);
  const extra = new Set<number>();
  const add = (cp: number): void => {
    if (cp < 128) return; // all of ASCII is sampled, and so are its non-ASCII case variants (K, ſ)
    for (const variant of [cp, ...caseVariants(cp)]) if (!known.has(variant)) extra.add(variant);
  };
  for (const ch of source) add(ch.codePointAt(0)!);
  for (const m of source.matchAll(/\\(?:x([\da-fA-F]{2})|u([\da-fA-F]{4})|u\{([\da-fA-F]+)\})/g)) {
    const cp = parseInt(m[1] ?? m[2] ?? m[3]!, 16);
    if (cp <= 0x10ffff) add(cp);
  }
  return [...extra];
}

function bitsOf(matcher: RegExp, sample: number[], offset: number): bigint {
  let bits = 0n;
  sample.forEach((cp, i) => {
    if (matcher.test(String.fromCodePoint(cp))) bits |= 1n << BigInt(offset + i);
  });
  return bits;
}

function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  return [ch.toLowerCase(), ch.toUpperCase()]
    .filter((v) => [...v].length === 1)
    .map((v) => v.codePointAt(0)!);
}
