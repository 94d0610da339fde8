/**
 * One pass over a view for every phrase list of every rule: the text is cut into word tokens once,
 * and each token is looked up in a hash of first words. A policy with thousands of terms costs one
 * token scan and a hash lookup per word, instead of one giant regular expression per rule (V8
 * compiles those slowly, case-insensitive Unicode ones worst of all, and may compile them again
 * after a garbage collection).
 */
import { foldPhrase } from "../text/normalize.js";
import { stem } from "../text/nlp.js";
import type { Match } from "./rule.js";

interface Entry {
  owner: number;
  /** Words as written (lower-case unless case-sensitive); for stem entries, the stems. */
  words: string[];
  /** Literal text between word i and i+1, white space and hyphens folded to one space. */
  gaps: string[];
  /** Word i is a prefix (`leak*`). */
  wildcard: boolean[];
  caseSensitive: boolean;
  stem: boolean;
  /** Also match tokens that swap letters for digits. */
  leet: boolean;
}

const PREFIX = 3;

// What a UTF-16 unit contributes to its token, as bits (one table lookup for ASCII): whether it is
// part of a word at all, and what run() must know of the token (lower-casing, leetspeak readings).
const WORD = 1;
const UPPER = 2;
const DIGIT = 4;
const LETTER = 8;
const NON_ASCII = 16;

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 48 && c <= 57) ASCII_CLASS[c] = WORD | DIGIT;
  else if (c >= 65 && c <= 90) ASCII_CLASS[c] = WORD | UPPER | LETTER;
  else if (c >= 97 && c <= 122) ASCII_CLASS[c] = WORD | LETTER;
  else if (c === 95) ASCII_CLASS[c] = WORD;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** The Unicode test of a non-ASCII unit, remembered per unit (0 not yet asked, 1 word, 2 not). */
const UNIT_IS_WORD = new Uint8Array(65536);

/** Class bits of the UTF-16 unit `c`; 0 for a unit between words (a lone surrogate half is one). */
function classOf(c: number): number {
  if (c < 128) return ASCII_CLASS[c] as number;
  let known = UNIT_IS_WORD[c] as number;
  if (known === 0) UNIT_IS_WORD[c] = known = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
  return known === 1 ? WORD | NON_ASCII : 0;
}

/** Word tokens of `text` as [start, end) pairs. */
export function tokenize(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && classOf(text.charCodeAt(i)) === 0) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && classOf(text.charCodeAt(i)) !== 0) i++;
    starts.push(s);
    ends.push(i);
  }
  return { starts, ends };
}

/** Start of the first word at or after `i` (text.length if none). */
function wordStart(text: string, i: number): number {
  const n = text.length;
  while (i < n && classOf(text.charCodeAt(i)) === 0) i++;
  return i;
}

/** End of the word that starts at `i`. */
function wordEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && classOf(text.charCodeAt(i)) !== 0) i++;
  return i;
}

// Signatures: 16-bit hashes of a lower-case word and of its first PREFIX units, marked in a table
// per lexicon for its keys. run() hashes each token while it cuts it, and an ASCII token whose
// signatures are not marked cannot start a phrase, so it is skipped without being cut out as a
// string: that is most tokens of a text, and slicing, lower-casing and looking each one up in a Map
// was most of the pass.
const SIGNATURES = 0x10000;
/** Bits of a signature table entry: which kind of key has that signature. */
const SIG_WORD = 1;
const SIG_PREFIX = 2;
/** The same for the leetspeak form of keys (see leetUnit). */
const SIG_LEET_WORD = 4;
const SIG_LEET_PREFIX = 8;

/** Hash of a word so far, extended by the unit `c`; `| 0x20` lower-cases ASCII letters. */
function hashStep(hash: number, c: number): number {
  return Math.imul(hash, 31) + (c | 0x20);
}

/** The top 16 bits of a multiplicative hash, so that similar words land far apart. */
function signature(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> 16;
}

/** Whether some key of the kind `bit` (SIG_*) has the signature of `hash`. */
function marked(signatures: Uint8Array, hash: number, bit: number): boolean {
  return ((signatures[signature(hash)] as number) & bit) !== 0;
}

/**
 * A unit as every leetspeak reading of it looks once the letters one digit stands for are taken as
 * one letter ("l" and "i", both read from "1"): a digit becomes its first letter, and so does each
 * of its other letters. Two words that are readings of one another have the same units here, so a
 * token none of whose readings can be a key (or start with a prefix) is known from its hash alone;
 * that spares building the readings of version numbers, hashes and the like ("v16", "es2015",
 * "utf8"), which technical prose is full of.
 */
function leetUnit(c: number): number {
  return c < 128 ? (LEET_UNITS[c] as number) : c;
}

/** Hash of [s, e) of `text` as run() computes it (`leet`: of its leetUnit form), and of its first PREFIX units. */
function hashOf(text: string, s: number, e: number, leet: boolean): { word: number; prefix: number } {
  let word = 0;
  let prefix = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    word = hashStep(word, leet ? leetUnit(c) : c);
    if (i - s + 1 === PREFIX) prefix = word;
  }
  return { word, prefix };
}

/** White space, hyphens and Markdown emphasis between words all count as one space. */
function foldGap(gap: string): string {
  if (gap === " ") return gap; // nearly every gap
  return gap.replace(/[\s\-\u00A0*_~]+/g, " ");
}

/** Split a phrase into words and gaps the way `tokenize` cuts text; undefined if it is not lexicon-shaped. */
function splitPhrase(phrase: string): { words: string[]; gaps: string[]; wildcard: boolean[] } | undefined {
  const trimmed = phrase.trim();
  const { starts, ends } = tokenize(trimmed.replace(/\*/g, " "));
  if (starts.length === 0) return undefined;
  // The phrase must start and end with a word (or a trailing wildcard): "#1" and "!!!" need a regex.
  if (starts[0] !== 0) return undefined;
  const lastEnd = ends[ends.length - 1] as number;
  if (lastEnd !== trimmed.length && !(lastEnd === trimmed.length - 1 && trimmed.endsWith("*"))) return undefined;
  const words: string[] = [];
  const gaps: string[] = [];
  const wildcard: boolean[] = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k] as number;
    const e = ends[k] as number;
    words.push(trimmed.slice(s, e));
    const star = trimmed[e] === "*";
    wildcard.push(star);
    if (k + 1 < starts.length) {
      const gap = foldGap(trimmed.slice(e + (star ? 1 : 0), starts[k + 1]));
      if (star && gap !== " ") return undefined; // a wildcard must end its word
      gaps.push(gap);
    }
  }
  return { words, gaps, wildcard };
}

export class Lexicon {
  private exact = new Map<string, Entry[]>();
  private prefixed = new Map<string, Entry[]>();
  /** Signatures of the keys of `exact` and `prefixed`: SIG_* bits of the kinds of key that have each. */
  private signatures = new Uint8Array(SIGNATURES);
  private owners = 0;

  get size(): number {
    return this.owners;
  }

  newOwner(): number {
    return this.owners++;
  }

  /** Add a phrase for `owner`; false when the phrase needs a regular expression instead. */
  add(owner: number, phrase: string, opts: { caseSensitive: boolean; stem: boolean; leet?: boolean }): boolean {
    const split = splitPhrase(foldPhrase(phrase));
    if (!split) return false;
    const lower = split.words.map((w) => (opts.caseSensitive ? w : w.toLowerCase()));
    const words = opts.stem ? lower.map((w, k) => (split.wildcard[k] ? w : stem(w))) : lower;
    const entry: Entry = { owner, words, gaps: split.gaps, wildcard: split.wildcard, caseSensitive: opts.caseSensitive, stem: opts.stem, leet: opts.leet ?? true };
    const first = (words[0] as string).toLowerCase();
    if (opts.stem || split.wildcard[0]) {
      if (first.length < PREFIX) return false;
      const prefix = first.slice(0, PREFIX);
      push(this.prefixed, prefix, entry);
      this.mark(prefix, SIG_PREFIX, SIG_LEET_PREFIX);
    } else {
      push(this.exact, first, entry);
      this.mark(first, SIG_WORD, SIG_LEET_WORD);
    }
    return true;
  }

  /** Mark the signatures of `key`, and of its leetspeak form, in the table. */
  private mark(key: string, bit: number, leetBit: number): void {
    const plain = signature(hashOf(key, 0, key.length, false).word);
    this.signatures[plain] = (this.signatures[plain] as number) | bit;
    const leet = signature(hashOf(key, 0, key.length, true).word);
    this.signatures[leet] = (this.signatures[leet] as number) | leetBit;
  }

  /** Every phrase occurrence in `text`, by owner. */
  run(text: string): Map<number, Match[]> {
    const hits = new Map<number, Match[]>();
    if (this.owners === 0) return hits;
    // This loop sees every unit of the text, so it keeps to local variables (no closures over
    // them, which would make V8 reload each from a context object); the tokens that get past the
    // signatures go to a Pass, which does the rest.
    const pass = new Pass(text, this.exact, this.prefixed, hits);
    const signatures = this.signatures;
    const hasPrefixed = this.prefixed.size > 0;
    const n = text.length;
    let i = 0;
    while (i < n) {
      // Cut the next token, collecting its class bits and the hashes of it and of its prefix.
      let c = text.charCodeAt(i);
      let bits = classOf(c);
      while (bits === 0) {
        if (++i >= n) return hits;
        c = text.charCodeAt(i);
        bits = classOf(c);
      }
      const s = i;
      let flags = 0;
      let hash = 0;
      let prefixHash = 0;
      for (;;) {
        flags |= bits;
        hash = hashStep(hash, c);
        if (++i - s === PREFIX) prefixHash = hash;
        if (i >= n) break;
        c = text.charCodeAt(i);
        bits = classOf(c);
        if (bits === 0) break;
      }
      if ((flags & NON_ASCII) !== 0) {
        pass.token(s, i, flags, true); // outside ASCII, only toLowerCase knows the key
        continue;
      }
      // Most ASCII tokens start no phrase and have no leetspeak reading: skip them on their signatures.
      const long = hasPrefixed && i - s >= PREFIX;
      const direct = marked(signatures, hash, SIG_WORD) || (long && marked(signatures, prefixHash, SIG_PREFIX));
      let readings = false;
      if ((flags & (DIGIT | LETTER)) === (DIGIT | LETTER)) {
        const leet = hashOf(text, s, i, true);
        readings = marked(signatures, leet.word, SIG_LEET_WORD) || (long && marked(signatures, leet.prefix, SIG_LEET_PREFIX));
      }
      if (direct || readings) pass.token(s, i, flags, readings);
    }
    return hits;
  }
}

/** One run() over one text, from the tokens that may start a phrase on: lookups and matching. */
class Pass {
  /** Stems by token start, computed on demand: only the few tokens that start a phrase need one. */
  private stems: Map<number, string> | undefined;
  private readonly hasPrefixed: boolean;

  constructor(
    private readonly text: string,
    private readonly exact: Map<string, Entry[]>,
    private readonly prefixed: Map<string, Entry[]>,
    private readonly hits: Map<number, Match[]>,
  ) {
    this.hasPrefixed = prefixed.size > 0;
  }

  /** Try every entry that token [s, e) may start, directly or (if `readings`) by a leetspeak reading. */
  token(s: number, e: number, flags: number, readings: boolean): void {
    // Upper case, and anything outside ASCII, goes through toLowerCase; lower-case ASCII is its own key.
    const key = (flags & (UPPER | NON_ASCII)) === 0 ? this.text.slice(s, e) : this.lowerOf(s, e);
    const exact = this.exact.get(key);
    if (exact) for (const entry of exact) this.tryEntry(entry, s, e, key);
    const pre = this.hasPrefixed && key.length >= PREFIX ? this.prefixed.get(key.slice(0, PREFIX)) : undefined;
    if (pre) for (const entry of pre) this.tryEntry(entry, s, e, key);
    // Digits standing in for letters: look the readings up too (rare, so cheap).
    if (!readings) return;
    const leet = deleet(key);
    if (leet.length === 0) return;
    const tried = new Set<Entry>(exact);
    for (const entry of pre ?? []) tried.add(entry);
    for (const reading of leet) {
      this.tryOnce(this.exact.get(reading), s, e, key, tried);
      if (this.hasPrefixed && reading.length >= PREFIX) this.tryOnce(this.prefixed.get(reading.slice(0, PREFIX)), s, e, key, tried);
    }
  }

  /** tryEntry for the entries of `list` not yet in `tried`, which gets them. */
  private tryOnce(list: Entry[] | undefined, s: number, e: number, lower: string, tried: Set<Entry>): void {
    for (const entry of list ?? []) {
      if (tried.has(entry)) continue;
      tried.add(entry);
      this.tryEntry(entry, s, e, lower);
    }
  }

  /**
   * Record `entry` if it starts at token [s, e) (lower-cased: `lower`). Tokens are not kept: the
   * phrase's later words are cut again from where its first word ends, which is rare enough to cost
   * less than arrays of every token's bounds.
   */
  private tryEntry(entry: Entry, s: number, e: number, lower: string): void {
    if (!this.wordMatches(entry, 0, s, e, lower)) return;
    const text = this.text;
    let end = e;
    for (let w = 1; w < entry.words.length; w++) {
      const next = wordStart(text, end);
      if (next >= text.length) return;
      if (foldGap(text.slice(end, next)) !== entry.gaps[w - 1]) return;
      const nextEnd = wordEnd(text, next);
      if (!this.wordMatches(entry, w, next, nextEnd)) return;
      end = nextEnd;
    }
    push(this.hits, entry.owner, { start: s, end });
  }

  /** Whether token [s, e) is word `w` of `entry`; `lower` is the token lower-cased, when known. */
  private wordMatches(entry: Entry, w: number, s: number, e: number, lower?: string): boolean {
    const token = entry.caseSensitive ? this.text.slice(s, e) : (lower ?? this.lowerOf(s, e));
    const direct = entry.stem && !entry.wildcard[w] ? this.stemOf(s, e) === entry.words[w] : matchesReading(entry, w, token);
    return direct || (entry.leet && deleet(token).some((reading) => matchesReading(entry, w, reading)));
  }

  private lowerOf(s: number, e: number): string {
    return this.text.slice(s, e).toLowerCase();
  }

  private stemOf(s: number, e: number): string {
    this.stems ??= new Map();
    let st = this.stems.get(s);
    if (st === undefined) this.stems.set(s, (st = stem(this.lowerOf(s, e))));
    return st;
  }
}

/** Whether `token` (or a leetspeak reading of it) is word `w` of `entry`. */
function matchesReading(entry: Entry, w: number, token: string): boolean {
  const want = entry.words[w] as string;
  if (entry.wildcard[w]) return token.startsWith(want);
  if (entry.stem) return stem(token) === want;
  return token === want;
}

const LEET_DIGITS: Record<string, string[]> = {
  "0": ["o"], "1": ["i", "l"], "2": ["z"], "3": ["e"], "4": ["a"], "5": ["s"], "6": ["g"], "7": ["t"], "8": ["b"], "9": ["g"],
};
/** leetUnit of each ASCII unit: lower-cased, and digits and their letters (either case) to the digit's first letter. */
const LEET_UNITS = Uint16Array.from({ length: 128 }, (_, c) => c | 0x20);
for (const [digit, letters] of Object.entries(LEET_DIGITS)) {
  const unit = (letters[0] as string).charCodeAt(0);
  LEET_UNITS[digit.charCodeAt(0)] = unit;
  for (const letter of letters) {
    LEET_UNITS[letter.charCodeAt(0)] = unit;
    LEET_UNITS[letter.toUpperCase().charCodeAt(0)] = unit;
  }
}
const HAS_LETTER = /[a-z]/i;
const HAS_DIGIT = /\d/;

/**
 * Readings of a token that swaps letters for digits ("sh1tshow", "M4r1g0ld"): none for ordinary
 * words and numbers, a few for mixed tokens (case is kept, so a capitalised name stays capitalised).
 */
export function deleet(token: string): string[] {
  if (!HAS_DIGIT.test(token) || !HAS_LETTER.test(token)) return [];
  let readings = [""];
  for (const ch of token) {
    const swaps = LEET_DIGITS[ch];
    if (!swaps) readings = readings.map((r) => r + ch);
    else readings = readings.flatMap((r) => swaps.map((s) => r + s)).slice(0, 8);
  }
  return readings;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
