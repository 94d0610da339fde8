/**
 * Needles: literal strings at least one of which every match of a regular expression contains
 * (the idea behind RE2's and Hyperscan's prefilters). A rule whose pattern has needles only runs
 * where a needle occurs, so one scan for all needles replaces most full regex passes.
 * Computed from the pattern's syntax tree (ESLint's regexpp parser): never guessed, so a prefilter
 * can never hide a match; where nothing is certain, the rule simply runs everywhere.
 */
import { createRequire } from "node:module";
import type { AST, RegExpParser as Parser } from "@eslint-community/regexpp";

// Loaded on first use: a policy served from the cache never needs the parser.
let parser: Parser | undefined;
function regexParser(): Parser {
  if (!parser) {
    const { RegExpParser } = createRequire(import.meta.url)("@eslint-community/regexpp") as typeof import("@eslint-community/regexpp");
    parser = new RegExpParser({ ecmaVersion: 2025 });
  }
  return parser;
}

/** Possible full strings of a node (small sets only) and strings one of which any match contains. */
interface Info {
  exact: Set<string> | null;
  need: Set<string> | null;
}

/** Most strings an alternation may stand for, and most a sequence may combine into. */
const MAX_SET = 64;
const MAX_PRODUCT = 24;
/** The needle "three or more digits in a row", for numbers, cards, phones and addresses. */
export const DIGITS = "\u0000digits";
/** The needle "a digit", for numbers of any length: weaker than any word, but better than nothing. */
export const DIGIT = "\u0000digit";
const MAX_LEN = 24;
const ANY: Info = { exact: null, need: null };
const EMPTY: Info = { exact: new Set([""]), need: null };
/** A node that can never match, such as `(?!)`, which an empty organisation list expands to. */
const NEVER: Info = { exact: new Set(), need: new Set() };
const isNever = (info: Info) => info.exact !== null && info.exact.size === 0;

/**
 * Words so common that a needle made of one finds a hit in every paragraph: scanning for them
 * costs more than it saves, so a rule whose only certain literals are these runs everywhere.
 */
const COMMON = new Set(
  ("the and are was for you our not but has had can all any its who how out get new now use one two see set may his her him she " +
    "with that this have from will been were more they them than then what when your also into only over some such very just " +
    "about after before would could should their there these those which while being does done each most much other same").split(" "),
);

/**
 * Letter pairs frequent in English text (inside words or as words): as needles they would hit
 * everywhere. Rarer pairs ("pw", "xk") are worth a scan when a pattern has nothing longer.
 */
const COMMON_PAIRS = new Set(
  ("th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur " +
    "ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh " +
    "ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa " +
    "ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys " +
    "ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa eq sy sl ps jo ff ya").split(" "),
);

/** A needle worth scanning for: a word of 3+ letters that is not common, 4+ characters, or a rare symbol such as `@` or `%` (alone or in a pair). */
function strong(needle: string): boolean {
  if (needle === DIGITS || needle === DIGIT) return true;
  const core = needle.trim();
  if (COMMON.has(core)) return false;
  if (core.length >= 4) return true;
  if (core.length === 3) return /^[a-z]{3}$/.test(core) || /^(?=.*[a-z0-9])(?=.*[^a-z\s])[^\s]{3}$/.test(core); // "a3t", "sg.", "u/p"
  if (core.length === 2 && /^[a-z0-9]?[~@#$%=|\\^*!+&][a-z0-9~@#$%=|\\^*!+&]?$/.test(core)) return true; // "q~" of an Azure secret, "f*" of a masked word
  if (core.length === 2 && /^[a-z]{2}$/.test(core)) return !COMMON_PAIRS.has(core); // "pw", but not "th"
  return core.length >= 1 && /^[@%$#€£¥§|\\=:/_]+$/.test(core) && core !== ":" && core !== "/";
}

function score(set: Set<string> | null): number {
  if (!set || set.size === 0) return -1;
  let min = Infinity;
  for (const s of set) min = Math.min(min, s === DIGITS ? 3 : s === DIGIT ? 1 : s.length);
  if (![...set].every(strong)) return -1;
  return min * 100 - set.size;
}

/** Both sets' strings; null past `most` strings. */
function union(a: Set<string>, b: Set<string>, most = MAX_SET): Set<string> | null {
  const out = new Set([...a, ...b]);
  return out.size > most ? null : out;
}

/** Every string of `a` followed by every string of `b`; null past `most` strings or MAX_LEN characters. */
function product(a: Set<string>, b: Set<string>, most = MAX_PRODUCT): Set<string> | null {
  if (a.size * b.size > most) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) {
    if (x.length + y.length > MAX_LEN) return null;
    out.add(x + y);
  }
  return out;
}

/**
 * A character as the needle scan sees it: lower case, and any white space as one space (the scan
 * folds all white space together), so `getting\sthe\ssack` gives the needle "getting the sack".
 */
function fold(value: number): string {
  const ch = String.fromCodePoint(value);
  return /\s/.test(ch) ? " " : ch.toLowerCase();
}

function charInfo(value: number): Info {
  const set = new Set([fold(value)]);
  return { exact: set, need: set };
}

function classInfo(node: AST.CharacterClass): Info {
  if (node.negate) return ANY;
  const set = new Set<string>();
  for (const el of node.elements) {
    if (el.type === "Character") set.add(fold(el.value));
    else if (el.type === "CharacterClassRange" && el.max.value - el.min.value < 4) {
      for (let c = el.min.value; c <= el.max.value; c++) set.add(fold(c));
    } else if (el.type === "CharacterSet" && el.kind === "space" && !el.negate) set.add(" ");
    else return ANY;
    if (set.size > 6) return ANY;
  }
  return set.size === 0 ? ANY : { exact: set, need: set };
}

function isDigitSet(el: AST.Element): boolean {
  if (el.type === "CharacterSet") return el.kind === "digit" && !el.negate;
  if (el.type === "CharacterClass" && !el.negate && el.elements.length === 1) {
    const only = el.elements[0];
    return (only?.type === "CharacterClassRange" && only.min.value === 48 && only.max.value === 57) || (only?.type === "CharacterSet" && only.kind === "digit" && !only.negate);
  }
  return false;
}

function alternativesInfo(alternatives: AST.Alternative[]): Info {
  let exact: Set<string> | null = new Set();
  let need: Set<string> | null = new Set();
  let possible = false;
  for (const alt of alternatives) {
    const info = sequenceInfo(alt.elements);
    if (isNever(info)) continue; // a branch that cannot match needs nothing of the others
    possible = true;
    exact = exact && info.exact ? union(exact, info.exact) : null;
    need = need && info.need ? union(need, info.need) : null;
  }
  return possible ? { exact, need } : NEVER;
}

/**
 * `required`, when given, collects every strong set the sequence needs (one of each must occur
 * for a match), not only the best one.
 */
function sequenceInfo(elements: AST.Element[], required?: Set<string>[]): Info {
  let best: Set<string> | null = null;
  const consider = (set: Set<string> | null) => {
    if (required && set && score(set) > 0) required.push(set);
    if (score(set) > score(best)) best = set;
  };
  let run: Set<string> | null = new Set([""]);
  let whole: Set<string> | null = new Set([""]);
  for (const el of elements) {
    const info = elementInfo(el);
    if (isNever(info)) return NEVER;
    consider(info.need);
    if (info.exact) {
      const longer: Set<string> | null = run ? product(run, info.exact) : info.exact;
      if (!longer) consider(run); // too many combinations: keep what the run had, start anew here
      run = longer ?? info.exact;
    } else {
      consider(run);
      run = new Set([""]);
    }
    whole = whole && info.exact ? product(whole, info.exact) : null;
  }
  consider(run);
  return { exact: whole, need: best };
}

function elementInfo(el: AST.Element): Info {
  if (isDigitSet(el)) return { exact: null, need: new Set([DIGIT]) };
  switch (el.type) {
    case "CharacterSet":
      if (el.kind === "space" && !el.negate) return { exact: new Set([" "]), need: new Set([" "]) };
      return ANY; // \d is handled above; \w, \S, ., \p{…} could be almost anything
    case "Character":
      return charInfo(el.value);
    case "CharacterClass":
      return classInfo(el);
    case "Assertion":
      // Zero-width; but what a positive lookaround must see is text a match needs nearby.
      if ((el.kind === "lookahead" || el.kind === "lookbehind") && !el.negate) {
        const inner = alternativesInfo(el.alternatives);
        return isNever(inner) ? NEVER : { exact: new Set([""]), need: inner.need };
      }
      // `(?!)`: a negative lookaround of the empty string never holds.
      if ((el.kind === "lookahead" || el.kind === "lookbehind") && el.alternatives.some((alt) => alt.elements.length === 0)) return NEVER;
      return EMPTY;
    case "Group":
    case "CapturingGroup":
      return alternativesInfo(el.alternatives);
    case "Quantifier": {
      if (el.min >= 3 && isDigitSet(el.element)) return { exact: null, need: new Set([DIGITS]) };
      if (el.min >= 1 && isDigitSet(el.element)) return { exact: null, need: new Set([DIGIT]) };
      if (el.min === 0) return ANY;
      const inner = elementInfo(el.element);
      if (isNever(inner)) return NEVER;
      return { exact: el.min === 1 && el.max === 1 ? inner.exact : null, need: inner.need };
    }
    default:
      return ANY; // back-references, class expressions
  }
}

/**
 * What a pattern's matches need: `needles`, lower-case strings one of which every match contains
 * (the engine runs the pattern only around them; [] when it can never match), and `also`, further
 * sets one string of each of which must occur somewhere in the text, else the pattern is skipped.
 */
export interface Prefilter {
  needles: string[];
  also: string[][];
  /**
   * The most characters a match and what its assertions look at can span, when that is bounded:
   * the text within this distance of a needle is all the pattern can need there.
   */
  reach?: number;
  /**
   * Strings one of which every match starts with, when that is certain and each is worth
   * scanning for: the pattern need only be tried (sticky) where one of them occurs, instead of
   * being run over the text around its needles.
   */
  starts?: string[];
}

/** How many extra required sets are worth counting. */
const MAX_ALSO = 4;

/**
 * The most UTF-16 code units a match of `node` can span, counting what lookarounds look at as if
 * it were matched; Infinity for unbounded repetition and back-references.
 */
function maxWidth(node: AST.Node): number {
  switch (node.type) {
    case "Pattern":
    case "Group":
    case "CapturingGroup":
      return Math.max(0, ...node.alternatives.map(maxWidth));
    case "Alternative":
      return node.elements.reduce((sum, el) => sum + maxWidth(el), 0);
    case "Assertion":
      return node.kind === "lookahead" || node.kind === "lookbehind" ? Math.max(0, ...node.alternatives.map(maxWidth)) : 0;
    case "Quantifier":
      return node.max === Infinity ? Infinity : node.max * maxWidth(node.element);
    case "Character":
    case "CharacterSet":
    case "CharacterClass":
    case "ExpressionCharacterClass":
      return 2; // a surrogate pair under the u flag
    default:
      return Infinity;
  }
}

/** Whether text containing one of `a` always contains one of `b`. */
function implies(a: string[], b: string[]): boolean {
  return a.every((x) => b.some((y) => x.includes(y) || (y === DIGIT && x === DIGITS)));
}

/** The prefilter of a pattern, or undefined when no strong set of literals is certain. */
export function prefilterFor(source: string, flags: string): Prefilter | undefined {
  const pattern = parse(source, flags);
  return pattern && prefilterOf(pattern);
}

/** The syntax tree of a pattern, or undefined when the parser does not take it. */
function parse(source: string, flags: string): AST.Pattern | undefined {
  try {
    return regexParser().parsePattern(source, 0, source.length, { unicode: flags.includes("u") });
  } catch {
    return undefined;
  }
}

function prefilterOf(pattern: AST.Pattern): Prefilter | undefined {
  // Case-sensitive patterns are prefiltered case-insensitively too: a superset is still safe.
  const required: Set<string>[] = [];
  const single = pattern.alternatives.length === 1 ? pattern.alternatives[0] : undefined;
  const info = single ? sequenceInfo(single.elements, required) : alternativesInfo(pattern.alternatives);
  if (isNever(info)) return { needles: [], also: [] };
  const starts = startsOfAlternatives(pattern.alternatives);
  const certainStarts = startsWorthScanning(starts);
  const set = info.need;
  if (!set || score(set) <= 0) {
    // No one literal every match contains, but every match starts with one of several.
    return certainStarts ? { needles: certainStarts, also: [], starts: certainStarts } : undefined;
  }
  const needles = [...set].sort();
  // A set is worth checking only if no set already kept implies it: "team is disbanded"
  // occurring means "team" occurs.
  const kept: string[][] = [needles];
  for (const other of required.sort((a, b) => score(b) - score(a))) {
    const list = [...other].sort();
    if (!kept.some((k) => implies(k, list)) && kept.length <= MAX_ALSO) kept.push(list);
  }
  const prefilter: Prefilter = { needles, also: kept.slice(1) };
  const width = maxWidth(pattern);
  // One more character on each side for a \b at either end.
  if (width !== Infinity) prefilter.reach = width + 2;
  if (certainStarts) prefilter.starts = certainStarts;
  return prefilter;
}

/**
 * How much of each start the needle scan looks for. Only where a match starts matters, not the
 * whole literal: longer starts find nearly the same positions but give the automaton many more
 * states (with the default pack, whole starts took it from 37,000 to 48,000 states and its table
 * past 16 bits an entry: 11 MB per thread instead of 4).
 */
const START_LENGTH = 10;

/** The starts as needles: cut to START_LENGTH, and only if every one is worth scanning for. */
function startsWorthScanning(starts: Set<string> | null): string[] | undefined {
  if (!starts || starts.size === 0) return undefined;
  const cut = new Set<string>();
  for (const s of starts) {
    const start = s.slice(0, START_LENGTH);
    if (start === "" || !strong(start)) return undefined;
    cut.add(start);
  }
  return [...cut].sort();
}

/**
 * Most strings a set of starts may hold. The needle scan takes thousands of needles at the cost of
 * one, so this is bounded only to keep the analysis and the cached policy small.
 */
const MAX_STARTS = 512;

const unionUpTo = (a: Set<string>, b: Set<string>) => union(a, b, MAX_STARTS);
const productUpTo = (a: Set<string>, b: Set<string>) => product(a, b, MAX_STARTS);

const isEmptyRun = (run: Set<string>) => run.size === 1 && run.has("");

/** Strings one of which every match of one of the alternatives starts with; null when unknown. */
function startsOfAlternatives(alternatives: AST.Alternative[]): Set<string> | null {
  let out: Set<string> | null = new Set();
  for (const alt of alternatives) {
    const own = startsOf(alt.elements, 0);
    if (!own) return null;
    out = unionUpTo(out, own);
    if (!out) return null;
  }
  return out;
}

/**
 * Strings one of which every match of elements[from..] starts with: the literal text the sequence
 * must begin with (zero-width assertions do not move the start), as long as it is certain.
 */
function startsOf(elements: AST.Element[], from: number): Set<string> | null {
  let run = new Set([""]);
  for (let i = from; i < elements.length; i++) {
    const el = elements[i] as AST.Element;
    if (el.type === "Assertion") {
      if (isNever(elementInfo(el))) return new Set();
      continue;
    }
    if (el.type === "Quantifier" && el.min === 0) {
      if (!isEmptyRun(run)) return run;
      // An optional first element: a match starts with it or with what follows. When it stands
      // for a few whole strings, with each of them followed by what follows.
      const rest = startsOf(elements, i + 1);
      if (!rest) return null;
      const whole = el.max === 1 ? elementInfo(el.element).exact : null;
      const own = (whole && productUpTo(whole, rest)) ?? startsOfElement(el.element);
      return own && unionUpTo(own, rest);
    }
    const exact = elementInfo(el).exact;
    if (exact) {
      if (exact.size === 0) return new Set(); // cannot match
      const longer = productUpTo(run, exact);
      if (!longer) return isEmptyRun(run) ? startsOfElement(el) : run;
      run = longer;
      continue;
    }
    const own = startsOfElement(el);
    if (isEmptyRun(run)) return own;
    return (own && productUpTo(run, own)) ?? run;
  }
  return isEmptyRun(run) ? null : run;
}

function startsOfElement(el: AST.Element): Set<string> | null {
  switch (el.type) {
    case "Group":
    case "CapturingGroup":
      return startsOfAlternatives(el.alternatives);
    case "Quantifier":
      return el.min >= 1 ? startsOfElement(el.element) : null;
    default: {
      const exact = elementInfo(el).exact;
      return exact && !exact.has("") ? exact : null;
    }
  }
}

/** Lower-case needles for a pattern, or undefined when no strong set is certain. */
export function needlesFor(source: string, flags: string): string[] | undefined {
  return prefilterFor(source, flags)?.needles;
}

/**
 * A pattern with its costly leading negative lookbehinds taken out: `rest` is the pattern without
 * them and `guards` are the lookbehinds, which the caller tests (sticky, at the match's start)
 * on each match of `rest`, going on one character later when one fails. That finds exactly the
 * matches of the whole pattern, since zero-width assertions at one position commute. V8 evaluates
 * a leading lookbehind at every position of the text before anything else, so a long one
 * (`(?<!\b(?:once|when)\s(?:\w+\s){0,3})`) made some patterns six times slower than their rest.
 * A one-character lookbehind stays: it is cheap, and it rules out positions inside words.
 */
export interface Hoisted {
  guards: string[];
  rest: string;
}

/** What the engine keeps of a pattern's analysis (cached with the policy). */
export interface PatternAnalysis {
  prefilter: Prefilter | null;
  hoisted: Hoisted | null;
}

export function analyzePattern(source: string, flags: string): PatternAnalysis {
  const pattern = parse(source, flags);
  if (!pattern) return { prefilter: null, hoisted: null };
  return { prefilter: prefilterOf(pattern) ?? null, hoisted: hoistLookbehinds(pattern, source) ?? null };
}

function hoistLookbehinds(pattern: AST.Pattern, source: string): Hoisted | undefined {
  if (pattern.alternatives.length !== 1) return undefined;
  const cut: AST.LookbehindAssertion[] = [];
  for (const el of pattern.alternatives[0]?.elements ?? []) {
    if (el.type !== "Assertion") break;
    if (el.kind === "lookbehind" && el.negate && !oneCharacter(el) && !hasCapture(el)) cut.push(el);
  }
  if (cut.length === 0) return undefined;
  let rest = "";
  let at = 0;
  for (const el of cut) {
    rest += source.slice(at, el.start);
    at = el.end;
  }
  rest += source.slice(at);
  return { guards: cut.map((el) => el.raw), rest };
}

/** A lookbehind of one character or character class. */
function oneCharacter(el: AST.LookbehindAssertion): boolean {
  const [only] = el.alternatives;
  return el.alternatives.length === 1 && only?.elements.length === 1 && ["Character", "CharacterClass", "CharacterSet"].includes(only.elements[0]?.type ?? "");
}

function hasCapture(node: AST.Node): boolean {
  if (node.type === "CapturingGroup") return true;
  if ("alternatives" in node) return node.alternatives.some((alt) => alt.elements.some(hasCapture));
  if (node.type === "Quantifier") return hasCapture(node.element);
  return false;
}
