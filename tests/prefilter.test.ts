import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compilePolicy, loadPolicy, scanText } from "../src/index.js";
import { EXAMPLE_ORG, exampleText } from "../src/engine/examples.js";
import { analyzePattern, DIGIT, DIGITS, needlesFor, prefilterFor } from "../src/policy/prefilter.js";
import { NeedleIndex as Index, type NeedleLayout } from "../src/policy/needles.js";
import type { FinderPart, Policy } from "../src/policy/rule.js";

function ruleWith(id: string, needles: string[]): FinderPart & { id: string } {
  return { id, needles, find: () => [] };
}

describe("needlesFor", () => {
  it.each([
    ["\\bguarantee(?:d|s)?\\b", ["guarantee"]],
    ["\\b(?:merger|acquisition)\\b", ["acquisition", "merger"]],
    ["sk_(?:live|test)_[0-9a-zA-Z]{24}", ["sk_live_", "sk_test_"]],
    ["[\\w.+-]+@[\\w-]+\\.[\\w.]+", ["@"]],
    ["(?<=\\bphone:\\s*)\\+?\\d[\\d ]{6,}", ["phone:"]],
    ["\\d{3}-\\d{2}-\\d{4}", [DIGITS]],
    ["(?<![\\w.])\\d+\\.\\d+\\.\\d+", [DIGIT]],
    // Short literals that are rare in prose are worth a scan: a rare letter pair, a digit or a symbol.
    ["\\b(?:pw|pwd)\\s*[:=]", ["pw", "pwd"]],
    ["\\bA3T[A-Z0-9]{16}", ["a3t"]],
    ["\\bf[*!]ck", ["f!ck", "f*ck"]],
    // A run with too many combinations keeps the literals it had so far.
    ["c[o0]nf[i1!|]d[e3]nt[i1!|][a4@]l", ["c0nf!d3nt", "c0nf!dent", "c0nf1d3nt", "c0nf1dent", "c0nfid3nt", "c0nfident", "c0nf|d3nt", "c0nf|dent", "conf!d3nt", "conf!dent", "conf1d3nt", "conf1dent", "confid3nt", "confident", "conf|d3nt", "conf|dent"]],
  ])("finds the literals every match of %s contains", (source, expected) => {
    expect(needlesFor(source, "gi")).toEqual(expected);
  });

  it.each([
    "\\b\\w+ly\\b", // nothing literal
    "(?:foo)?bar?", // "ba" is too short to be worth a scan
  ])("gives no needles when no strong literal is certain: %s", (source) => {
    expect(needlesFor(source, "gi")).toBeUndefined();
  });

  it("ignores negative lookarounds but keeps what the match itself needs", () => {
    expect(needlesFor("(?<!never )fail", "gi")).toEqual(["fail"]);
  });

  it("bounds how far from its needle a match can reach, lookarounds included, unless repetition is unbounded", () => {
    expect(prefilterFor("(?<!not\\s)merger\\s(?:is|was)\\b", "gi")?.reach).toBe(2 * (4 + 6 + 1 + 3) + 2);
    expect(prefilterFor("merger[^.]{0,60}signed", "gi")?.reach).toBe(2 * (6 + 60 + 6) + 2);
    expect(prefilterFor("merger\\s+signed", "gi")?.reach).toBeUndefined();
  });

  it("knows a pattern that can never match, as an empty organisation list makes it", () => {
    expect(prefilterFor("\\b(?:(?!)|(?!))\\s(?:is|are)\\s", "gi")).toEqual({ needles: [], also: [] });
    // A branch that cannot match drops out; the others still need their literals.
    expect(prefilterFor("\\b(?:(?!)|globex)\\b", "gi")?.needles).toEqual(["globex"]);
    expect(prefilterFor("(?:(?!))?merger", "gi")?.needles).toEqual(["merger"]);
  });

  it("lists the other sets a match needs besides its needles, leaving out those they imply", () => {
    expect(prefilterFor("\\b(?:team|squad)\\s(?:\\w+\\s){0,2}(?:disbanded|dissolved)\\b", "gi")).toEqual({
      needles: ["disbanded", "dissolved"],
      also: [["squad ", "team "]],
      starts: ["squad ", "team "],
    });
    // White space of any kind is one space to the needle scan, so literals join across it.
    expect(prefilterFor("\\b(?:team|squad)\\sis\\s(?:disbanded|dissolved)\\b", "gi")).toEqual({
      needles: ["squad is disbanded", "squad is dissolved", "team is disbanded", "team is dissolved"],
      also: [],
      reach: 38, // 18 characters at most, counted as UTF-16 pairs, and one on each side for \b
      starts: ["squad is d", "team is di"], // cut to ten characters: where a match starts is what counts
    });
    // Alternatives at the top level have no set that every match needs besides the union.
    expect(prefilterFor("layoffs|hiring freeze", "gi")?.also).toEqual([]);
  });
});

describe("the strings every match starts with", () => {
  it.each([
    // Zero-width assertions do not move the start; literals join as far as they are certain,
    // and are cut to ten characters.
    ["(?<![\\w.])\\b(?:merger|acquisition)\\s(?:talks|deal)\\b", ["acquisitio", "merger dea", "merger tal"]],
    // An optional first part: a match starts with it, or with what follows it.
    ["\\b(?:the\\s)?(?:real|actual)\\sreason\\b", ["actual rea", "real reaso", "the actual", "the real r"]],
    // A repeated first part starts with what it repeats; the literal run stops at the repetition.
    ["(?:f[*#]+)(?:ck|k)", ["f#", "f*"]],
    // More alternatives than a needle set may hold (64) still give starts.
    [`\\b(?:${Array.from({ length: 100 }, (_, i) => `word${i}x`).join("|")})\\b`, Array.from({ length: 100 }, (_, i) => `word${i}x`).sort()],
  ])("finds the starts of %s", (source, expected) => {
    expect(prefilterFor(source, "gi")?.starts?.slice().sort()).toEqual(expected.slice().sort());
  });

  it.each([
    "\\b\\d{3}\\s(?:merger|deal)", // a digit run: its start is not a literal
    "\\b(?:the|a)\\s+merger", // "the" and "a" would be found everywhere
    "(?:merger\\s)?\\w+\\sdeal", // the optional start may be absent, and what follows is not literal
    "(?:merger|\\w+ion)\\b", // one alternative has no literal start
  ])("gives none when a start is not certain or not worth scanning for: %s", (source) => {
    expect(prefilterFor(source, "gi")?.starts).toBeUndefined();
  });
});

describe("analyzePattern", () => {
  it("takes a long leading negative lookbehind out of the pattern, to test apart", () => {
    expect(analyzePattern("(?<!\\b(?:once|if)\\s(?:\\w+\\s){0,3})\\bdeal\\b", "gi").hoisted).toEqual({
      guards: ["(?<!\\b(?:once|if)\\s(?:\\w+\\s){0,3})"],
      rest: "\\bdeal\\b",
    });
    expect(analyzePattern("\\b(?<!\\bthere\\s)(?<![\\w.])is\\sbest", "gi").hoisted).toEqual({ guards: ["(?<!\\bthere\\s)"], rest: "\\b(?<![\\w.])is\\sbest" });
  });

  it.each([
    ["a one-character lookbehind, cheap and selective", "(?<![\\w.])\\d+"],
    ["a positive lookbehind", "(?<=\\bkey=\\s*)\\w+"],
    ["a lookbehind with a capturing group", "(?<!(no)\\s)deal"],
    ["a lookbehind after the first character", "x(?<!ab\\s)deal"],
    ["alternatives at the top level", "(?<!ab\\s)deal|merger"],
  ])("leaves %s in place", (_what, source) => {
    expect(analyzePattern(source, "gi").hoisted).toBeNull();
  });
});

describe.each([
  ["searching needle by needle", undefined],
  ["with the automaton", 0],
])("NeedleIndex, %s", (_how, searchUpTo) => {
  class NeedleIndex<T extends FinderPart> extends Index<T> {
    constructor(units: Iterable<T>) {
      super(units, searchUpTo);
    }
  }

  it("skips a part when one of its other required sets is absent from the text", () => {
    const part = { needles: ["disbanded"], also: [["team", "squad"]], find: () => [] };
    expect(new NeedleIndex([part]).windows("the choir was disbanded").get(part)).toEqual([]);
    expect(new NeedleIndex([part]).windows("the squad was disbanded").get(part)).toHaveLength(1);
  });

  it("reads any white space as the space of a needle, and counts single digits for the digit needle", () => {
    const phrase = ruleWith("phrase", ["team is disbanded"]);
    const digit = ruleWith("digit", [DIGIT]);
    const index = new NeedleIndex([phrase, digit]);
    expect(index.windows("the Team\nis\u00a0disbanded").get(phrase)).toHaveLength(1);
    expect(index.windows("the team is-disbanded").get(phrase)).toEqual([]);
    expect(index.windows("version 2 ships").get(digit)).toHaveLength(1);
    expect(index.windows("version two ships").get(digit)).toEqual([]);
  });

  it("keeps the window of a part to the reach of its matches", () => {
    const near = { needles: ["merger"], reach: 40, find: () => [] };
    const far = { needles: ["merger"], find: () => [] };
    const text = `${"filler words here. ".repeat(100)}the merger is signed. ${"more filler text. ".repeat(100)}`;
    const at = text.indexOf("merger");
    const windows = new NeedleIndex([near, far]).windows(text);
    const [w] = windows.get(near) ?? [];
    expect(w && w.start <= at - 40 && w.end >= at + 40 && w.end - w.start < 2 * (40 + 64)).toBe(true);
    const [wide] = windows.get(far) ?? [];
    expect(wide && wide.end - wide.start > 800).toBe(true);
  });

  it("finds overlapping needles and needles inside words", () => {
    const ring = ruleWith("ring", ["ring"]);
    const during = ruleWith("during", ["during"]);
    const windows = new NeedleIndex([ring, during]).windows("DURING the day");
    expect(windows.get(ring)).toHaveLength(1);
    expect(windows.get(during)).toHaveLength(1);
  });

  it("credits a shorter needle that starts a longer one at the same position", () => {
    const short = ruleWith("short", ["confidential"]);
    const long = ruleWith("long", ["confidential information"]);
    const windows = new NeedleIndex([short, long]).windows("this is confidential information here");
    expect(windows.get(short)).toHaveLength(1);
    expect(windows.get(long)).toHaveLength(1);
  });

  it("skips a rule whose needles do not occur, and windows a long text around the hits", () => {
    const rule = ruleWith("r", ["merger"]);
    const absent = ruleWith("absent", ["acquisition"]);
    const text = `${"filler words here. ".repeat(200)}the merger is signed. ${"more filler text. ".repeat(200)}`;
    const windows = new NeedleIndex([rule, absent]).windows(text);
    expect(windows.get(absent)).toEqual([]);
    const [w] = windows.get(rule) ?? [];
    const at = text.indexOf("merger");
    expect(w && w.start <= at && w.end >= at + 6 && w.end - w.start < text.length / 2).toBe(true);
  });

  it("finds needles of every length, sharing their first characters, up to the last character of the text", () => {
    const needles = ["%", "$5", "con", "conf", "confi", "confid", "confidential", "contract", "ntrac"];
    const parts = needles.map((n) => ruleWith(n, [n]));
    const text = "CONF: 5% of $5 contract, Confidential; ends with con";
    const hits = new NeedleIndex(parts).windows(text);
    parts.forEach((part, i) => {
      const needle = needles[i] as string;
      const expected: number[] = [];
      for (let at = text.toLowerCase().indexOf(needle); at >= 0; at = text.toLowerCase().indexOf(needle, at + 1)) expected.push(at);
      expect(Array.from(hits.starts(part) ?? []), needle).toEqual(expected);
    });
  });

  it("finds needles whose automaton states are numbered past 16 bits", () => {
    // 5,000 needles of 20 characters that part early: some 95,000 states, the deepest past 65,535.
    const needles = Array.from({ length: 5000 }, (_, i) => {
      const key = (i * 7919 + 1000).toString(36);
      return `${key}q${key}z${key}x${key}`.slice(0, 20);
    });
    const parts = needles.map((n, i) => ruleWith(`n${i}`, [n]));
    const chosen = [0, 1, 2500, 4998, 4999];
    const text = `${chosen.map((i) => needles[i]).join(" and ")}, ${(needles[42] as string).slice(0, 19)}.`;
    const hits = new NeedleIndex(parts).windows(text);
    parts.forEach((part, i) => {
      const at = text.indexOf(needles[i] as string);
      expect(Array.from(hits.starts(part) ?? []), needles[i]).toEqual(at >= 0 ? [at] : []);
    });
  });

  it("goes from deep inside one needle to deep inside another that overlaps it", () => {
    // 5,000 needles for some 95,000 states: the states past the first few thousand keep no row
    // of the transition table, and a character they have no child for goes down failure links.
    const filler = Array.from({ length: 5000 }, (_, i) => `${(i * 7919 + 1000).toString(36)}q${i.toString(36)}zz`.padEnd(20, "x"));
    const overlapping = ["abcdefghijklmnopqrst", "klmnopqrstuvwxyz", "mnopq", "tuv"];
    const parts = [...filler, ...overlapping].map((n, i) => ruleWith(`n${i}`, [n]));
    const text = "so: ABCDEFGHIJKLMNOPQRSTUVWXYZ, abcdefghijklmnopqrsX, klmnopqrstuvwxyz.";
    const hits = new NeedleIndex(parts).windows(text);
    const folded = text.toLowerCase();
    overlapping.forEach((needle, i) => {
      const expected: number[] = [];
      for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) expected.push(at);
      expect(expected.length).toBeGreaterThan(0);
      expect(Array.from(hits.starts(parts[filler.length + i] as FinderPart & { id: string }) ?? []), needle).toEqual(expected);
    });
  });

  it("is rebuilt from a cached layout of the same units, and ignores a layout made for others", () => {
    const units = [ruleWith("a", ["merger", "deal"]), ruleWith("b", ["merger"]), { needles: ["layoff"], also: [["team", "staff"]], find: () => [] }, ruleWith("d", [DIGIT])];
    const fresh = new NeedleIndex(units);
    const data = JSON.parse(JSON.stringify(fresh.layoutData())) as NeedleLayout;
    const reused = new Index(units, searchUpTo, data);
    expect(fresh.reusedLayout).toBe(false);
    expect(reused.reusedLayout).toBe(true);
    const other = [ruleWith("x", ["merger"]), ruleWith("y", ["deal", "layoff"])];
    const ignored = new Index(other, searchUpTo, data);
    expect(ignored.reusedLayout).toBe(false);
    expect(new Index(units, searchUpTo, { ...data, groups: [] }).reusedLayout).toBe(false);
    // a damaged or older file: missing or mistyped fields are ignored, never trusted or thrown on
    for (const broken of [{ units: data.units, entries: data.entries }, { ...data, needles: [1, 2] }, { ...data, sets: [[99999]] }, { ...data, groups: [[0, null, 400, [0]]] }]) {
      expect(new Index(units, searchUpTo, broken as unknown as NeedleLayout).reusedLayout).toBe(false);
    }
    for (const text of ["The merger and the deal: 3 layoffs on the team.", "A deal, no merger.", "Layoff talk, no staff.", "nothing"]) {
      const a = fresh.windows(text);
      const b = reused.windows(text);
      for (const unit of units) {
        expect(b.get(unit), text).toEqual(a.get(unit));
        expect(Array.from(b.starts(unit) ?? [-1]), text).toEqual(Array.from(a.starts(unit) ?? [-1]));
      }
      const c = ignored.windows(text);
      const d = new Index(other, searchUpTo).windows(text);
      for (const unit of other) expect(c.get(unit), text).toEqual(d.get(unit));
    }
  });

  it("keeps its short-text start index in the cached layout, and works a damaged one out again", () => {
    const units = [ruleWith("a", ["merger", "deal"]), ruleWith("b", ["merger talks"]), ruleWith("c", ["layoff", "job cuts"])];
    const data = JSON.parse(JSON.stringify(new Index(units).layoutData())) as NeedleLayout;
    const cached = data.startIndex as { starts: string; ids: string };
    expect(cached.ids).toEqual(expect.any(String));
    const text = "Merger talks stalled; the deal, the job cuts and the layoff are off.";
    const expected = new Index(units, searchUpTo).windows(text);
    const startsOf = (index: Index<FinderPart & { id: string }>) => {
      const hits = index.windows(text);
      return units.map((unit) => Array.from(hits.starts(unit) ?? [-1]));
    };
    const wanted = units.map((unit) => Array.from(expected.starts(unit) ?? [-1]));
    expect(wanted.flat()).not.toContain(-1);
    const damaged = [{ ...cached, ids: "AAAA" }, { ...cached, starts: "!!" }, { starts: cached.ids, ids: cached.starts }, undefined];
    for (const startIndex of [cached, ...damaged]) {
      const index = new Index(units, searchUpTo, { ...data, startIndex } as NeedleLayout);
      expect(index.reusedLayout).toBe(true);
      expect(startsOf(index)).toEqual(wanted);
    }
    // and it is the cached one that is used: one that files every needle under the last bucket
    // (which holds together) finds none of them where a text is searched needle by needle
    if (searchUpTo !== 0) {
      const starts = new Uint32Array((Buffer.from(cached.starts, "base64").length / 4) as number);
      starts[starts.length - 1] = data.needles.length;
      const lumped = { starts: Buffer.from(starts.buffer).toString("base64"), ids: cached.ids };
      expect(startsOf(new Index(units, searchUpTo, { ...data, startIndex: lumped }))).not.toEqual(wanted);
    }
  });

  it("gives the sorted, distinct positions where a part's needles start, or null past the hit limit", () => {
    const part = ruleWith("p", ["merger", "merger talks", "deal"]);
    const hits = new NeedleIndex([part]).windows("Merger talks stalled; the deal and the MERGER are off.");
    expect(Array.from(hits.starts(part) ?? [])).toEqual([0, 26, 39]);
    // Three needles start at one position and two at another: each position once, nothing more.
    const stacked = ruleWith("s", ["deal", "deal is", "deal is off", "merger", "merger talks"]);
    expect(Array.from(new NeedleIndex([stacked]).windows("The deal is off; merger talks too.").starts(stacked) ?? [])).toEqual([4, 17]);
    expect(Array.from(new NeedleIndex([part]).windows("nothing here").starts(part) ?? [])).toEqual([]);
    expect(new NeedleIndex([part]).windows("deal ".repeat(300)).starts(part)).toBeNull();
  });

  it("finds needles case-insensitively, and digit runs for the digits needle", () => {
    const word = ruleWith("w", ["nda"]);
    const digits = ruleWith("d", [DIGITS]);
    const windows = new NeedleIndex([word, digits]).windows("Under NDA until 2027.");
    expect(windows.get(word)).toHaveLength(1);
    expect(windows.get(digits)).toHaveLength(1);
    expect(new NeedleIndex([digits]).windows("no numbers at all").get(digits)).toEqual([]);
  });
});

/** The same policy compiled plain: no prefilter, no rewritten pattern; each pattern runs on the whole view. */
async function plain(policy: Policy): Promise<Policy> {
  const reference = await compilePolicy(
    policy.rules.map((r) => r.spec),
    { org: policy.org, plain: true },
  );
  expect(reference.rules.every((r) => r.parts.every((p) => !p.needles))).toBe(true);
  return reference;
}

describe("prefilters and rewritten patterns never change a finding", () => {
  const drafts: { file: string; text: string }[] = [];
  for (const set of ["fixtures/eval/holdout-cases.yaml", "fixtures/eval2/cases.yaml", "bench/holdout3/cases.yaml", "bench/holdout5/cases.yaml", "bench/holdout7/cases.yaml", "bench/holdout8/cases.yaml", "bench/holdout9/cases.yaml"]) {
    for (const c of parse(readFileSync(set, "utf8")) as { id: string; ext: string; text: string }[]) drafts.push({ file: `${c.id}.${c.ext}`, text: c.text });
  }

  it.each([
    ["the example organisation", EXAMPLE_ORG],
    ["an empty organisation", undefined],
  ])("gives the same findings with and without it, for %s", async (_name, organization) => {
    const policy = await loadPolicy(organization ? { organization } : {});
    const bare = await plain(policy);
    const examples = policy.rules.flatMap((r) => [...r.spec.examples.flag, ...r.spec.examples.pass].map((e) => exampleText(e, policy.org)));
    // Long drafts too, where the prefilter cuts windows: every example in one draft, and examples
    // far apart in filler prose, just farther than two windows reach (2 x (400 + 64) characters;
    // see needles.ts). The plain policy runs patterns that start with a lookbehind at every
    // character, about 50 s per MB on this 2-core machine, so the filler draft takes every fourth
    // example (a different fourth for each organisation): 1.1 MB instead of 4.5.
    const filler = "Plain words about gardens and weather fill this part of the page. ".repeat(15);
    const sparse = examples.filter((_, i) => i % 4 === (organization ? 0 : 2));
    const long = [examples.join("\n\n"), sparse.join(`\n\n${filler}\n\n`)].map((text, i) => ({ file: `long-${i}.md`, text }));
    let findings = 0;
    for (const { file, text } of [...drafts, ...long]) {
      const expected = scanText(text, bare, { file });
      expect(scanText(text, policy, { file })).toEqual(expected);
      findings += expected.length;
    }
    expect(findings).toBeGreaterThan(500);
  }, 300_000); // every draft scanned twice per organisation: 60-90 s each on a 2-core machine, twice that when it is busy
});
