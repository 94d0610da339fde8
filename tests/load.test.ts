/**
 * Validation of rule packs and `.draftguard.yaml`: every mistake is a ConfigError that names the
 * file, line and column of the offending text (and, for a misspelt key, the closest valid one), and
 * the CLI turns it into one stderr line and exit code 2.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, DraftguardError, loadPolicy, parseConfig, parsePack } from "../src/index.js";
import { packYaml } from "./helpers/packs.js";
import { runMain, Workspace } from "./helpers/workspace.js";

/** A valid rule (lines 2..9 of the pack) followed by `extra` lines, which start at line 10. */
function pack(extra: string[], opts: { kind?: string; id?: string } = {}): string {
  return [
    "rules:",
    `  - id: ${opts.id ?? "confidentiality-x"}`, // 2
    `    kind: ${opts.kind ?? "terms"}`, // 3
    "    category: confidentiality", // 4
    "    severity: error", // 5
    "    description: Says x.", // 6
    "    message: Found {match}.", // 7
    "    rationale: Because.", // 8
    "    remedy: Remove it.", // 9
    ...extra,
    "",
  ].join("\n");
}

/** The one-line error `parsePack` throws for `text` (as file pack.yaml). */
function packError(text: string): string {
  try {
    parsePack({ file: "pack.yaml", text });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).toLine();
  }
  throw new Error("the pack was accepted but should have been rejected");
}

function configError(text: string): string {
  try {
    parseConfig(".draftguard.yaml", text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).toLine();
  }
  throw new Error("the configuration was accepted but should have been rejected");
}

describe("rule pack validation", () => {
  it("accepts the valid rule these cases start from", () => {
    expect(parsePack({ file: "pack.yaml", text: pack(["    terms: [x]"]) }).map((r) => r.id)).toEqual(["confidentiality-x"]);
  });

  it("rejects a classifier without a bias, with a threshold that is not a probability, or with a malformed weight", () => {
    expect(packError(pack(["    weights: a:1"], { kind: "classifier" }))).toMatch(/^pack\.yaml:2:5: .*missing the required key "bias"/);
    expect(packError(pack(["    bias: -1", "    threshold: 1.5", "    weights: a:1"], { kind: "classifier" }))).toMatch(/^pack\.yaml:11:16: "threshold" of .* must be between 0 and 1/);
    expect(packError(pack(["    bias: -1", "    weights: a:1 b:two"], { kind: "classifier" }))).toMatch(/^pack\.yaml:11:14: "weights" of .* has "b:two", which is not feature:number.*feature:weight pairs/);
  });

  it("lets rules share a condition through a YAML anchor and aliases", async () => {
    const rule = (id: string, term: string, cond: string) =>
      [`  - id: ${id}`, "    kind: terms", "    category: phrasing", "    severity: warning", "    description: d.", "    message: m.", "    rationale: r.", "    remedy: r.", `    terms: [${term}]`, "    document:", `      unless: ${cond}`];
    const text = ["rules:", ...rule("phrasing-a", "alpha", "&disclosure", ), "        pattern: '\\bI work here\\b'", ...rule("phrasing-b", "beta", "*disclosure"), ""].join("\n");
    const specs = parsePack({ file: "pack.yaml", text });
    expect(specs.map((s) => s.document.unless)).toEqual([{ pattern: "\\bI work here\\b" }, { pattern: "\\bI work here\\b" }].map((u) => expect.objectContaining(u)));
    const policy = await loadPolicy({ defaults: false, packs: [{ file: "pack.yaml", text }] });
    const { scanText } = await import("../src/index.js");
    expect(scanText("alpha and beta", policy, { file: "a.md" }).map((f) => f.ruleId)).toEqual(["phrasing-a", "phrasing-b"]);
    expect(scanText("alpha and beta. I work here.", policy, { file: "b.md" })).toEqual([]);
  });

  const cases: [string, string, RegExp][] = [
    ["broken YAML: a nested mapping in a compact one", "rules:\n  - id: x\n    message: a: b\n", /^pack\.yaml:3:14: invalid YAML/],
    ["broken YAML: bad indentation", "rules:\n  - id: x\n   kind: terms\n", /^pack\.yaml:3:1: invalid YAML/],
    ["broken YAML: a duplicate key", pack(["    terms: [a]", "    terms: [b]"]), /^pack\.yaml:11:5: .*(unique|duplicate)/i],
    ["an unknown rule key, with the closest valid key", pack(["    terms: [x]", "    mesage: Oops"]), /^pack\.yaml:11:5: unknown key "mesage" .*did you mean "message"\?/],
    ["a key of another kind", pack(["    terms: [x]", "    validate: [luhn]"]), /^pack\.yaml:11:5: key "validate" does not belong to kind "terms".*pattern/],
    ["an unknown top-level key", "rule:\n  - id: x\n", /^pack\.yaml:1:1: unknown key "rule".*did you mean "rules"\?/],
    ["an alias to no anchor", pack(["    terms: [x]", "    notNear: *nowhere"]), /^pack\.yaml:11:14: unknown alias "\*nowhere".*define it first with &nowhere/],
    ["a wrong type: a list for a string", pack(["    terms: [x]"]).replace("severity: error", "severity: [error]"), /^pack\.yaml:5:15: "severity" .* must be a string/],
    ["a wrong type: a word for a boolean", pack(["    terms: [x]", "    sensitive: sometimes"]), /^pack\.yaml:11:16: "sensitive" .* must be true or false/],
    ["a wrong type: a map for a list", pack(["    terms: {a: 1}"]), /^pack\.yaml:10:12: "terms" .* must be a list/],
    ["a wrong type: rules not a list", "rules: {a: 1}\n", /^pack\.yaml:1:8: "rules" must be a list/],
    ["a regex that does not compile", pack(["    pattern: '(unclosed'"], { kind: "pattern" }), /^pack\.yaml:10:14: pattern in rule "confidentiality-x" does not compile: .*Unterminated group/],
    ["a regex that does not compile in a condition", pack(["    terms: [x]", "    near: {pattern: '[z-a]'}"]), /^pack\.yaml:11:21: pattern in "near" .* does not compile/],
    ["a regex that can backtrack exponentially", pack(["    pattern: '(a+)+$'"], { kind: "pattern" }), /^pack\.yaml:10:14: pattern .* can hang the scanner/],
    ["a missing required field", pack(["    terms: [x]"]).replace("    remedy: Remove it.\n", ""), /^pack\.yaml:2:5: rule "confidentiality-x" is missing the required key "remedy"/],
    ["a missing kind-specific field", pack([], { kind: "pattern" }), /^pack\.yaml:2:5: .*missing the required key "pattern"/],
    ["an unknown kind", pack(["    terms: [x]"], { kind: "regex" }), /^pack\.yaml:3:11: "kind" .* must be one of terms, pattern, sentiment, classifier, not "regex"/],
    ["an unknown validator", pack(["    pattern: 'x'", "    validate: [luhn, luhnn]"], { kind: "pattern" }), /^pack\.yaml:11:22: unknown validator "luhnn".*luhn/],
    ["an unknown validator option", pack(["    pattern: 'x'", "    validate: [{entropy: {minimum: 3}}]"], { kind: "pattern" }), /^pack\.yaml:11:\d+: unknown option "minimum" for validator "entropy"/],
    ["an unknown category", pack(["    terms: [x]"]).replace("category: confidentiality", "category: secrecy"), /^pack\.yaml:4:15: "category" .* not "secrecy"/],
    ["a group the pattern does not have", pack(["    pattern: 'a(b)'", "    group: 2"], { kind: "pattern" }), /^pack\.yaml:11:12: .*group 2/],
    ["a bad within", pack(["    terms: [x]", "    near: {terms: [y], within: many}"]), /^pack\.yaml:11:32: "within" .* whole number of words or "sentence"/],
    ["an id that is not kebab-case", pack(["    terms: [x]"], { id: "Conf_X" }), /^pack\.yaml:2:9: rule id "Conf_X" must be lower-case kebab-case/],
    ["an unknown scope (pointing at the entry)", pack(["    terms: [x]", "    scopes: [prose, body]"]), /^pack\.yaml:11:21: unknown scope "body"/],
    ["an unknown mentions value", pack(["    terms: [x]", "    mentions: ignore"]), /^pack\.yaml:11:15: "mentions" .* must be one of skip, report, not "ignore"/],
    ["an unknown organisation list (pointing at the entry)", pack(["    org: [products, codename]"]), /^pack\.yaml:10:21: unknown organisation list "codename".*codenames/],
  ];
  it.each(cases)("reports %s with file:line:col", (_name, text, expected) => {
    expect(packError(text)).toMatch(expected);
  });

  it("reports a duplicate id across packs at the second definition, naming the first", async () => {
    const text = pack(["    terms: [x]"]);
    const error = await loadPolicy({ defaults: false, packs: [{ file: "one.yaml", text }, { file: "two.yaml", text: `# second pack\n${text}` }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).toLine()).toMatch(/^two\.yaml:3:5: duplicate rule id "confidentiality-x" \(first defined at one\.yaml:2:5/);
  });

  it("reports a duplicate id within one pack", async () => {
    const text = packYaml([
      { id: "confidentiality-x", kind: "terms", terms: ["a"] },
      { id: "confidentiality-x", kind: "terms", terms: ["b"] },
    ]);
    await expect(loadPolicy({ defaults: false, packs: [{ file: "p.yaml", text }] })).rejects.toThrow(/duplicate rule id "confidentiality-x"/);
  });
});

describe("configuration validation", () => {
  const cases: [string, string, RegExp][] = [
    ["an unknown key, with the closest valid key", "defaults: false\npackz: [a.yaml]\n", /^\.draftguard\.yaml:2:1: unknown key "packz".*did you mean "packs"\?/],
    ["British spelling of organization", "organisation:\n  name: Acme\n", /^\.draftguard\.yaml:1:1: unknown key "organisation".*did you mean "organization"\?/],
    ["an unknown organisation list", "organization:\n  codename: [Kestrel]\n", /^\.draftguard\.yaml:2:3: unknown key "codename".*did you mean "codenames"\?/],
    ["a wrong severity", "rules:\n  confidentiality-x: fatal\n", /^\.draftguard\.yaml:2:22: .*confidentiality-x.*error, warning, info, off/],
    ["a wrong type", "ignore: {a: 1}\n", /^\.draftguard\.yaml:1:9: "ignore" .* must be a list of strings/],
    ["broken YAML", "organization:\n  name: [Acme\n", /^\.draftguard\.yaml:\d+:\d+: invalid YAML/],
  ];
  it.each(cases)("reports %s with file:line:col", (_name, text, expected) => {
    expect(configError(text)).toMatch(expected);
  });

  it("accepts every documented key", () => {
    const config = parseConfig(".draftguard.yaml", [
      "organization:",
      "  name: Acme",
      "  aliases: [Acme Corp]",
      "  products: [ThinkBook, AcmeCloud]",
      "  codenames: [Bluejay, Project Falcon]",
      "  competitors: [Globex]",
      "  customers: [Umbrella Corp]",
      "  internalDomains: [acme.internal, corp.acme.com]",
      "packs: [./policy/extra.yaml]",
      "rules:",
      "  accuracy-absolute-claims: warning",
      "  phrasing-profanity: off",
      'ignore: ["drafts/archive/**"]',
      "defaults: false",
      "",
    ].join("\n"));
    expect(config.organization.codenames).toEqual(["Bluejay", "Project Falcon"]);
    expect(config.rules["phrasing-profanity"]?.value).toBe("off");
    expect(config.ignore).toEqual(["drafts/archive/**"]);
  });

  it("reports an unknown rule id under rules: at its key, with the closest id", async () => {
    const text = pack(["    terms: [x]"]);
    const error = await loadPolicy({ defaults: false, packs: [{ file: "p.yaml", text }], config: "defaults: false\nrules:\n  confidentiality-y: off\n" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as DraftguardError).toLine()).toMatch(/^<config>:3:3: unknown rule "confidentiality-y" under rules:.*did you mean "confidentiality-x"\?/);
  });
});

describe("the CLI turns a validation error into one line and exit code 2", () => {
  let ws: Workspace | undefined;
  afterEach(() => {
    ws?.remove();
    ws = undefined;
  });

  /** The single stderr line, checked to carry no stack trace. */
  function oneLine(stderr: string): string {
    const lines = stderr.trimEnd().split("\n");
    expect(lines, stderr).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    return lines[0] as string;
  }

  it("exits 2 for an unknown rule key in a configured pack", async () => {
    ws = new Workspace();
    ws.write("pack.yaml", pack(["    terms: [x]", "    mesage: Oops"]));
    ws.write(".draftguard.yaml", "defaults: false\npacks: [./pack.yaml]\n");
    ws.write("post.md", "x\n");
    const r = await runMain(["scan", "post.md"], ws.dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(oneLine(r.stderr)).toMatch(/^draftguard: \S*pack\.yaml:11:5: unknown key "mesage" .*did you mean "message"\?/);
  });

  it("exits 2 for an unknown configuration key, naming the closest valid key", async () => {
    ws = new Workspace();
    ws.write(".draftguard.yaml", "defaults: false\nignores: [x]\n");
    ws.write("post.md", "x\n");
    const r = await runMain(["scan", "post.md"], ws.dir);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^draftguard: \S*\.draftguard\.yaml:2:1: unknown key "ignores".*did you mean "ignore"\?/);
  });

  it("exits 2 for a pack path that does not exist, pointing at the packs: entry", async () => {
    ws = new Workspace();
    ws.write(".draftguard.yaml", "defaults: false\npacks:\n  - ./missing.yaml\n");
    const r = await runMain(["scan", "."], ws.dir);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^draftguard: \S*\.draftguard\.yaml:3:5: rule pack "\.\/missing\.yaml" not found/);
  });

  it("exits 2 for an unknown rule id under rules:", async () => {
    ws = Workspace.withPack([{ id: "confidentiality-x", kind: "terms", terms: ["x"] }], "rules:\n  confidentiality-z: off\n");
    const r = await runMain(["scan", "."], ws.dir);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^draftguard: \S*\.draftguard\.yaml:4:3: unknown rule "confidentiality-z" under rules:/);
  });

  it("rules test: exits 0 when every example holds, 1 when one fails, 2 when the pack is invalid", async () => {
    ws = new Workspace();
    ws.write("good.yaml", packYaml([{ id: "confidentiality-x", kind: "terms", terms: ["xylophone"], examples: { flag: ["A xylophone."], pass: ["A piano."] } }]));
    ws.write("bad.yaml", packYaml([{ id: "confidentiality-x", kind: "terms", terms: ["xylophone"], examples: { flag: ["A piano."], pass: [] } }]));
    ws.write("broken.yaml", pack(["    terms: [x]", "    mesage: Oops"]));
    const good = await runMain(["rules", "test", "good.yaml"], ws.dir);
    expect([good.code, good.stdout]).toEqual([0, "1 rules, 2 examples: 2 passed, 0 failed\n"]);
    const bad = await runMain(["rules", "test", "bad.yaml"], ws.dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad\.yaml:\d+:\d+: confidentiality-x: example should be flagged but passed: "A piano\."/);
    const broken = await runMain(["rules", "test", "broken.yaml"], ws.dir);
    expect(broken.code).toBe(2);
    expect(oneLine(broken.stderr)).toMatch(/broken\.yaml:11:5: unknown key "mesage"/);
  });
});
