#!/usr/bin/env node
// Learns the three `kind: classifier` rules of rules/learned.yaml from labelled drafts, with the
// scanner's own sentence splitting and features (so it needs a build first):
//   npm run build && node rules/tools/train-classifiers.js [CASES.yaml CONFIG.yaml]...
// It reads every labelled set in the repository (fixtures/eval*, bench/holdout*, and bench/clean*,
// sets of clean drafts) plus the pairs given on the command line, and rewrites rules/learned.yaml.
// The result is deterministic: the same sets give the same file.
//
// A labelled set is a cases.yaml (id, ext, channel, text, expect: {category: [snippets]}, tolerate)
// and the organisation profile it was written for. Each draft is cut into the sentences the scanner
// reads; a sentence is a positive example of a category when it overlaps one of the category's
// snippets, and a negative one otherwise (categories under `tolerate` are left out). One logistic
// regression per category (AdaGrad, L2, a fixed shuffle) learns a weight per feature seen in at
// least three sentences; weights too small to matter are dropped. `--holdout SET,SET` trains without
// those sets (by folder name, e.g. holdout41) and prints what the models find in them, for measuring
// before committing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { CATEGORIES, classify, entityMatchers, parseConfig, sentenceFeatures, sentencePieces } from "../../dist/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT = join(ROOT, "rules", "learned.yaml");
const EPOCHS = 20;
const RATE = 0.2;
const L2 = 0.03;
const KEEP = 0.02; // |weight| below this is dropped
/**
 * The probability above which a sentence is flagged, per category. 0.85 for all three (chosen on
 * holdout40-42) left too much unfound on drafts from new domains. Scored blind on the pack of
 * fe1c995, 0.6 for confidentiality and 0.7 for phrasing took holdout56-57 from 0.76 and 0.75 recall
 * to 0.83 and 0.81 (precision 0.92 and 0.90 -> 0.92 and 0.91), and holdout58-59, checked once
 * afterwards, from 0.86 and 0.70 to 0.90 and 0.73 (precision 0.97 -> 0.96, 0.88 -> 0.88). Accuracy
 * at 0.75 found a little more on those sets but 23 more sentences in the real Markdown corpus,
 * nearly all harmless, so it stays at 0.85.
 */
const THRESHOLD = { confidentiality: 0.6, accuracy: 0.85, phrasing: 0.7 };
const MIN_COUNT = 3;

const RULES = {
  confidentiality: {
    description: "A sentence that reads like a disclosure of something not yet public (learned from labelled drafts).",
    message: "This sentence reads like a disclosure of something that is not public yet.",
    rationale:
      "Most leaks are told in plain words: a deal that is not signed, figures before the results, a closure staff have not heard about, an incident customers have not been told of. A model learned from labelled drafts scores every sentence; this one scored above the threshold, without any of the pack's patterns matching it word for word.",
    remedy: "Check with whoever owns the information that it is public; if it is not, leave it out.",
    flag: [
      "Between us, the board signed off the acquisition of a logistics startup last night and it gets announced next month.",
      "Between us, we missed the quarter badly and nobody outside knows yet: results are out next month.",
    ],
    pass: [
      "We published our annual report this morning; the figures are on the investor site.",
      "Great to see so many of you at the open day on Saturday.",
    ],
  },
  accuracy: {
    description: "A sentence that reads like an unsupported claim: an absolute, a superlative, a forecast, an unsourced figure or hearsay (learned from labelled drafts).",
    message: "This sentence reads like a claim that needs a source, a qualifier or softer wording.",
    rationale:
      "Absolute and superlative claims, forecasts, unsourced statistics and rumours mislead readers and are what regulators act on (misleading advertising, forward-looking statements). A model learned from labelled drafts scores every sentence; this one scored above the threshold, without any of the pack's patterns matching it word for word.",
    remedy: "Give the source and date, qualify the claim, or say what is known rather than predicted or heard.",
    flag: [
      "Our new app is easily the best on the market and it will never let you down.",
      "Apparently the whole project is being scrapped, a friend in finance heard it yesterday.",
    ],
    pass: [
      "According to the ONS, unemployment was 4.2% in March.",
      "We opened our new office in Leeds last week.",
    ],
  },
  phrasing: {
    description: "A sentence that reads like wording the organisation would not publish: disparagement, threats, promises, HR matters, speaking for the company (learned from labelled drafts).",
    message: "This sentence reads like wording the organisation would not want published.",
    rationale:
      "Insults, veiled threats, promises to customers, a colleague's performance or health, and statements made for the company are what turns a post into a complaint, a claim or a headline. A model learned from labelled drafts scores every sentence; this one scored above the threshold, without any of the pack's patterns matching it word for word.",
    remedy: "Say it in your own name and in neutral terms, or leave it out; take people matters and promises to the right channel.",
    flag: [
      "Honestly their support team is a bunch of clowns and everyone knows it.",
      "I personally promise every customer a full refund by Friday, no questions asked.",
    ],
    pass: [
      "Thanks to everyone who came to the workshop on Thursday.",
      "Our support team answered 2,000 questions last month.",
    ],
  },
};

function args() {
  const a = process.argv.slice(2);
  const holdout = new Set();
  const extra = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "--holdout") for (const s of (a[++i] ?? "").split(",")) holdout.add(s);
    else extra.push([a[i], a[++i]]);
  }
  return { holdout, extra };
}

function labelledSets(extra) {
  const sets = [];
  for (const dir of ["eval", "eval2"]) {
    const d = join(ROOT, "fixtures", dir);
    const files = existsSync(d) ? readdirSync(d) : [];
    const cases = files.find((f) => /cases\.yaml$/.test(f));
    const config = files.find((f) => /config\.yaml$/.test(f));
    if (cases && config) sets.push({ name: dir, cases: join(d, cases), config: join(d, config) });
  }
  const bench = join(ROOT, "bench");
  // labelled sets, then sets of clean drafts (the ordinary posts a reviewer passes), each in number order
  const number = (d) => Number(d.replace(/\D+/g, ""));
  const folders = readdirSync(bench).filter((d) => /^(?:holdout|clean)\d+$/.test(d));
  const ordered = [...folders.filter((d) => d.startsWith("holdout")).sort((a, b) => number(a) - number(b)), ...folders.filter((d) => d.startsWith("clean")).sort((a, b) => number(a) - number(b))];
  for (const d of ordered) {
    const cases = join(bench, d, "cases.yaml");
    if (existsSync(cases)) sets.push({ name: d, cases, config: join(bench, d, "config.yaml") });
  }
  for (const [cases, config] of extra) sets.push({ name: basename(dirname(cases)), cases, config });
  return sets;
}

/** A set's organisation profile, read as draftguard reads a .draftguard.yaml. */
function organization(file) {
  return parseConfig(file, readFileSync(file, "utf8")).organization;
}

/** Every sentence of every draft of a set, with its features and labels. */
function sentencesOf(set) {
  const entities = entityMatchers(organization(set.config));
  const out = [];
  for (const c of YAML.parse(readFileSync(set.cases, "utf8"))) {
    const text = String(c.text);
    const expect = c.expect ?? {};
    const tolerate = new Set(c.tolerate ?? []);
    const spans = Object.fromEntries(CATEGORIES.map((cat) => [cat, (expect[cat] ?? []).map((s) => [text.indexOf(s), text.indexOf(s) + s.length])]));
    for (const { start: a, end: b } of sentencePieces(text)) {
      const sentence = text.slice(a, b);
      const y = {};
      for (const cat of CATEGORIES) y[cat] = spans[cat].some(([x, z]) => x < b && a < z) ? 1 : tolerate.has(cat) && !expect[cat] ? undefined : 0;
      out.push({ set: set.name, id: c.id, sentence, features: sentenceFeatures(sentence, entities), y });
    }
  }
  return out;
}

function train(rows, cat) {
  const w = new Map();
  const g2 = new Map();
  let bias = 0;
  let gb = 1e-8;
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const use = rows.filter((r) => r.y[cat] !== undefined);
  const positives = use.filter((r) => r.y[cat] === 1).length;
  const up = ((use.length - positives) / Math.max(1, positives)) * 0.5; // positives are rarer: weigh them up
  const order = use.map((_, i) => i);
  for (let e = 0; e < EPOCHS; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const r = use[i];
      const p = classify(r.features, bias, w);
      const y = r.y[cat];
      const g = (p - y) * (y ? up : 1);
      for (const f of r.features) {
        const wi = w.get(f) ?? 0;
        const gi = g + L2 * wi;
        const acc = (g2.get(f) ?? 1e-8) + gi * gi;
        g2.set(f, acc);
        w.set(f, wi - (RATE * gi) / Math.sqrt(acc));
      }
      gb += g * g;
      bias -= (RATE * g) / Math.sqrt(gb);
    }
  }
  const kept = new Map([...w].filter(([, v]) => Math.abs(v) >= KEEP).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  return { bias: Math.round(bias * 1000) / 1000, weights: kept, positives, sentences: use.length };
}

function yamlString(s) {
  return JSON.stringify(s);
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function render(models, sets) {
  const lines = [
    "# GENERATED by rules/tools/train-classifiers.js: do not edit by hand; run it again instead.",
    ...wrap(`Learned from ${sets.length} labelled sets: ${sets.map((s) => s.name).join(", ")}.`, 98).map((l) => `# ${l}`),
    "# Each rule is a linear model over a sentence's word stems and word pairs (see kind: classifier in",
    "# docs/rules.md). Turn one off like any rule: rules: {confidentiality-learned: off} in .draftguard.yaml.",
    "rules:",
  ];
  for (const cat of CATEGORIES) {
    const m = models[cat];
    const r = RULES[cat];
    const pairs = [...m.weights].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k}:${v}`);
    const wrapped = wrap(pairs.join(" "), 100);
    lines.push(
      `  - id: ${cat}-learned`,
      "    kind: classifier",
      `    category: ${cat}`,
      "    severity: warning",
      `    description: ${yamlString(r.description)}`,
      `    message: ${yamlString(r.message)}`,
      `    rationale: ${yamlString(r.rationale)}`,
      `    remedy: ${yamlString(r.remedy)}`,
      "    scopes: [prose, heading]",
      `    threshold: ${THRESHOLD[cat]}`,
      `    # ${m.sentences} sentences, ${m.positives} of them examples of ${cat}; ${m.weights.size} weights kept`,
      `    bias: ${m.bias}`,
      "    weights: >-",
      ...wrapped.map((l) => `      ${l}`),
      "    examples:",
      "      flag:",
      ...r.flag.map((t) => `        - ${yamlString(t)}`),
      "      pass:",
      ...r.pass.map((t) => `        - ${yamlString(t)}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

const { holdout, extra } = args();
const sets = labelledSets(extra);
const used = sets.filter((s) => !holdout.has(s.name));
const all = used.flatMap(sentencesOf);
// A feature seen in fewer than MIN_COUNT sentences is noise to the model and bulk to the pack.
const counts = new Map();
for (const r of all) for (const f of r.features) counts.set(f, (counts.get(f) ?? 0) + 1);
const rows = all.map((r) => ({ ...r, features: r.features.filter((f) => counts.get(f) >= MIN_COUNT) }));
const models = Object.fromEntries(CATEGORIES.map((cat) => [cat, train(rows, cat)]));

// The examples must come out as the rule says, with no organisation names.
const none = entityMatchers(parseConfig("<no organisation>", "").organization);
let bad = 0;
for (const cat of CATEGORIES) {
  for (const [list, want] of [[RULES[cat].flag, true], [RULES[cat].pass, false]]) {
    for (const t of list) {
      const p = classify(sentenceFeatures(t, none), models[cat].bias, models[cat].weights);
      if (p >= THRESHOLD[cat] !== want) {
        bad++;
        console.error(`${cat}: example should ${want ? "flag" : "pass"} (p=${p.toFixed(2)}): ${t}`);
      }
    }
  }
}

if (holdout.size > 0) {
  for (const set of sets.filter((s) => holdout.has(s.name))) {
    const test = sentencesOf(set);
    for (const cat of CATEGORIES) {
      const flagged = test.filter((r) => classify(r.features, models[cat].bias, models[cat].weights) >= THRESHOLD[cat]);
      const right = flagged.filter((r) => r.y[cat] === 1).length;
      console.log(`${set.name} ${cat}: ${flagged.length} sentences flagged, ${right} of them labelled ${cat}; ${test.filter((r) => r.y[cat] === 1).length} labelled in all`);
    }
  }
  process.exit(bad ? 1 : 0);
}
if (bad) process.exit(1);
writeFileSync(OUT, render(models, used));
console.log(`wrote ${OUT}: ${used.length} sets, ${rows.length} sentences; weights kept ${CATEGORIES.map((c) => `${c} ${models[c].weights.size}`).join(", ")}`);
