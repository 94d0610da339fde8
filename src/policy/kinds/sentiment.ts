/**
 * `kind: sentiment`: a sentence that names a subject (a competitor, a customer) and whose word
 * valences (AFINN-165, negation-aware) add up to strongly negative. Respectful mentions pass.
 */
import { loadValences, sentimentScore } from "../../text/nlp.js";
import { sentenceStarts } from "../../text/view.js";
import { compileMatcher, parseMatcher } from "../matcher.js";
import type { Finder, Match, MatcherSpec, RuleKind } from "../rule.js";

export interface SentimentSettings {
  subject: MatcherSpec;
  /** Report sentences scoring at or below this (strongly negative)... */
  threshold?: number;
  /** ...or at or above this (strongly positive: praise). */
  above?: number;
}

const WORD = /[\p{L}][\p{L}'-]*/gu;

export const sentimentKind: RuleKind<SentimentSettings> = {
  keys: ["subject", "threshold", "above"],
  description: "strongly negative (or, with `above`, strongly positive) sentences that name a subject",
  parse(yaml, node, what) {
    const subjectNode = yaml.get(node, "subject");
    if (subjectNode === undefined) yaml.fail(node, `${what} is missing the required key "subject"`, "add subject: {org: [competitors]}");
    const threshold = yaml.number(node, "threshold", what);
    const above = yaml.number(node, "above", what);
    if (threshold !== undefined && above !== undefined) {
      yaml.fail(yaml.get(node, "above"), `${what} has both "threshold" and "above"`, "a sentiment rule reports either negative sentences (threshold) or positive ones (above)");
    }
    const settings: SentimentSettings = { subject: parseMatcher(yaml, subjectNode, `"subject" of ${what}`) };
    if (above !== undefined) settings.above = above;
    else settings.threshold = threshold ?? -3;
    return settings;
  },
  async compile(settings, env): Promise<Finder> {
    const subject = compileMatcher(settings.subject, env.org);
    const valences = await loadValences();
    if (!subject) return () => [];
    return (text) => {
      const out: Match[] = [];
      // Most texts name no subject at all: then no sentence needs finding or scoring.
      if (!subject.test(text)) return out;
      const starts = sentenceStarts(text);
      for (let i = 0; i < starts.length; i++) {
        const start = starts[i] as number;
        const end = starts[i + 1] ?? text.length;
        const sentence = text.slice(start, end);
        if (!subject.test(sentence)) continue;
        const words = sentence.match(WORD) ?? [];
        const score = sentimentScore(words, valences);
        if (settings.above !== undefined ? score < settings.above : score > (settings.threshold ?? -3)) continue;
        const lead = sentence.length - sentence.trimStart().length;
        out.push({ start: start + lead, end: start + sentence.trimEnd().length });
      }
      return out;
    };
  },
};
