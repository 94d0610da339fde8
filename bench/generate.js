#!/usr/bin/env node
// Writes a deterministic corpus of Markdown drafts for the benchmark: clean posts mixed with posts
// that carry the problems draftguard looks for, from tweet-sized notes to long blog posts.
//
//   node bench/generate.js --out bench/corpus/gen-10 --mb 10 [--seed 1] [--problems 0.4]
//
// The same seed and size always give the same bytes (a seeded PRNG, never Math.random), so two
// machines or two commits are measured on the same input. The folder also gets a
// `.draftguard.yaml` whose organisation block names the codenames, products and customers the
// drafts mention.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

export const ORGANIZATION = {
  name: "Acme",
  aliases: ["Acme Corp"],
  products: ["ThinkBook", "AcmeCloud"],
  codenames: ["Bluejay", "Project Falcon", "Kestrel"],
  competitors: ["Globex", "Initech"],
  customers: ["Umbrella Corp", "Hooli"],
  internalDomains: ["acme.internal", "corp.acme.com"],
};

const WORDS = `
the a an of to in for on with by from at as about into over after before between through during
without within under around across team release product customer feature update service data
platform user cloud system build deploy pipeline review launch week month quarter year project
workflow process design engineering support partner market report result growth performance
security privacy network storage latency request response version change plan roadmap goal
improve reduce increase ship measure test observe learn share explain describe help make take
give find keep move start finish open close write read run use need want try show build grow
new small large simple clear fast slow early late better good useful careful steady quiet
modern reliable stable flexible secure public internal shared common local global daily weekly
we our you your they their it its this that these those some many most few every each other
and but or so because while when where which who how what why if then also just only still
migration dashboard account billing invoice search index query cache queue worker cluster node
region zone bucket table schema field record event metric alert incident postmortem runbook
onboarding documentation tutorial guide example sample draft editor writer reader audience
conference meetup webinar podcast newsletter announcement blog post thread note story summary
`.trim().split(/\s+/);

const TITLE_WORDS = WORDS.filter((w) => w.length > 4);
const LANGS = ["js", "ts", "python", "bash", "yaml", "json", "go"];
const TLDS = ["com", "org", "net", "io", "dev"];

/** mulberry32: tiny, fast and good enough to pick words. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Writer {
  constructor(seed) {
    this.rand = prng(seed);
  }
  int(lo, hi) {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.rand() * list.length)];
  }
  chance(p) {
    return this.rand() < p;
  }
  chars(alphabet, n) {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rand() * alphabet.length)];
    return s;
  }
  words(n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.pick(WORDS);
    return out.join(" ");
  }
  sentence(extra) {
    const words = this.words(this.int(6, 18)).split(" ");
    if (extra) words.splice(this.int(1, words.length - 1), 0, extra);
    if (this.chance(0.15)) words.splice(this.int(1, words.length - 1), 0, `[${this.words(2)}](${this.url()})`);
    else if (this.chance(0.1)) words.splice(this.int(1, words.length - 1), 0, `\`${this.pick(WORDS)}()\``);
    const s = words.join(" ");
    return s[0].toUpperCase() + s.slice(1) + this.pick([".", ".", ".", "!", "?"]);
  }
  paragraph(problem) {
    const n = this.int(2, 6);
    const at = problem ? this.int(0, n - 1) : -1;
    const out = [];
    for (let i = 0; i < n; i++) out.push(this.sentence(i === at ? problem : undefined));
    return out.join(" ");
  }
  url() {
    return `https://${this.pick(WORDS)}${this.pick(WORDS)}.${this.pick(TLDS)}/${this.pick(WORDS)}/${this.int(1, 999)}`;
  }
  title() {
    const words = [];
    for (let i = this.int(3, 8); i > 0; i--) words.push(this.pick(TITLE_WORDS));
    return words.map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
  }
  frontMatter(kind) {
    const date = `2024-${String(this.int(1, 12)).padStart(2, "0")}-${String(this.int(1, 28)).padStart(2, "0")}`;
    const tags = [this.pick(TITLE_WORDS), this.pick(TITLE_WORDS)].join(", ");
    const channel = kind === "tweet" ? "twitter" : this.pick(["blog", "blog", "newsletter", "linkedin"]);
    return `---\ntitle: "${this.title()}"\ndate: ${date}\nauthor: ${this.pick(["sam", "alex", "robin", "kim"])}\ntags: [${tags}]\nchannel: ${channel}\n---\n`;
  }
  codeBlock(problem) {
    const lang = this.pick(LANGS);
    const lines = [];
    for (let i = this.int(2, 12); i > 0; i--) {
      lines.push(`${"  ".repeat(this.int(0, 2))}${this.pick(WORDS)}_${this.pick(WORDS)}(${this.pick(WORDS)}, ${this.int(0, 999)})`);
    }
    if (problem) lines.splice(this.int(0, lines.length), 0, problem);
    return `\`\`\`${lang}\n${lines.join("\n")}\n\`\`\``;
  }
  list() {
    const ordered = this.chance(0.3);
    const items = [];
    for (let i = 1, n = this.int(2, 6); i <= n; i++) items.push(`${ordered ? `${i}.` : "-"} ${this.sentence()}`);
    return items.join("\n");
  }

  /** One problem, as text to put in prose, and whether it belongs in a code block. */
  problem() {
    const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    switch (this.int(0, 9)) {
      case 0:
        return { code: true, text: `aws_access_key_id = AKIA${this.chars(upper, 16)}` };
      case 1:
        return { code: true, text: `export GITHUB_TOKEN=ghp_${this.chars(alnum, 36)}` };
      case 2:
        return { text: `write to ${this.pick(["jordan", "priya", "lee"])}.${this.pick(["novak", "shah", "kim"])}@${this.pick(["gmail.com", "fastmail.com", "acmemail.net"])}` };
      case 3:
        return { text: `call me on (${this.int(201, 989)}) ${this.int(200, 989)}-${String(this.int(0, 9999)).padStart(4, "0")}` };
      case 4:
        return { text: `${this.int(11, 97)}% of teams ${this.pick(["agree", "switched", "saw faster builds"])}` };
      case 5:
        return { text: this.pick(["this damn thing", "what a shitty release", "the crap we shipped"]) };
      case 6:
        return { text: this.pick(["the best-in-class", "the world's fastest", "the most secure ever", "the number one"]) };
      case 7:
        return { text: `six months on ${this.pick(ORGANIZATION.codenames)}` };
      case 8:
        return { text: `${this.pick(ORGANIZATION.customers)} ${this.pick(["is churning", "hates the old dashboard", "signed a renewal"])}` };
      default:
        return { text: `see https://wiki.${this.pick(ORGANIZATION.internalDomains)}/${this.pick(WORDS)}` };
    }
  }

  /** A draft of about `size` bytes. */
  draft(size, problems) {
    const kind = size < 600 ? "tweet" : "post";
    const pending = [];
    for (let i = 0; i < problems; i++) pending.push(this.problem());
    const parts = [this.frontMatter(kind)];
    let length = parts[0].length;
    if (kind === "tweet") {
      let text = this.sentence(pending.shift()?.text);
      while (text.length < size - length - 40) text += ` ${this.sentence(pending.shift()?.text)}`;
      return `${parts[0]}\n${text} #${this.pick(TITLE_WORDS)}\n`;
    }
    parts[0] += `\n# ${this.title()}`;
    while (length < size || pending.length > 0) {
      const roll = this.rand();
      const problem = pending.length > 0 && this.chance(0.5) ? pending.shift() : undefined;
      let block;
      if (problem?.code) block = this.codeBlock(problem.text);
      else if (roll < 0.1) block = `## ${this.title()}`;
      else if (roll < 0.2) block = this.list();
      else if (roll < 0.27) block = this.codeBlock();
      else if (roll < 0.3) block = `> ${this.sentence()}`;
      else block = this.paragraph(problem?.text);
      parts.push(block);
      length += block.length + 2;
    }
    return `${parts.join("\n\n")}\n`;
  }
}

/** Sizes from tweets to long posts: many short drafts, a long tail of long ones. */
function draftSize(w) {
  const r = w.rand();
  if (r < 0.3) return w.int(200, 300);
  if (r < 0.65) return w.int(1000, 3000);
  if (r < 0.9) return w.int(3000, 10_000);
  return w.int(10_000, 30_000);
}

function configYaml() {
  const list = (values) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
  const org = ORGANIZATION;
  return [
    "# Written by bench/generate.js: the organisation the generated drafts talk about.",
    "organization:",
    `  name: ${org.name}`,
    ...["aliases", "products", "codenames", "competitors", "customers", "internalDomains"].map((k) => `  ${k}: ${list(org[k])}`),
    "",
  ].join("\n");
}

/** One blog post of about 1.5 KB with one problem in it: the "one post" of the benchmark. */
export function samplePost(seed = 7) {
  return new Writer(seed).draft(1500, 1);
}

/** Writes the corpus; returns what it wrote. */
export function generate({ out, mb, seed = 1, problemShare = 0.4 }) {
  const target = Math.round(mb * 1048576);
  const w = new Writer(seed);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, ".draftguard.yaml"), configYaml());
  let bytes = 0;
  let files = 0;
  let withProblems = 0;
  let dir = "";
  while (bytes < target) {
    if (files % 500 === 0) {
      dir = join(out, `batch-${String(files / 500).padStart(4, "0")}`);
      mkdirSync(dir);
    }
    const problems = w.chance(problemShare) ? w.int(1, 3) : 0;
    if (problems > 0) withProblems++;
    const text = w.draft(Math.min(draftSize(w), target - bytes + 200), problems);
    const name = `${String(files).padStart(6, "0")}-${w.pick(TITLE_WORDS)}-${w.pick(TITLE_WORDS)}.md`;
    writeFileSync(join(dir, name), text);
    bytes += Buffer.byteLength(text);
    files++;
  }
  return { out, files, bytes, withProblems, seed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      mb: { type: "string", default: "10" },
      seed: { type: "string", default: "1" },
      problems: { type: "string", default: "0.4" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.out) {
    console.log("usage: node bench/generate.js --out DIR [--mb 10] [--seed 1] [--problems 0.4]");
    process.exit(values.help ? 0 : 2);
  }
  const started = performance.now();
  const result = generate({ out: values.out, mb: Number(values.mb), seed: Number(values.seed), problemShare: Number(values.problems) });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${result.files} drafts, ${(result.bytes / 1048576).toFixed(1)} MB (${result.withProblems} with problems) in ${result.out}, ${seconds.toFixed(1)} s`,
  );
}
