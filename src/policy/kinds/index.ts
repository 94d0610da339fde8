/** The registry of rule kinds. A kind missing here fails to compile, not at run time. */
import type { RuleKind } from "../rule.js";
import { classifierKind } from "./classifier.js";
import { patternKind } from "./pattern.js";
import { sentimentKind } from "./sentiment.js";
import { termsKind } from "./terms.js";

export type KindName = "terms" | "pattern" | "sentiment" | "classifier";

export const kinds = {
  terms: termsKind,
  pattern: patternKind,
  sentiment: sentimentKind,
  classifier: classifierKind,
} satisfies Record<KindName, RuleKind<unknown>>;

export const KIND_NAMES = Object.keys(kinds) as KindName[];
