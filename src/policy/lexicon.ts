/**
 * One pass over a view for every phrase list of every rule: the text is cut into word tokens once,
 * and each token is looked up in a hash of first words. A policy with thousands of terms costs one
 * token scan and a hash lookup per word, instead of one giant regular expression per rule (V8
 * compiles those slowly, case-insensitive Unicode ones worst of all, and may compile them again
 * after a garbage collection).
 */
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
  private owners = 0;

  get size(): number {
    return this.owners;
  }

  newOwner(): number {
    return this.owners++;
  }

  /** Add a phrase for `owner`; false when the phrase needs a regular expression instead. */
  add(owner: number, phrase: string, opts: { caseSensitive: boolean; stem: boolean; leet?: boolean }): boolean {
    const split = splitPhrase(phrase);
    if (!split) return false;
    const lower = split.words.map((w) => (opts.caseSensitive ? w : w.toLowerCase()));
    const words = opts.stem ? lower.map((w, k) => (split.wildcard[k] ? w : stem(w))) : lower;
    const entry: Entry = { owner, words, gaps: split.gaps, wildcard: split.wildcard, caseSensitive: opts.caseSensitive, stem: opts.stem, leet: opts.leet ?? true };
    const first = (words[0] as string).toLowerCase();
    if (opts.stem || split.wildcard[0]) {
      if (first.length < PREFIX) return false;
      push(this.prefixed, first.slice(0, PREFIX), entry);
    } else {
      push(this.exact, first, entry);
    }
    return true;
  }

  /** Every phrase occurrence in `text`, by owner. */
  run(text: string): Map<number, Match[]> {
    const hits = new Map<number, Match[]>();
    if (this.owners === 0) return hits;
    const { starts, ends } = tokenize(text);
    // Computed on demand, not cached per token: a multi-megabyte draft has millions of tokens, and
    // only the few that start a phrase are looked at twice.
    const lowerAt = (k: number) => text.slice(starts[k], ends[k]).toLowerCase();
    const stems = new Map<number, string>();
    const stemAt = (k: number) => {
      let s = stems.get(k);
      if (s === undefined) stems.set(k, (s = stem(lowerAt(k))));
      return s;
    };
    const matchesReading = (entry: Entry, w: number, token: string): boolean => {
      const want = entry.words[w] as string;
      if (entry.wildcard[w]) return token.startsWith(want);
      if (entry.stem) return stem(token) === want;
      return token === want;
    };
    const wordMatches = (entry: Entry, w: number, k: number): boolean => {
      const token = entry.caseSensitive ? text.slice(starts[k], ends[k]) : lowerAt(k);
      const direct = entry.stem && !entry.wildcard[w] ? stemAt(k) === entry.words[w] : matchesReading(entry, w, token);
      return direct || (entry.leet && deleet(token).some((reading) => matchesReading(entry, w, reading)));
    };
    const tryEntry = (entry: Entry, k: number) => {
      if (!wordMatches(entry, 0, k)) return;
      let last = k;
      for (let w = 1; w < entry.words.length; w++) {
        const next = last + 1;
        if (next >= starts.length) return;
        if (foldGap(text.slice(ends[last], starts[next])) !== entry.gaps[w - 1]) return;
        if (!wordMatches(entry, w, next)) return;
        last = next;
      }
      push(hits, entry.owner, { start: starts[k] as number, end: ends[last] as number });
    };
    const hasPrefixed = this.prefixed.size > 0;
    const lookup = (key: string, k: number, tried: Set<Entry>) => {
      const candidates = [...(this.exact.get(key) ?? []), ...(hasPrefixed && key.length >= PREFIX ? (this.prefixed.get(key.slice(0, PREFIX)) ?? []) : [])];
      for (const entry of candidates) {
        if (tried.has(entry)) continue;
        tried.add(entry);
        tryEntry(entry, k);
      }
    };
    for (let k = 0; k < starts.length; k++) {
      const key = lowerAt(k);
      const exact = this.exact.get(key);
      if (exact) for (const entry of exact) tryEntry(entry, k);
      if (hasPrefixed && key.length >= PREFIX) {
        const pre = this.prefixed.get(key.slice(0, PREFIX));
        if (pre) for (const entry of pre) tryEntry(entry, k);
      }
      // Digits standing in for letters: look the readings up too (rare, so cheap).
      const readings = deleet(key);
      if (readings.length > 0) {
        const tried = new Set<Entry>([...(exact ?? []), ...(hasPrefixed ? (this.prefixed.get(key.slice(0, PREFIX)) ?? []) : [])]);
        for (const reading of readings) lookup(reading, k, tried);
      }
    }
    return hits;
  }
}

const LEET_DIGITS: Record<string, string[]> = {
  "0": ["o"], "1": ["i", "l"], "2": ["z"], "3": ["e"], "4": ["a"], "5": ["s"], "6": ["g"], "7": ["t"], "8": ["b"], "9": ["g"],
};
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
