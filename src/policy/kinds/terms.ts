/** `kind: terms`: word and phrase lists, organisation vocabulary, optional stemming. */
import { stem } from "../../text/nlp.js";
import { matchesOf } from "../../text/search.js";
import { ORG_LISTS } from "../../types.js";
import type { Finder, FinderPart, Match, OrgListName, RuleKind } from "../rule.js";
import { DIGIT } from "../prefilter.js";
import { bareCodenames, flagsFor, orgTerms, phraseSource, phrasesSource, WORD_AFTER, WORD_BEFORE, escapeRegex } from "../terms.js";

export interface TermsSettings {
  terms: string[];
  org: OrgListName[];
  stem: boolean;
  caseSensitive: boolean;
  leet?: boolean;
}

export const termsKind: RuleKind<TermsSettings> = {
  keys: ["terms", "org", "stem", "caseSensitive", "leet"],
  description: "word and phrase lists matched on word boundaries, optionally by stem",
  parse(yaml, node, what) {
    const terms = yaml.strings(node, "terms", what) ?? [];
    const org = (yaml.strings(node, "org", what) ?? []) as OrgListName[];
    for (const [i, list] of org.entries()) {
      if (!(ORG_LISTS as readonly string[]).includes(list)) {
        yaml.fail(yaml.item(node, "org", i), `unknown organisation list "${list}" in ${what}`, `valid lists: ${ORG_LISTS.join(", ")}`);
      }
    }
    if (terms.length === 0 && org.length === 0) {
      yaml.fail(node, `${what} has neither "terms" nor "org"`, "a terms rule needs a list of phrases or organisation lists");
    }
    return {
      terms,
      org,
      stem: yaml.boolean(node, "stem", what) ?? false,
      caseSensitive: yaml.boolean(node, "caseSensitive", what) ?? false,
      leet: yaml.boolean(node, "leet", what),
    };
  },
  compile(settings, env): Finder {
    const flags = settings.caseSensitive ? "g" : "gi";
    const vocabulary = orgTerms(env.org, settings.org);
    const owner = env.lexicon.newOwner();
    // Leetspeak readings are on unless the rule says `leet: false`; the lexicon reads digits for
    // letters itself ("c0nfidential"), so only symbols for letters ("c@nfidential") need the
    // leetspeak regular expression, which then runs only near such symbols.
    const opts = { caseSensitive: settings.caseSensitive, stem: settings.stem, leet: settings.leet !== false };
    const leetTerms = settings.leet === true;
    const leetVocabulary = settings.leet ?? true;
    // Plain phrases go to the shared lexicon; phrases that start or end with a symbol ("#1") and
    // short stems need a regular expression.
    const regexTerms = settings.terms.filter((t) => !env.lexicon.add(owner, t, opts));
    // Codenames written capitalised are matched capitalised: many are ordinary words (a bluefin tuna).
    const codenames = new Set(settings.org.includes("codenames") ? env.org.codenames.map((c) => c.trim()) : []);
    const capitalised = settings.caseSensitive ? [] : vocabulary.filter((t) => codenames.has(t.trim()) && /^\p{Lu}/u.test(t.trim()));
    const otherVocabulary = vocabulary.filter((t) => !capitalised.includes(t));
    const regexVocabulary = otherVocabulary.filter((t) => !env.lexicon.add(owner, t, opts));
    const bare = bareCodenames(env.org, settings.org);
    for (const word of bare) env.lexicon.add(owner, word, { caseSensitive: true, stem: false, leet: settings.leet !== false });
    // A bare codename ("Falcon" of "Project Falcon") written in capitals or with a symbol for a
    // letter ("FALCON", "F@lcon") is found like a capitalised codename: first letter as written.
    const capitalForms = [...capitalised, ...(settings.caseSensitive ? [] : bare.filter((b) => /^\p{Lu}/u.test(b)))];
    const parts: FinderPart[] = [];
    let fallback: Finder | undefined;
    if (settings.stem) {
      if (regexTerms.length + regexVocabulary.length > 0) fallback = stemFinder([...regexTerms, ...regexVocabulary], flags);
    } else {
      fallback = sourcesFinder([phrasesSource(regexTerms, { leet: leetTerms }), phrasesSource(regexVocabulary, { leet: leetVocabulary })], flags);
      const symbols = sourcesFinder([leetTerms ? phrasesSource(settings.terms, { leet: true }) : undefined, leetVocabulary ? phrasesSource(otherVocabulary, { leet: true }) : undefined], flags);
      if (symbols) parts.push(env.plain ? { find: symbols } : { needles: LEET_SYMBOLS, find: symbols });
      const capitalSource = phrasesSource(capitalForms, { leet: leetVocabulary, capitalFirst: true });
      if (capitalSource) {
        // Written in lower case, a codename still counts when it is used as a name: followed by
        // what projects have (a beta, a launch, a demo), as in "sandpiper beta opens on monday".
        const names = phrasesSource(capitalised, { leet: leetVocabulary });
        const asName = `(?:${names ?? "(?!)"})(?=[\\s\\-]+(?:[a-z]+[\\s\\-]+)?(?:beta|alpha|launch|demo|release|build|team|project|rollout|roadmap|milestone|pilot|ga|v\\d|update|kickoff|sprint|standup|deadline|preview|opens|ships|goes\\slive|is\\slive|prototype|mvp|integration|migration|dashboard|api|sdk|repo|branch|firmware|software|hardware|codebase|backend|frontend|service|model|chip|device|feature|module|spec|design\\sreview|tests)\\b)`;
        const capitalFinder = regexFinder(new RegExp(capitalSource, flagsFor(capitalSource, "g")));
        const nameFinder = regexFinder(new RegExp(asName, flagsFor(asName, "gi")));
        // Any spelling of a codename has its first word's letters, or a digit or symbol standing
        // in for one of them.
        const needles = [...new Set(capitalForms.map((c) => (c.trim().split(/[\s\-\u00A0]+/)[0] ?? "").toLowerCase()).filter(Boolean)), ...LEET_SYMBOLS, DIGIT];
        // In lower case, a digit or symbol standing in for a letter ("m4rigold") is a disguise:
        // nobody writes the ordinary word that way.
        const leetSource = leetVocabulary ? phrasesSource(capitalForms, { leet: true }) : undefined;
        const leetFinder = leetSource ? regexFinder(new RegExp(leetSource, flagsFor(leetSource, "gi"))) : undefined;
        const disguised: Finder = (text, ctx) => (leetFinder ? leetFinder(text, ctx).filter((m) => DISGUISE.test(text.slice(m.start, m.end))) : []);
        const both: Finder = (text, ctx) => [...capitalFinder(text, ctx), ...nameFinder(text, ctx), ...disguised(text, ctx)];
        parts.push(env.plain ? { find: both } : { needles, find: both });
      }
    }
    const rest = fallback;
    parts.unshift({ find: (text, ctx) => (rest ? [...ctx.lexicon(owner), ...rest(text, ctx)] : ctx.lexicon(owner)) });
    const find: Finder = (text, ctx) => parts.flatMap((part) => part.find(text, ctx));
    find.parts = parts;
    return find;
  },
};

/** A character that is neither a letter nor a separator: in a codename's spelling, a stand-in for a letter. */
const DISGUISE = /[^\p{L}\s\-\u00A0]/u;

/** Characters that stand in for letters in leetspeak and that the lexicon cannot read: @ for a, $ for s… */
const LEET_SYMBOLS = ["@", "$", "!", "|", "+"];

/** One regex finder for the sources given, or undefined when there are none. */
function sourcesFinder(sources: (string | undefined)[], flags: string): Finder | undefined {
  const present = sources.filter((s): s is string => s !== undefined);
  if (present.length === 0) return undefined;
  const source = present.join("|");
  return regexFinder(new RegExp(source, flagsFor(source, flags)));
}

export function regexFinder(re: RegExp): Finder {
  return (text) => {
    const out: Match[] = [];
    for (const m of matchesOf(re, text)) out.push({ start: m.index, end: m.index + m[0].length });
    return out;
  };
}

/**
 * Stemmed phrases: a cheap regex finds words that start like each stem, then every word of the
 * candidate is stemmed and compared, so `leak` finds `leaked` and `leaking` but not `leaflet`.
 */
function stemFinder(phrases: string[], flags: string): Finder {
  const wanted = new Set<string>();
  const sources: string[] = [];
  for (const phrase of phrases) {
    const words = phrase.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const stems = words.map((w) => stem(w));
    wanted.add(stems.join(" "));
    const body = stems
      .map((s, i) => {
        const prefix = s.length > 3 ? s.replace(/[eyi]$/, "") : (words[i] as string);
        return `${escapeRegex(prefix)}[A-Za-z\\u00C0-\\u024F]*`;
      })
      .join("[\\s\\-]+");
    sources.push(`${WORD_BEFORE}${body}${WORD_AFTER}`);
  }
  if (sources.length === 0) return () => [];
  const candidates = regexFinder(new RegExp(sources.join("|"), flagsFor(sources.join("|"), flags)));
  return (text, ctx) =>
    candidates(text, ctx).filter((m) => {
      const words = text.slice(m.start, m.end).split(/[\s-]+/);
      return wanted.has(words.map((w) => stem(w)).join(" "));
    });
}

export { phraseSource };
