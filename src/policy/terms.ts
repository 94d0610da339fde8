/**
 * Phrase lists to regular expressions: word-bounded, white space and hyphens interchangeable (so a
 * hard line break inside a phrase still matches), `*` as a word-ending wildcard, optional
 * digit-for-letter swaps for organisation vocabulary (`K3strel`).
 */
import type { Organization } from "../types.js";
import type { OrgListName } from "./rule.js";
import { foldPhrase } from "../text/normalize.js";

const LEET: Record<string, string> = {
  a: "a4@", b: "b8", e: "e3", g: "g96", i: "i1!|", l: "l1|", o: "o0", s: "s5$", t: "t7+", z: "z2",
};

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"); // "-" is literal outside a class, and "\-" is invalid with the u flag
}

function charClass(chars: string): string {
  return `[${chars.replace(/[\]\\^-]/g, "\\$&")}]`;
}

/**
 * Word characters for boundaries, spelled out (Latin, Greek, Cyrillic letters and digits) so term
 * regexes need no `u` flag: V8 runs case-insensitive Unicode regexes 10-25 times slower.
 */
const WORD_CLASS = "[0-9A-Za-z_\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02AF\\u0370-\\u03FF\\u0400-\\u052F]";
export const WORD_BEFORE = `(?<!${WORD_CLASS})`;
export const WORD_AFTER = `(?!${WORD_CLASS})`;
const SEP = "[\\s\\-\\u00A0]+";

/**
 * Flags for a pattern: `u` only when the pattern needs it (`\p{…}`, `\u{…}`, characters outside
 * the BMP), because case-insensitive Unicode matching is far slower in V8.
 */
export function flagsFor(source: string, base: string): string {
  return /\\[pP]\{|\\u\{|[\uD800-\uDFFF]/.test(source) ? `${base}u` : base;
}

/** The regex source for one phrase, word-bounded where it starts and ends with a word character. */
/**
 * `capitalFirst`: the phrase's first letter must be upper case (as written) and every other letter
 * may be either case, for a regex compiled without the `i` flag: a codename such as "Bluefin" is
 * found as "Bluefin", "BLUEFIN" or "B1uef1n", but "bluefin tuna" is the fish.
 */
export function phraseSource(phrase: string, opts: { leet?: boolean; capitalFirst?: boolean } = {}): string {
  const { before, body, after } = phraseParts(phrase, opts);
  return `${before}(?:${body})${after}`;
}

function phraseParts(phrase: string, opts: { leet?: boolean; capitalFirst?: boolean }): { before: string; body: string; after: string } {
  const words = foldPhrase(phrase).trim().split(/\s+/).filter(Boolean);
  const body = words
    .map((word, w) => {
      const wildcard = word.endsWith("*") && word.length > 1;
      const core = wildcard ? word.slice(0, -1) : word;
      let src = "";
      let i = 0;
      for (const ch of core) {
        const alts = opts.leet ? LEET[ch.toLowerCase()] : undefined;
        if (opts.capitalFirst) {
          const upper = ch.toUpperCase();
          const lower = ch.toLowerCase();
          const cased = w === 0 && i === 0 ? upper : upper === lower ? ch : `${upper}${lower}`;
          const leetAlts = alts ? alts.replace(/[a-z]/g, "") : "";
          src += cased.length + leetAlts.length > 1 ? charClass(cased + leetAlts) : escapeRegex(ch);
        } else {
          src += alts ? charClass(alts) : escapeRegex(ch);
        }
        i++;
      }
      return wildcard ? `${src}[0-9A-Za-z\\u00C0-\\u024F]*` : src;
    })
    .join(SEP);
  const first = words[0] ?? "";
  const last = (words[words.length - 1] ?? "").replace(/\*$/, "");
  const before = /^[\p{L}\p{N}_]/u.test(first) ? WORD_BEFORE : "";
  const after = /[\p{L}\p{N}_]$/u.test(last) ? WORD_AFTER : "";
  return { before, body, after };
}

/**
 * Last words that say what kind of business a name is, not which one: "Nordvik Automotive" is
 * "Nordvik" in most sentences about it.
 */
const BUSINESS_SUFFIX =
  /\s+(?:inc|ltd|limited|plc|llc|llp|gmbh|ag|sa|nv|bv|corp|corporation|company|co|group|holdings|industries|international|motors|automotive|foods|drinks|brewing|media|press|tv|broadcasting|bank|financial|capital|insurance|assurance|health|healthcare|clinics|hospitals|pharma|pharmaceuticals|labs|laboratories|systems|technologies|technology|tech|software|solutions|networks|telecom|mobile|energy|utilities|logistics|airways|airlines|hotels|resorts|homes|developments|construction|partners|consulting|studios|games|gaming|interactive|entertainment|digital|publishing|pictures|records|music|ventures|enterprises|electronics|retail|stores|university)\.?$/i;

/**
 * A competitor's name without its business word ("Nordvik" for "Nordvik Automotive"), when what
 * is left is a name of four letters or more. Only competitors: their names matter only in rules
 * that also need a comparison or a put-down, while a customer's bare name would be flagged alone
 * and is too often an ordinary word or a first name ("Wayne Shipping").
 */
export function shortCompetitorName(name: string): string | undefined {
  const short = name.trim().replace(BUSINESS_SUFFIX, "").replace(/\s*(?:&|and)$/i, "").trim();
  return short !== name.trim() && /\p{L}{4}/u.test(short) ? short : undefined;
}

/** Entries of the named organisation lists, folded as drafts are (see foldPhrase). */
export function orgTerms(org: Organization, lists: readonly OrgListName[]): string[] {
  const out: string[] = [];
  for (const list of lists) {
    const value = org[list];
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) out.push(...value);
    if (list === "competitors") {
      for (const name of org.competitors) {
        const short = shortCompetitorName(name);
        if (short !== undefined) out.push(short);
      }
    }
  }
  const terms = out.filter((t) => t.trim() !== "").map(foldPhrase);
  // A name of several words is also written as one in hashtags and handles ("#ProjectHeron",
  // "@MarloweLogistics"); joined, it is no ordinary word, so it is matched in any case.
  for (const term of [...terms]) {
    const joined = term.trim().replace(/[\s-]+/g, "");
    if (joined !== term.trim() && joined.length >= 6 && !terms.includes(joined)) terms.push(joined);
  }
  return terms;
}

const GENERIC_PREFIX = /^(?:project|operation|programme|program|codename|code name|initiative)\s+(?=\S{4,})/i;

/**
 * Codenames written without their generic prefix ("Osprey" for "Project Osprey"). They are matched
 * only as written (capitalised), since the bare word is often an ordinary one (the osprey, a bird).
 */
export function bareCodenames(org: Organization, lists: readonly OrgListName[]): string[] {
  if (!lists.includes("codenames")) return [];
  return org.codenames.map((c) => c.trim().replace(GENERIC_PREFIX, "")).filter((bare, i) => bare !== org.codenames[i]?.trim());
}

/**
 * One alternation of phrases, longest first so the longest phrase wins at a position. When every
 * phrase has the same word boundaries (the usual case) they are written once around the whole
 * alternation: V8 then checks the lookbehind once per position instead of once per phrase, which
 * made a 60-phrase leetspeak list three times faster.
 */
export function phrasesSource(phrases: readonly string[], opts: { leet?: boolean; capitalFirst?: boolean } = {}): string | undefined {
  const unique = [...new Set(phrases.map((p) => p.trim()).filter(Boolean))];
  if (unique.length === 0) return undefined;
  unique.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const parts = unique.map((p) => phraseParts(p, opts));
  const [first] = parts;
  if (first && parts.every((p) => p.before === first.before && p.after === first.after)) {
    return `${first.before}(?:${parts.map((p) => p.body).join("|")})${first.after}`;
  }
  return parts.map((p) => `${p.before}(?:${p.body})${p.after}`).join("|");
}

/**
 * `{currency}`: a currency sign or prefix written before an amount ($, £, €, ₹, ₱, ¥, ₩, ₦, ₺, ₫,
 * ₪, ฿, ₴, ₽, ₵, S$, A$, C$, NZ$, HK$, US$, R$, and RM, Rp, Rs, KSh or CHF before a digit). One
 * definition for the many patterns that read money, so a currency added here is read by all of them.
 */
export const CURRENCY = String.raw`(?:[$£€₹₱¥₩₦₺₫₪฿₴₽₵]|\b(?:[SACR]|NZ|HK|US|AU)\$|\b(?:RM|Rp\.?|Rs\.?|KSh|CHF)\s?(?=\d))`;

/**
 * Words that end in "est" without being superlatives ("interest", "honest", "harvest"), and
 * superlatives of time and place that rank nothing ("latest", "nearest").
 */
const NOT_SUPERLATIVE = [
  "interest", "harvest", "protest", "contest", "attest", "detest", "conquest", "request", "inquest", "bequest", "arrest",
  "unrest", "manifest", "digest", "invest", "divest", "suggest", "ingest", "congest", "infest", "molest", "honest",
  "dishonest", "modest", "immodest", "earnest", "tempest", "behest", "priest", "forest", "southwest", "northwest",
  "midwest", "everest", "budapest", "chest", "guest", "quest", "crest", "wrest", "latest", "earliest", "nearest",
  "closest", "soonest", "furthest", "farthest",
];

/**
 * `{superlative}`: a superlative adjective, as an open class: "best", "most" or "least" and a word
 * ("most punctual"), or any word of two letters or more before "est" ("greenest", "tastiest"),
 * with a hyphenated second half ("fastest-growing", "best-selling"). A list of adjectives always
 * lacks the one a sector uses ("the world's greenest copper"); the shape does not.
 */
export const SUPERLATIVE = String.raw`(?:best|(?:most|least)\s(?!(?:of|people|times?|part|likely|recent(?:ly)?|often|days?|weeks?|months?|years?|and|or|to|in|on|at|for|from|with|by|than|the|a|an|us|them|it|is|was|are|were|will|would|can|could)\b)[a-z][a-z-]*|(?!(?:${NOT_SUPERLATIVE.join("|")})\b)[a-z]{2,}est)(?:-[a-z]+)?\b`;

/**
 * Replace `{currency}` (see CURRENCY), `{superlative}` (see SUPERLATIVE) and `{org.LIST}` in a
 * pattern, the last with an alternation of that list's entries.
 */
export function expandPlaceholders(pattern: string, org: Organization): string {
  // A pack's patterns hold over half a megabyte of source, most of it with no placeholder.
  if (!pattern.includes("{c") && !pattern.includes("{s") && !pattern.includes("{o")) return pattern;
  return pattern.replace(/\{(?:currency|superlative|org\.(\w+))\}/g, (all, list: string | undefined) => {
    if (list === undefined) return all === "{currency}" ? CURRENCY : SUPERLATIVE;
    const terms = orgTerms(org, [list as OrgListName]);
    if (terms.length === 0) return "(?!)";
    return `(?:${terms
      .sort((a, b) => b.length - a.length)
      .map((t) => t.trim().split(/\s+/).map(escapeRegex).join(SEP))
      .join("|")})`;
  });
}
