import { describe, expect, it } from "vitest";
import { unsafeRegexReason } from "../src/policy/redos.js";

/** Patterns that backtrack catastrophically, with a fragment the reason must quote. */
const evil: { pattern: string; flags?: string; quotes: string; kind: RegExp }[] = [
  // OWASP "Regular expression Denial of Service - ReDoS" examples
  { pattern: "^(a+)+$", quotes: "`(a+)+` at column 2", kind: /^nested quantifier/ },
  { pattern: "^([a-zA-Z]+)*$", quotes: "`([a-zA-Z]+)*` at column 2", kind: /^nested quantifier/ },
  { pattern: "^(a|aa)+$", quotes: "`(a|aa)+`", kind: /^alternatives `a` and `aa`/ },
  { pattern: "^(a|a?)+$", quotes: "`(a|a?)+`", kind: /^alternatives/ },
  { pattern: "^(.*a){12}$", quotes: "`(.*a){12}`", kind: /backtrack/ },
  {
    pattern:
      "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
    quotes: "at column 15",
    kind: /^nested quantifier/,
  },
  { pattern: "^(([a-z])+.)+[A-Z]([a-z])+$", quotes: "`(([a-z])+.)+` at column 2", kind: /^nested quantifier/ },
  { pattern: "(x+x+)+y", quotes: "`(x+x+)+` at column 1", kind: /^nested quantifier/ },
  // overlapping alternation under a quantifier
  { pattern: "(a|a)*", quotes: "`(a|a)*`", kind: /^alternatives `a` and `a`/ },
  { pattern: "(\\w|\\d)+", quotes: "`(\\w|\\d)+`", kind: /^alternatives `\\w` and `\\d`/ },
  { pattern: "(?:\\d|[0-9a-f])+$", quotes: "`(?:\\d|[0-9a-f])+`", kind: /^alternatives/ },
  { pattern: "(?:A|[a-z])+!", flags: "i", quotes: "`(?:A|[a-z])+`", kind: /^alternatives/ },
  { pattern: "([\"'])(?:\\\\.|(?!\\1).)*\\1", quotes: "`(?:\\\\.|(?!\\1).)*`", kind: /^alternatives/ },
  // nested quantifiers of other shapes
  { pattern: "^(\\w+\\s?)*$", quotes: "`(\\w+\\s?)*`", kind: /^nested quantifier/ },
  { pattern: "(\\d+\\.?)+%", quotes: "`(\\d+\\.?)+`", kind: /^nested quantifier/ },
  { pattern: "(a*)*b", quotes: "`(a*)*`", kind: /^nested quantifier/ },
  { pattern: "(?:a+){2,}b", quotes: "`(?:a+){2,}`", kind: /^nested quantifier/ },
  { pattern: "(?:a{1,3})+$", quotes: "`(?:a{1,3})+`", kind: /^nested quantifier/ },
  { pattern: "(?:[a-z]+|[0-9]+)+$", quotes: "`(?:[a-z]+|[0-9]+)+`", kind: /^nested quantifier/ },
  { pattern: "(xx+x)+y", quotes: "`(xx+x)+`", kind: /^repetition|^nested/ },
  { pattern: "(?:\\s*,\\s*)+$", quotes: "`(?:\\s*,\\s*)+`", kind: /backtrack/ },
  { pattern: "(?:ж+)+!", quotes: "`(?:ж+)+`", kind: /^nested quantifier/ },
  { pattern: "(?:\\p{L}+\\p{Ll})*!", flags: "u", quotes: "`(?:\\p{L}+\\p{Ll})*`", kind: /^nested/ },
  { pattern: "(?=(a+)+b)", quotes: "`(a+)+` at column 4", kind: /^nested quantifier/ },
  { pattern: "(?<word>\\w+\\s?)+$", quotes: "`(?<word>\\w+\\s?)+`", kind: /^nested/ },
  // bounded, but the bound does not help: the loop inside is unbounded
  { pattern: "(?:\\w+\\s*){2,5}:", quotes: "`(?:\\w+\\s*){2,5}`", kind: /^nested quantifier/ },
  // quantified back-references
  { pattern: "(\\w+)\\1+$", quotes: "quantified back-reference `\\1`", kind: /^quantified back-reference/ },
  { pattern: "(?<x>a|ab)(?:\\k<x>)*$", quotes: "`\\k<x>`", kind: /^quantified back-reference/ },
];

/** Realistic patterns from secret scanners and policy packs that must load. */
const safe: { pattern: string; flags?: string }[] = [
  { pattern: "AKIA[0-9A-Z]{16}" },
  { pattern: "\\b(?:\\d[ -]?){13,16}\\b" },
  { pattern: "(?:\\s+\\w+){1,3}" },
  { pattern: "(?:\\s+\\w+)*" },
  { pattern: "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b", flags: "i" },
  { pattern: "(?:\\+?\\d{1,3}[ .-]?)?\\(?\\d{3}\\)?[ .-]?\\d{3}[ .-]?\\d{4}\\b" },
  { pattern: "\\+\\d{1,3}(?:[ .-]?\\d{2,4}){2,5}" },
  { pattern: "[a-z][a-z0-9+.-]*://[^\\s:/@]+:[^\\s@/]+@[^\\s/]+", flags: "i" },
  { pattern: "\\bhttps?://[^\\s/$.?#].[^\\s]*", flags: "i" },
  { pattern: "ghp_[A-Za-z0-9]{36}" },
  { pattern: "xox[baprs]-[0-9a-zA-Z-]{10,48}" },
  { pattern: "sk_live_[0-9a-zA-Z]{24,99}" },
  { pattern: "AIza[0-9A-Za-z_-]{35}" },
  { pattern: "-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----" },
  { pattern: "eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}" },
  { pattern: "(?:api|secret|token)[_-]?key\\s*[:=]\\s*['\"]?([A-Za-z0-9/+=_-]{16,})", flags: "i" },
  { pattern: "\\b\\d{3}-\\d{2}-\\d{4}\\b" },
  { pattern: "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b" },
  { pattern: "(?:\\d{1,3}\\.){3}\\d{1,3}" },
  { pattern: "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}", flags: "i" },
  { pattern: "\\b\\d+(?:[.,]\\d+)?\\s?(?:%|percent\\b)", flags: "i" },
  { pattern: "\\b\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?\\b" },
  { pattern: "\\b(?:[A-Z][a-z]+\\s){2,}" },
  { pattern: "(?:\\.\\w+|-\\w+)*" },
  { pattern: "(?:ab|ac)+" },
  { pattern: "(a|ab)*c" },
  { pattern: "(?:a|b)+" },
  { pattern: "([\"'])(?:\\\\.|(?!\\1)[^\\\\])*\\1" },
  { pattern: "(?<y>\\d{4})-(?<m>\\d{2})-\\k<y>" },
  { pattern: "(?:[A-Z][a-z]{1,5}){2,4}" },
  { pattern: "\\b(?:best|greatest|fastest)(?:-in-class)?\\b", flags: "i" },
  { pattern: "(?<=\\s|^)#\\w+" },
  { pattern: "\\p{Lu}\\p{Ll}+(?:\\s\\p{Lu}\\p{Ll}+)*", flags: "u" },
  { pattern: "[\\p{L}--[a-z]]+", flags: "v" },
  { pattern: "\\u{1F600}+", flags: "u" },
  { pattern: "a{2}b{3,}" },
  { pattern: "\\1(a)" },
  { pattern: "[]]+(?:x)" },
  { pattern: "a{,3}" }, // not a quantifier without the u flag: literal text
];

describe("unsafeRegexReason", () => {
  it.each(evil)("rejects $pattern", ({ pattern, flags, quotes, kind }) => {
    const reason = unsafeRegexReason(pattern, flags ?? "");
    expect(reason).toBeDefined();
    expect(reason).toMatch(kind);
    expect(reason).toContain(quotes);
    expect(reason).not.toContain("\n");
  });

  it.each(safe)("accepts $pattern", ({ pattern, flags }) => {
    expect(unsafeRegexReason(pattern, flags ?? "")).toBeUndefined();
  });

  it("leaves patterns that do not compile to the loader", () => {
    expect(unsafeRegexReason("(a+", "")).toBeUndefined();
  });

  it("truncates long fragments in the reason", () => {
    const reason = unsafeRegexReason(`(?:${"x".repeat(60)}|x+)+$`, "");
    expect(reason).toMatch(/…`/);
  });

  it("has no duplicate cases", () => {
    const keys = [...evil, ...safe].map((c) => `${c.pattern}/${c.flags ?? ""}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // The verdicts are checked against V8 itself: the accepted patterns stay fast on the inputs
  // that hurt backtracking engines (long runs of one character followed by a mismatch).
  it.each(safe)("really runs fast: $pattern", ({ pattern, flags }) => {
    const re = new RegExp(pattern, flags ?? "");
    const started = performance.now();
    for (const ch of ["a", "1", " ", ".", "-", "A", "\\", "ab", "1 ", "a.", "1,000", "aa-"]) {
      re.test(`${ch.repeat(2000)}!`);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("is fast enough to run on every pattern at load", () => {
    const started = performance.now();
    for (const { pattern, flags } of safe) unsafeRegexReason(pattern, flags ?? "");
    for (const { pattern, flags } of evil) unsafeRegexReason(pattern, flags ?? "");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("unsafeRegexReason on large alternations", () => {
  const alternation = (n: number, term: (i: number) => string): string =>
    Array.from({ length: n }, (_, i) => term(i)).join("|");

  it("checks an unquantified list of hundreds of terms instantly", () => {
    const started = performance.now();
    expect(unsafeRegexReason(`\\b(?:${alternation(500, (i) => `term${i}`)})\\b`, "i")).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("proves a repeated list of distinct terms safe", () => {
    expect(unsafeRegexReason(`(?:${alternation(30, (i) => `te${i}x`)})+`, "i")).toBeUndefined();
  });

  it("gives up, with a reason, on a repeated list too large to check", () => {
    const started = performance.now();
    const reason = unsafeRegexReason(`(?:${alternation(300, (i) => `te${i}`)})+`, "i");
    expect(reason).toMatch(/^repeated group .* at column 1 is too complex/);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
