/**
 * `kind: classifier`: a sentence whose words, weighed by a linear model learned from labelled drafts,
 * read like the rule's category. It catches what no pattern spells out (a leak told in plain words, a
 * veiled threat, an unsourced claim in an unusual form) at a threshold chosen to keep false alarms rare.
 *
 * The model is data in the pack: `bias` and `weights`, a list of `feature:weight` pairs. Features are
 * the Porter stems of a sentence's words and the pairs of adjacent ones (`feature+feature`), with the
 * organisation's names and numbers replaced by placeholders (`<org>`, `<product>`, `<codename>`,
 * `<competitor>`, `<customer>`, `<internal>`, `<money>`, `<pct>`, `<num>`) and a capitalised word
 * within a sentence marked `<cap>`, so a model learned on one organisation's drafts reads another's.
 * `rules/tools/train-classifiers.js` learns the models from the labelled sets with the same features.
 */
import { stem } from "../../text/nlp.js";
import { sentenceStarts } from "../../text/view.js";
import { escapeRegex } from "../terms.js";
import type { Organization } from "../../types.js";
import type { Finder, Match, RuleKind } from "../rule.js";

export interface ClassifierSettings {
  bias: number;
  /** Report sentences whose probability (the logistic of bias plus weights) is at least this. */
  threshold: number;
  /**
   * The weighed features, sorted (as Array.prototype.sort orders strings) and joined by spaces,
   * which no feature holds; `weights[i]` is the weight of the i-th. The policy cache holds the
   * settings as JSON, which a warm start reads before a post can be scanned: one string and a list
   * of numbers take 3 ms to parse for the bundled models' 31,000 weights, an object keyed by
   * feature 14 ms, and turning pairs into a table in V8's interpreter took 35-50 ms.
   */
  features: string;
  weights: number[];
}

/** A model's weights, looked up by feature in its sorted list. */
class Weights {
  readonly features: string[];

  constructor(
    features: string,
    readonly values: readonly number[],
  ) {
    this.features = features === "" ? [] : features.split(" ");
  }

  /** A feature's weight: 0 for a feature the model does not weigh. */
  of(feature: string): number {
    const list = this.features;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const f = list[mid] as string;
      if (f === feature) return this.values[mid] as number;
      if (f < feature) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }
}

/** The organisation's names, longest first, in one expression; `tokens[name]` is a name's placeholder. */
export interface EntityMatchers {
  regex: RegExp | undefined;
  tokens: ReadonlyMap<string, string>;
}

const ENTITY_LISTS: readonly (readonly [string, (org: Organization) => readonly (string | undefined)[]])[] = [
  ["xorgx", (o) => [o.name, ...o.aliases]],
  ["xproductx", (o) => o.products],
  ["xcodenamex", (o) => o.codenames],
  ["xcompetitorx", (o) => o.competitors],
  ["xcustomerx", (o) => o.customers],
  ["xinternalx", (o) => o.internalDomains],
];

const entityCache = new WeakMap<Organization, EntityMatchers>();

export function entityMatchers(org: Organization): EntityMatchers {
  const cached = entityCache.get(org);
  if (cached) return cached;
  const tokens = new Map<string, string>();
  for (const [token, list] of ENTITY_LISTS) {
    for (const n of list(org)) if (typeof n === "string" && n.trim() !== "" && !tokens.has(n.toLowerCase())) tokens.set(n.toLowerCase(), token);
  }
  const names = [...tokens.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRegex);
  const regex = names.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${names.join("|")})(?![\\p{L}\\p{N}_])`, "giu") : undefined;
  const out = { regex, tokens };
  entityCache.set(org, out);
  return out;
}

const TOKEN = /[$£€¥₹]\s?\d[\d,.]*\s?(?:bn|billion|m|million|k|mn)?\b|\d[\d,.]*\s?%|\d[\d,.]*|[A-Za-z][A-Za-z'’-]*|[!?]/g;
const PLACEHOLDER = /^x(?:org|product|codename|competitor|customer|internal)x$/;
const CAPITALISED = /^[A-Z][a-z]+$/;
const stems = new Map<string, string>();

/** The features of one sentence (see the module comment): unique, in order of first occurrence. */
export function sentenceFeatures(sentence: string, entities: EntityMatchers): string[] {
  return [...sentenceFeaturesOf(sentenceTokens(sentence, entities))];
}

/** The features of a sentence with these tokens: the tokens and each adjacent pair, unique. */
function sentenceFeaturesOf(tokens: readonly string[]): Set<string> {
  const features = new Set(tokens);
  for (let i = 0; i + 1 < tokens.length; i++) features.add(`${tokens[i] as string}+${tokens[i + 1] as string}`);
  return features;
}

/** A sentence's tokens (stems and placeholders), in order: its features are these and each adjacent pair. */
function sentenceTokens(sentence: string, entities: EntityMatchers): string[] {
  const s = entities.regex ? sentence.replace(entities.regex, (name) => ` ${entities.tokens.get(name.toLowerCase()) ?? ""} `) : sentence;
  const tokens: string[] = [];
  let first = true;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(s); m; m = TOKEN.exec(s)) {
    const w = m[0];
    const c = w.charCodeAt(0);
    if (w === "!" || w === "?") tokens.push(w);
    else if (c < 48 || c > 122) tokens.push("<money>");
    else if (c <= 57) tokens.push(w.endsWith("%") ? "<pct>" : "<num>");
    else if (PLACEHOLDER.test(w)) tokens.push(`<${w.slice(1, -1)}>`);
    else {
      if (!first && CAPITALISED.test(w)) tokens.push("<cap>");
      // By the word as written: most words recur in the same case, and lower-casing and trimming
      // each one again cost more than the stemmer's cache saved.
      let st = stems.get(w);
      if (st === undefined) {
        st = stem(w.toLowerCase().replace(/’/g, "'").replace(/'s$/, ""));
        if (stems.size < 20_000) stems.set(w, st);
      }
      tokens.push(st);
    }
    first = false;
  }
  return tokens;
}

/** The probability the model gives a sentence's features. */
export function classify(features: readonly string[], bias: number, weights: ReadonlyMap<string, number>): number {
  let z = bias;
  for (const f of features) z += weights.get(f) ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/** Feature lookups before a table numbers every weighed feature at once (see FeatureTable). */
const LAZY_LOOKUPS = 50_000;

/**
 * The features the models of one policy weigh, by number: each model keeps its
 * weights in an array by number, and a sentence's features are looked up once for all models
 * (a lookup in each model's object per feature made the learned rules twice as slow).
 *
 * The table starts empty and numbers features as scans meet them, asking each model's object, so
 * a run that scans a post or two never numbers the bundled models' 31,000 weights (35-50 ms in
 * V8's interpreter). After LAZY_LOOKUPS lookups, by when the code is optimised, it numbers every
 * weighed feature at once (1-2 ms): from then on a feature it does not know is weighed by none,
 * one map lookup. Number 0 is a feature no model weighs.
 */
class FeatureTable {
  private readonly ids = new Map<string, number>();
  /** Once complete, the numbers of weighed word pairs by first and second token: no "a+b" strings to build. */
  private readonly pairs = new Map<string, Map<string, number>>();
  private readonly models: { weights: Weights; byId: number[] }[] = [];
  private lookups = 0;
  private complete = false;
  /** seen[id] === stamp: the id is already in the sentence being read. */
  private seen = new Int32Array(0);
  private stamp = 0;
  /** Bumped when a model joins and the numbering starts again. */
  generation = 0;

  /** A model's weights by feature number, filled in as features are numbered. */
  register(weights: Weights): number[] {
    const byId = [0];
    this.models.push({ weights, byId });
    this.ids.clear();
    this.pairs.clear();
    for (const m of this.models) m.byId.length = 1;
    this.lookups = 0;
    this.complete = false;
    this.generation++;
    return byId;
  }

  /**
   * Appends to `out` the numbers of the weighed features of a sentence with these tokens (the
   * tokens and each adjacent pair, as sentenceFeatures), each once.
   */
  idsOf(tokens: readonly string[], out: number[]): void {
    if (!this.complete) {
      for (const f of sentenceFeaturesOf(tokens)) {
        const id = this.idOf(f);
        if (id !== 0) out.push(id);
      }
      return;
    }
    const size = (this.models[0] as { byId: number[] }).byId.length;
    if (this.seen.length < size) this.seen = new Int32Array(size);
    const seen = this.seen;
    const stamp = ++this.stamp;
    const add = (id: number | undefined) => {
      if (id === undefined || id === 0 || seen[id] === stamp) return;
      seen[id] = stamp;
      out.push(id);
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as string;
      add(this.ids.get(token));
      if (i + 1 < tokens.length) add(this.pairs.get(token)?.get(tokens[i + 1] as string));
    }
  }

  idOf(feature: string): number {
    const known = this.ids.get(feature);
    if (known !== undefined || this.complete) return known ?? 0;
    if (++this.lookups > LAZY_LOOKUPS) {
      this.numberAll();
      return this.ids.get(feature) ?? 0;
    }
    return this.weighs(feature) ? this.number(feature) : 0;
  }

  private weighs(feature: string): boolean {
    for (const m of this.models) if (m.weights.of(feature) !== 0) return true;
    return false;
  }

  private number(feature: string): number {
    const id = (this.models[0] as { byId: number[] }).byId.length;
    for (const m of this.models) m.byId.push(m.weights.of(feature));
    this.ids.set(feature, id);
    return id;
  }

  private numberAll(): void {
    for (const m of this.models) {
      for (const feature of m.weights.features) if (!this.ids.has(feature) && this.weighs(feature)) this.number(feature);
    }
    // Tokens never hold "+", so a weighed feature with one is the pair of the tokens either side.
    for (const [feature, id] of this.ids) {
      const plus = feature.indexOf("+");
      if (plus < 0 || id === 0) continue;
      const first = feature.slice(0, plus);
      let seconds = this.pairs.get(first);
      if (!seconds) this.pairs.set(first, (seconds = new Map()));
      seconds.set(feature.slice(plus + 1), id);
    }
    this.complete = true;
  }
}

/** A table per compiled policy (its build's environment), shared by that policy's models. */
const tables = new WeakMap<object, FeatureTable>();

function tableFor(env: object): FeatureTable {
  let table = tables.get(env);
  if (!table) tables.set(env, (table = new FeatureTable()));
  return table;
}

interface ScoredSentence {
  start: number;
  end: number;
  /** Numbers of the sentence's features that some model weighs. */
  ids: Int32Array;
}

/** The last text's sentences: the bundled models read the same view one after another. */
let memo: { text: string; table: FeatureTable; generation: number; sentences: ScoredSentence[] } | undefined;

/** A text's sentences (trimmed, long ones in pieces) with the numbers of their weighed features. */
function sentencesOf(text: string, entities: EntityMatchers, table: FeatureTable): ScoredSentence[] {
  if (memo && memo.text === text && memo.table === table && memo.generation === table.generation) return memo.sentences;
  const out: ScoredSentence[] = [];
  const ids: number[] = [];
  for (const { start, end } of sentencePieces(text)) {
    ids.length = 0;
    table.idsOf(sentenceTokens(text.slice(start, end), entities), ids);
    out.push({ start, end, ids: Int32Array.from(ids) });
  }
  memo = { text, table, generation: table.generation, sentences: out };
  return out;
}

/**
 * What a model reads of a text, the scanner and the trainer alike: its sentences, long ones in
 * pieces of MAX_SENTENCE characters, each trimmed of white space; blank ones are left out.
 */
export function sentencePieces(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const starts = sentenceStarts(text);
  for (let i = 0; i < starts.length; i++) {
    const sentenceEnd = starts[i + 1] ?? text.length;
    for (let start = starts[i] as number; start < sentenceEnd; start += MAX_SENTENCE) {
      const sentence = text.slice(start, Math.min(sentenceEnd, start + MAX_SENTENCE));
      const trimmed = sentence.trim();
      if (trimmed === "") continue;
      const lead = sentence.length - sentence.trimStart().length;
      out.push({ start: start + lead, end: start + lead + trimmed.length });
    }
  }
  return out;
}

/** Sentences longer than this are read in pieces of this many characters (a wall of text is not one claim). */
const MAX_SENTENCE = 300;
const PAIR = /^(\S+):(-?\d+(?:\.\d+)?)$/;

export const classifierKind: RuleKind<ClassifierSettings> = {
  keys: ["bias", "threshold", "weights"],
  description: "sentences that a model learned from labelled drafts scores at or above a threshold",
  parse(yaml, node, what) {
    const bias = yaml.number(node, "bias", what);
    if (bias === undefined) return yaml.fail(node, `${what} is missing the required key "bias"`, "add bias: (the model's intercept), as rules/tools/train-classifiers.js writes it");
    const threshold = yaml.number(node, "threshold", what) ?? 0.5;
    if (!(threshold > 0 && threshold < 1)) yaml.fail(yaml.get(node, "threshold"), `"threshold" of ${what} must be between 0 and 1`, "use a probability such as 0.85");
    const written = yaml.string(node, "weights", what, true);
    const byFeature = new Map<string, number>(); // a feature written twice weighs what it was given last
    for (const pair of written.split(/\s+/)) {
      if (pair === "") continue;
      const m = PAIR.exec(pair);
      if (!m) return yaml.fail(yaml.get(node, "weights"), `"weights" of ${what} has "${pair.slice(0, 40)}", which is not feature:number`, "write the weights as feature:weight pairs separated by spaces, e.g. confidenti:1.25 <org>+revenu:0.8");
      byFeature.set(m[1] as string, Number(m[2]));
    }
    const features = [...byFeature.keys()].sort();
    return { bias, threshold, features: features.join(" "), weights: features.map((f) => byFeature.get(f) as number) };
  },
  compile(settings, env): Finder {
    const { bias, threshold } = settings;
    const entities = entityMatchers(env.org);
    const table = tableFor(env);
    const weights = table.register(new Weights(settings.features, settings.weights));
    // the logistic is monotonic: compare the sum with the threshold's log-odds
    const cut = Math.log(threshold / (1 - threshold));
    return (text) => {
      const out: Match[] = [];
      for (const s of sentencesOf(text, entities, table)) {
        let z = bias;
        for (const id of s.ids) z += weights[id] as number;
        if (z >= cut) out.push({ start: s.start, end: s.end });
      }
      return out;
    };
  },
};
