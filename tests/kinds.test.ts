/**
 * Every rule kind and every shared condition, through the public API: `loadPolicy` with inline packs
 * only (never the bundled pack) and `scanText`. Each case says what is flagged and what passes.
 */
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../src/index.js";
import { emptyOrganization } from "../src/policy/config.js";
import { compilePolicy, parsePack } from "../src/policy/load.js";
import type { RuleSpec } from "../src/policy/rule.js";
import type { Organization } from "../src/types.js";
import { packYaml, policyOf, scan, spanOf, type RuleInput } from "./helpers/packs.js";

const ORG: Partial<Organization> = {
  name: "Acme",
  aliases: ["Acme Corp"],
  products: ["ThinkBook"],
  codenames: ["Kestrel", "Project Falcon"],
  competitors: ["Globex"],
  customers: ["Umbrella Corp"],
  internalDomains: ["acme.internal"],
};

/** The source spans one rule flags in `text`. */
async function flagged(rule: RuleInput, text: string, file = "post.md"): Promise<string[]> {
  const policy = await policyOf([rule], ORG);
  return scan(policy, text, file).map((f) => spanOf(text, f));
}

/** Table test: every `flag` text gives exactly the listed spans, every `pass` text gives none. */
async function expectRule(rule: RuleInput, cases: { flag?: [string, string[]][]; pass?: string[] }): Promise<void> {
  const policy = await policyOf([rule], ORG);
  for (const [text, spans] of cases.flag ?? []) {
    expect(scan(policy, text).map((f) => spanOf(text, f)), `should flag ${JSON.stringify(text)}`).toEqual(spans);
  }
  for (const text of cases.pass ?? []) {
    expect(scan(policy, text).map((f) => f.match), `should pass ${JSON.stringify(text)}`).toEqual([]);
  }
}

describe("kind terms", () => {
  it("matches on word boundaries, case-insensitively", async () => {
    await expectRule({ id: "confidentiality-leak", kind: "terms", terms: ["leak"] }, {
      flag: [["A leak, a LEAK and a Leak.", ["leak", "LEAK", "Leak"]]],
      pass: ["Leaky pipes and a bleak outlook.", "leaks", "leak_check"],
    });
  });

  it("matches exact case when caseSensitive is true", async () => {
    await expectRule({ id: "confidentiality-nda", kind: "terms", terms: ["NDA"], caseSensitive: true }, {
      flag: [["Under NDA until May.", ["NDA"]]],
      pass: ["The nda and the Nda are not it."],
    });
  });

  it("treats * at the end of a word as any word ending", async () => {
    await expectRule({ id: "confidentiality-leak", kind: "terms", terms: ["leak*"] }, {
      flag: [["It leaked, leaks, leak.", ["leaked", "leaks", "leak"]]],
      pass: ["A bleak day."],
    });
  });

  it("matches phrases whose words are split by any white space or hyphens", async () => {
    await expectRule({ id: "confidentiality-internal", kind: "terms", terms: ["internal only"] }, {
      flag: [["It is internal\tonly, internal-only and internal \n only.", ["internal\tonly", "internal-only", "internal \n only"]]],
      pass: ["internally only", "internal use only"],
    });
  });

  it("reads phrases written with typographic quotes and dashes as drafts are read, folded to ASCII", async () => {
    await expectRule({ id: "phrasing-dont", kind: "terms", terms: ["don’t quote me", "ex–employee"], exceptions: ["I don’t quote me lightly"] }, {
      flag: [["Don't quote me. Don’t quote me. An ex-employee, an ex–employee.", ["Don't quote me", "Don’t quote me", "ex-employee", "ex–employee"]]],
      pass: ["I don't quote me lightly.", "I don’t quote me lightly."],
    });
    await expectRule({ id: "phrasing-dont-near", kind: "terms", terms: ["quote me"], near: [{ terms: ["don’t"], within: 2 }] }, {
      flag: [["Don't quote me.", ["quote me"]]],
      pass: ["Please quote me."],
    });
  });

  it("finds organisation names written with typographic apostrophes, in phrase lists and patterns", async () => {
    const org = { ...ORG, customers: ["O’Neill Foods"] };
    const text = "We signed O'Neill Foods, and O’Neill Foods again.";
    for (const rule of [
      { id: "confidentiality-customer", kind: "terms" as const, terms: [], org: ["customers"] },
      { id: "confidentiality-customer-deal", kind: "pattern" as const, pattern: "\\bsigned\\s+{org.customers}" },
    ]) {
      const policy = await policyOf([rule], org);
      expect(scan(policy, text).length, rule.kind).toBeGreaterThan(0);
    }
    const terms = await policyOf([{ id: "confidentiality-customer", kind: "terms", terms: [], org: ["customers"] }], org);
    expect(scan(terms, text).map((f) => spanOf(text, f))).toEqual(["O'Neill Foods", "O’Neill Foods"]);
  });

  it("finds a competitor by its name without the business word, and only a competitor", async () => {
    const org = { ...ORG, competitors: ["Nordvik Automotive", "Pennock & Vane", "BT Group"], customers: ["Wayne Shipping"] };
    const text = "Nordvik's vans are junk, Nordvik Automotive's too. Wayne loved it. BT is fine.";
    const rivals = await policyOf([{ id: "phrasing-rival", kind: "terms", terms: [], org: ["competitors"] }], org);
    expect(scan(rivals, text).map((f) => spanOf(text, f))).toEqual(["Nordvik", "Nordvik Automotive"]);
    const putDown = await policyOf([{ id: "phrasing-rival-junk", kind: "pattern", pattern: "\\b{org.competitors}'s\\s+vans\\s+are\\s+junk" }], org);
    expect(scan(putDown, text).map((f) => spanOf(text, f))).toEqual(["Nordvik's vans are junk"]);
    const customers = await policyOf([{ id: "confidentiality-customer", kind: "terms", terms: [], org: ["customers"] }], org);
    expect(scan(customers, text)).toEqual([]);
    // Studios and publishers: "Entertainment", "Interactive" are business words too.
    const studios = await policyOf([{ id: "phrasing-rival", kind: "terms", terms: [], org: ["competitors"] }], { ...ORG, competitors: ["Stormbank Entertainment", "Hexa Interactive"] });
    expect(scan(studios, "My cousin does QA at Stormbank; Hexa shipped late.").map((f) => f.match)).toEqual(["Stormbank", "Hexa"]);
  });

  it("compares word stems when stem is true", async () => {
    await expectRule({ id: "confidentiality-leak", kind: "terms", terms: ["leak", "unannounced product"], stem: true }, {
      flag: [
        ["They leaked it; it keeps leaking; more leaks.", ["leaked", "leaking", "leaks"]],
        ["Two unannounced products.", ["unannounced products"]],
      ],
      pass: ["A leaflet about the bleak season.", "An announced product."],
    });
  });

  it("drops a match that lies inside an exception phrase", async () => {
    await expectRule({ id: "confidentiality-marker", kind: "terms", terms: ["confidential"], exceptions: ["confidential computing", "Confidentiality Agreement"] }, {
      flag: [["This is confidential. Confidential computing is a field.", ["confidential"]]],
      pass: ["We research Confidential\nComputing.", "Confidential computing, again."],
    });
  });

  it("adds organisation vocabulary and matches digit-for-letter swaps by default", async () => {
    await expectRule({ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }, {
      flag: [
        ["Kestrel ships; K3str3l too; so does Pr0ject F4lc0n.", ["Kestrel", "K3str3l", "Pr0ject F4lc0n"]],
        ["PROJECT\nFALCON", ["PROJECT\nFALCON"]],
      ],
      pass: ["Kestrels are birds.", "A falcon project."],
    });
  });

  it("finds a codename without its 'Project' in capitals or with a symbol for a letter, but not the ordinary word", async () => {
    await expectRule({ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }, {
      flag: [
        ["F@lcon slips to May.", ["F@lcon"]],
        ["FALCON is late.", ["FALCON"]],
        ["K3$trel beta", ["K3$trel"]],
        // In lower case, a digit or symbol for a letter is a disguise, not the ordinary word.
        ["so k3strel slips and f@lcon too", ["k3strel", "f@lcon"]],
      ],
      pass: ["A falcon flew over.", "The falcon is a bird.", "kestrel and falcon sightings", "falcon9 launch"],
    });
    // Only the bare form is capitalised: it still counts, and nothing else is read as a name.
    const policy = await policyOf([{ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }], { ...ORG, codenames: ["project Osprey"] });
    expect(scan(policy, "0$prey and project osprey, but not undefined beta.").map((f) => f.match)).toEqual(["0$prey", "project osprey"]);
  });

  it("finds a name of several words written as one, as in a hashtag, in any case", async () => {
    await expectRule({ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }, {
      flag: [
        ["Late nights on #ProjectFalcon pay off", ["ProjectFalcon"]],
        ["#projectfalcon #PROJECTFALCON", ["projectfalcon", "PROJECTFALCON"]],
      ],
      pass: ["#projectfalconry is a hobby", "#falconproject"],
    });
    // Customers too: a handle is the name joined up.
    const policy = await policyOf([{ id: "confidentiality-customer", kind: "terms", terms: [], org: ["customers"] }], { ...ORG, customers: ["Marlowe Logistics"] });
    expect(scan(policy, "Thanks @MarloweLogistics for the call").map((f) => f.match)).toEqual(["MarloweLogistics"]);
  });

  it("matches organisation vocabulary exactly when leet is false, and terms with leet when true", async () => {
    await expectRule({ id: "confidentiality-codename", kind: "terms", org: ["codenames"], leet: false }, {
      flag: [["Kestrel", ["Kestrel"]]],
      pass: ["K3strel"],
    });
    // Term lists read digits standing in for letters by default; `leet: false` turns that off.
    await expectRule({ id: "confidentiality-marker", kind: "terms", terms: ["confidential"] }, { flag: [["c0nfident1al", ["c0nfident1al"]]] });
    await expectRule({ id: "confidentiality-marker", kind: "terms", terms: ["confidential"], leet: false }, { pass: ["c0nfident1al"] });
    await expectRule({ id: "confidentiality-marker", kind: "terms", terms: ["confidential"], leet: true }, {
      flag: [["c0nfident1al", ["c0nfident1al"]]],
    });
  });

  it("finds symbols standing in for letters (which only a leetspeak pattern reads) wherever they are", async () => {
    const filler = "Nothing to see in this sentence at all. ".repeat(40);
    await expectRule({ id: "confidentiality-marker", kind: "terms", terms: ["not for external distribution"], leet: true }, {
      flag: [[`${filler}This is n0t f0r ext3rnal d!$tribution.${filler}`, ["n0t f0r ext3rnal d!$tribution"]]],
      pass: [`${filler}Distribution of external notes.`],
    });
    // Organisation vocabulary reads leetspeak by default, symbols included.
    await expectRule({ id: "confidentiality-customer", kind: "terms", org: ["customers"] }, {
      flag: [[`${filler}Shipped to Umbr3ll@ C0rp today.`, ["Umbr3ll@ C0rp"]]],
    });
  });

  it("reads digit-for-letter swaps in stemmed and wildcard terms, in their first letters too", async () => {
    // These terms are found by their first three letters, so a digit there ("1" for "l") must be read first.
    await expectRule({ id: "confidentiality-leak", kind: "terms", terms: ["leak"], stem: true }, {
      flag: [["They l34ked it; 1eaking; L3AKS.", ["l34ked", "1eaking", "L3AKS"]]],
      pass: ["A 1eaflet about the b1eak season."],
    });
    await expectRule({ id: "confidentiality-leak", kind: "terms", terms: ["leak*"] }, {
      flag: [["It 1eaked, l3aks, LEAK.", ["1eaked", "l3aks", "LEAK"]]],
      pass: ["A b1eak day."],
    });
  });

  it("reads every organisation list by its public key name", async () => {
    const policy = await policyOf([{ id: "confidentiality-org", kind: "terms", org: ["name", "aliases", "products", "codenames", "competitors", "customers", "internalDomains"] }], ORG);
    const text = "Acme Corp, Acme, ThinkBook, Kestrel, Globex, Umbrella Corp, wiki.acme.internal";
    expect(scan(policy, text).map((f) => f.match)).toEqual(["Acme Corp", "Acme", "ThinkBook", "Kestrel", "Globex", "Umbrella Corp", "acme.internal"]);
  });

  it("matches nothing for an empty organisation list", async () => {
    const policy = await loadPolicy({ defaults: false, packs: [{ file: "p.yaml", text: packYaml([{ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }]) }] });
    expect(scan(policy, "Kestrel and anything else")).toEqual([]);
  });

  it("fills {match} in the message with the source text", async () => {
    const policy = await policyOf([{ id: "confidentiality-codename", kind: "terms", org: ["codenames"], message: 'Codename "{match}" ({match}).' }], ORG);
    expect(scan(policy, "We built K3strel.")[0]?.message).toBe('Codename "K3strel" (K3strel).');
  });
});

describe("kind pattern", () => {
  it("reports the whole match, case-insensitively by default", async () => {
    await expectRule({ id: "confidentiality-ticket", kind: "pattern", pattern: "\\bjira-\\d+\\b" }, {
      flag: [["See JIRA-1234 and jira-7.", ["JIRA-1234", "jira-7"]]],
      pass: ["jira-x"],
    });
  });

  it("keeps the meaning of a leading lookbehind it tests apart from the rest of the pattern", async () => {
    // The lookbehind fails at the first "deal is done" and holds at the second; with a group, the
    // reported span is still the group's.
    await expectRule({ id: "confidentiality-deal", kind: "pattern", pattern: "(?<!\\b(?:once|if)\\s(?:\\w+\\s){0,2})\\bdeal\\sis\\s(done)\\b", group: 1 }, {
      flag: [["Once the deal is done we celebrate, and the deal is done now.", ["done"]]],
      pass: ["If the deal is done, we celebrate."],
    });
  });

  it("expands {currency} to the signs and prefixes written before an amount", async () => {
    await expectRule({ id: "confidentiality-revenue", kind: "pattern", pattern: "\\brevenue\\sof\\s{currency}\\d+m\\b" }, {
      flag: [
        ["Revenue of C$24m, revenue of RM 12m and revenue of ₹40m.", ["Revenue of C$24m", "revenue of RM 12m", "revenue of ₹40m"]],
        ["Revenue of ₩96m, revenue of ₦40m, revenue of Rs. 12m and revenue of CHF 8m.", ["Revenue of ₩96m", "revenue of ₦40m", "revenue of Rs. 12m", "revenue of CHF 8m"]],
      ],
      pass: ["Revenue of 24m units.", "Revenue of XC$24m.", "Revenue of CHFX 8m.", "Revenue of RSVP 12m."],
    });
  });

  it("expands {superlative} to any superlative adjective, not to words that only end in -est", async () => {
    await expectRule({ id: "accuracy-world-superlative", kind: "pattern", pattern: "\\bthe\\s{superlative}\\s[\\w-]+\\sin\\sthe\\sworld\\b" }, {
      flag: [["The greenest copper in the world, the most punctual airline in the world, the fastest-growing bank in the world.", ["The greenest copper in the world", "the most punctual airline in the world", "the fastest-growing bank in the world"]]],
      pass: ["The latest news in the world.", "The honest truth in the world.", "The interest rates in the world.", "The most of us in the world."],
    });
  });

  it("honours caseSensitive and a list of patterns", async () => {
    await expectRule({ id: "confidentiality-ticket", kind: "pattern", pattern: ["\\bJIRA-\\d+", "\\bTICKET#\\d+"], caseSensitive: true }, {
      flag: [["JIRA-1 and TICKET#2 but not jira-3", ["JIRA-1", "TICKET#2"]]],
    });
  });

  it("reports a numbered capture group", async () => {
    await expectRule({ id: "confidentiality-order", kind: "pattern", pattern: "order #(\\d{4})", group: 1 }, {
      flag: [["Your order #1234 shipped.", ["1234"]]],
    });
  });

  it("reports a named capture group, and skips matches where it did not take part", async () => {
    await expectRule({ id: "confidentiality-host", kind: "pattern", pattern: "host=(?<name>[a-z.]+)|port=\\d+", group: "name" }, {
      flag: [["host=db.acme port=5432", ["db.acme"]]],
      pass: ["port=5432"],
    });
  });

  it("expands {org.LIST} into an alternation of that list", async () => {
    await expectRule({ id: "confidentiality-host", kind: "pattern", pattern: "\\b[a-z0-9-]+\\.{org.internalDomains}\\b" }, {
      flag: [["Open wiki.acme.internal now.", ["wiki.acme.internal"]]],
      pass: ["Open wiki.acme.example now.", "Open wiki.acmexinternal now."],
    });
  });

  const validatorCases: [string, RuleInput, [string, string[]][], string[]][] = [
    ["luhn", { id: "confidentiality-card", kind: "pattern", pattern: "\\b\\d(?:[ -]?\\d){12,18}\\b", validate: ["luhn"] },
      [["Card 4539 5788 9021 3470 ok", ["4539 5788 9021 3470"]]], ["Card 4539 5788 9021 3471 ok"]],
    ["iban", { id: "confidentiality-iban", kind: "pattern", pattern: "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\\b", validate: ["iban"] },
      [["Pay GB82 WEST 1234 5698 7654 32 now", ["GB82 WEST 1234 5698 7654 32"]]], ["Pay GB82 WEST 1234 5698 7654 33 now"]],
    ["ssn", { id: "confidentiality-ssn", kind: "pattern", pattern: "\\b\\d{3}-\\d{2}-\\d{4}\\b", validate: ["ssn"] },
      [["SSN 536-22-1984.", ["536-22-1984"]]], ["SSN 123-45-6789 (an advertised fake).", "SSN 000-12-3456.", "SSN 666-12-3456.", "SSN 912-12-3456.", "SSN 123-00-4567."]],
    ["entropy", { id: "confidentiality-token", kind: "pattern", pattern: "\\b[A-Za-z0-9]{20,}\\b", validate: [{ entropy: { min: 3.5 } }] },
      [["token q8Zr2LmX0vKp4TnW7bYs1Jd here", ["q8Zr2LmX0vKp4TnW7bYs1Jd"]]], ["token aaaaaaaaaaaaaaaaaaaaaaaa here", "token abababababababababababab here"]],
    ["privateIp", { id: "confidentiality-ip", kind: "pattern", pattern: "\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b", validate: ["privateIp"] },
      [["at 10.0.0.5, 192.168.1.20, 127.0.0.1 and 8.8.8.8", ["10.0.0.5", "192.168.1.20", "127.0.0.1"]]], ["DNS 8.8.8.8 and 1.1.1.1"]],
    ["notPlaceholder", { id: "confidentiality-aws", kind: "pattern", pattern: "\\bAKIA[0-9A-Z]{16}\\b", validate: ["notPlaceholder"] },
      [["key AKIAZ7Q2M4N6P8R1T3V5 here", ["AKIAZ7Q2M4N6P8R1T3V5"]]], ["key AKIAIOSFODNN7EXAMPLE here", "key AKIAXXXXXXXXXXXXXXXX here"]],
    ["notPlaceholder on generic secrets", { id: "confidentiality-secret", kind: "pattern", pattern: "api_key\\s*=\\s*(\\S+)", group: 1, validate: ["notPlaceholder"] },
      [["api_key = 9fQ2xLr7Tz", ["9fQ2xLr7Tz"]]], ["api_key = your_api_key_here", "api_key = ${API_KEY}", "api_key = xxxx", "api_key = <your-token>"]],
    ["notPublicContact", { id: "confidentiality-email", kind: "pattern", pattern: "[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", validate: ["notPublicContact"] },
      [["mail maria.lopez@gmail.com now", ["maria.lopez@gmail.com"]]], ["mail jane.doe@gmail.com (a stand-in)", "mail press@acme.com now", "mail jane@example.com now", "mail support@globex.com"]],
  ];
  it.each(validatorCases)("validator %s confirms or vetoes a match", async (_name, rule, flag, pass) => {
    await expectRule(rule, { flag, pass });
  });

  it("requires every validator to accept", async () => {
    await expectRule({ id: "confidentiality-card", kind: "pattern", pattern: "\\b\\d{16}\\b", validate: ["luhn", "notPlaceholder"] }, {
      flag: [["5200828222100001 passes both", ["5200828222100001"]]],
      pass: ["0000000000000000 passes luhn but is a placeholder", "4111111111111111 is a documented test card"],
    });
  });

  it("masks the match of a sensitive rule in match, message and excerpt", async () => {
    const policy = await policyOf([{ id: "confidentiality-email", kind: "pattern", pattern: "[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+", sensitive: true, message: "address {match}" }], ORG);
    const [f] = scan(policy, "Write to jane.doe@gmail.com today.");
    expect(f?.masked).toBe(true);
    expect(`${f?.match} ${f?.message} ${f?.excerpt}`).not.toContain("jane.doe@gmail.com");
    expect(f?.excerpt.length).toBe("Write to jane.doe@gmail.com today.".length);
    expect([f?.column, f?.endColumn]).toEqual([10, 28]);
  });
});

describe("kind sentiment", () => {
  const rule: RuleInput = { id: "phrasing-disparage", kind: "sentiment", subject: { org: ["competitors", "customers"] } };

  it("flags a strongly negative sentence that names the subject, and reports the sentence", async () => {
    const text = "We shipped today. Globex is a terrible, awful company. Thanks!";
    expect(await flagged(rule, text)).toEqual(["Globex is a terrible, awful company."]);
  });

  it("passes respectful mentions, negative sentences without the subject, and negated praise", async () => {
    await expectRule(rule, {
      pass: ["Globex makes good laptops.", "The weather was terrible and awful.", "Globex is not bad at all.", "Umbrella Corp is a customer."],
    });
  });

  it("honours the threshold", async () => {
    const text = "Globex is a bad choice.";
    expect(await flagged({ ...rule, threshold: -2 }, text)).toEqual([text]);
    expect(await flagged({ ...rule, threshold: -5 }, text)).toEqual([]);
  });
});

describe("kind classifier", () => {
  // A toy model: "rumour" and the pair "<competitor> is" weigh in; "publish" weighs against.
  const rule: RuleInput = {
    id: "accuracy-learned",
    kind: "classifier",
    bias: -2,
    threshold: 0.7,
    weights: "rumour:2.5 <competitor>+is:1.5 publish:-3 <pct>:0.5",
  };

  it("reports each sentence the model scores at or above the threshold, trimmed, at its exact place", async () => {
    const text = "We met on Monday.  The rumour is that\nGlobex is closing. Lunch was good.";
    expect(await flagged(rule, text)).toEqual(["The rumour is that\nGlobex is closing."]);
  });

  it("reads the organisation's names as placeholders and stems words", async () => {
    // rumours -> rumour; Globex -> <competitor>: 2.5 + 1.5 - 2 = 2 (p 0.88)
    expect(await flagged(rule, "Rumours say Globex is hiring.")).toEqual(["Rumours say Globex is hiring."]);
    // rumour alone: 0.5 (p 0.62) stays under 0.7; a competitor nobody configured is just a word
    await expectRule(rule, { pass: ["A rumour went round.", "Initech is hiring, a rumour says."] });
  });

  it("weighs features against a sentence, and honours the threshold", async () => {
    await expectRule(rule, { pass: ["The rumour that Globex is closing was published by the FT."] });
    expect(await flagged({ ...rule, threshold: 0.6 }, "A rumour went round.")).toEqual(["A rumour went round."]);
  });

  it("gives a word no weight unless the model weighs it, even one named like Object.prototype's keys", async () => {
    // "constructor" is a stem like any other: unweighed it adds nothing (rumour: -2 + 4 = 2, p 0.88)
    const plain: RuleInput = { ...rule, weights: "rumour:4" };
    const weighed: RuleInput = { ...rule, weights: "rumour:4 constructor:-3" };
    const text = "The constructor spread a rumour.";
    for (const form of ["parsed", "read back from the policy cache's JSON"]) {
      for (const [input, spans] of [[plain, [text]], [weighed, []]] as const) {
        let specs = parsePack({ file: "pack.yaml", text: packYaml([input]) });
        if (form !== "parsed") specs = JSON.parse(JSON.stringify(specs)) as RuleSpec[];
        const policy = await compilePolicy(specs, { org: { ...emptyOrganization(), ...ORG } });
        expect(scan(policy, text).map((f) => spanOf(text, f)), `${form}, ${String(input.weights)}`).toEqual(spans);
      }
    }
  });

  it("scores the same after many texts, when the models' features have all been numbered", async () => {
    const policy = await policyOf([rule], ORG);
    const text = "We met on Monday. The rumour is that Globex is closing.";
    const before = scan(policy, text).map((f) => spanOf(text, f));
    expect(before).toEqual(["The rumour is that Globex is closing."]);
    // Some 80,000 feature lookups (13 a sentence) in a text that never uses a weighed word.
    const filler = Array.from({ length: 6000 }, (_, i) => `Sentence ${i} about lunch and word${i} here.`).join(" ");
    expect(scan(policy, filler)).toEqual([]);
    expect(scan(policy, text).map((f) => spanOf(text, f))).toEqual(before);
    // <pct> is first met now: 2.5 + 0.5 - 2 = 1 (p 0.73); without it 0.5 (p 0.62)
    const fresh = "A rumour that 50% of it is true.";
    expect(scan(policy, fresh).map((f) => spanOf(fresh, f))).toEqual([fresh]);
  });

  it("scores a sentence of more than 300 characters in pieces", async () => {
    const filler = "lorem ipsum dolor sit amet ".repeat(30);
    const text = `${filler}then a rumour about Globex is here ${filler}`;
    const spans = await flagged(rule, text);
    expect(spans.length).toBe(1);
    expect(spans[0]?.length).toBeLessThanOrEqual(300);
    expect(spans[0]).toContain("rumour about Globex is");
  });
});

describe("near and notNear", () => {
  const money = "\\$\\d+(?:\\.\\d+)?[MBK]?";

  it("near within N words: the match counts only when the term is close enough", async () => {
    const rule: RuleInput = { id: "confidentiality-revenue", kind: "pattern", pattern: money, near: { terms: ["Q3 revenue"], within: 4 } };
    await expectRule(rule, {
      flag: [
        ["Our Q3 revenue was $4.2M this time.", ["$4.2M"]],
        ["We made $3M of Q3\nrevenue.", ["$3M"]],
      ],
      pass: [
        "Our Q3 revenue was fine, as the board and all of us expected, and lunch cost $12.",
        "Lunch cost $12.",
      ],
    });
  });

  it("near defaults to the same sentence", async () => {
    const rule: RuleInput = { id: "confidentiality-revenue", kind: "pattern", pattern: money, near: { terms: ["revenue"] } };
    await expectRule(rule, {
      flag: [["Revenue, to everyone's surprise and after a very long quarter, hit $9M.", ["$9M"]]],
      pass: ["Revenue grew. Lunch cost $12."],
    });
  });

  it("notNear in the sentence: a source, link or 'according to' silences the match", async () => {
    const rule: RuleInput = {
      id: "accuracy-unsourced-percent", kind: "pattern", pattern: "\\b\\d+(?:\\.\\d+)?%",
      notNear: { terms: ["according to"], pattern: "https?://", within: "sentence" },
    };
    await expectRule(rule, {
      flag: [
        ["Sales rose 40% last year.", ["40%"]],
        ["Sales rose 40%. According to Gartner, that is normal.", ["40%"]],
      ],
      pass: ["According to Gartner, sales rose 40%.", "Sales rose 40% (see https://example.com/report)."],
    });
  });

  it("does not end a sentence at an abbreviation's point (U.S., Dr., e.g.)", async () => {
    const rule: RuleInput = {
      id: "accuracy-unsourced-percent", kind: "pattern", pattern: "\\b\\d+(?:\\.\\d+)?%",
      notNear: { terms: ["report on"], within: "sentence" },
    };
    await expectRule(rule, {
      flag: [["The report on shipping is out. Sales rose 40% last year.", ["40%"]]],
      pass: [
        "The Federal Reserve's report on the Economic Well-Being of U.S. Households found that 63% of adults could cover it.",
        "Dr. Okafor's report on clinic waits says 40% wait too long.",
      ],
    });
  });

  it("reads a Markdown quote's hard-wrapped lines as one sentence, and its empty line as a break", async () => {
    const rule: RuleInput = {
      id: "accuracy-unsourced-percent", kind: "pattern", pattern: "\\b\\d+(?:\\.\\d+)?%",
      notNear: { terms: ["according to"], within: "sentence" },
    };
    await expectRule(rule, {
      flag: [
        ["> Sales rose 40% last year.\n>\n> According to Gartner, that is normal.", ["40%"]],
        ["> Sales rose 40% last year\n\n> according to Gartner.", ["40%"]],
        ["> According to Gartner:\n> - sales rose 40% last year", ["40%"]],
      ],
      pass: ["> According to the 2024 survey of buyers across the\n> whole of the region, sales\n> rose 40% last year."],
    });
  });

  it("a list of near conditions needs all of them; a list of notNear conditions drops on any", async () => {
    const near: RuleInput = { id: "confidentiality-revenue", kind: "pattern", pattern: money, near: [{ terms: ["revenue"] }, { terms: ["Q3"], within: 3 }] };
    await expectRule(near, {
      flag: [["Revenue in Q3 was $5M.", ["$5M"]]],
      pass: ["Revenue was $5M.", "In Q3 lunch cost $5."],
    });
    const notNear: RuleInput = { id: "accuracy-percent", kind: "pattern", pattern: "\\d+%", notNear: [{ terms: ["survey"] }, { terms: ["source"], within: 2 }] };
    await expectRule(notNear, {
      flag: [["Growth was 12% overall.", ["12%"]]],
      pass: ["Our survey says 12%.", "12% (source: us)."],
    });
  });

  it("conditions work for terms rules and organisation lists too", async () => {
    const rule: RuleInput = { id: "confidentiality-launch", kind: "terms", terms: ["launch date"], near: { org: ["codenames"], within: 5 } };
    await expectRule(rule, {
      flag: [["The launch date for K3strel slipped.", ["launch date"]]],
      pass: ["The launch date for the new site slipped."],
    });
  });
});

describe("document conditions", () => {
  const praise: RuleInput = {
    id: "accuracy-undisclosed-praise", kind: "terms", org: ["products"],
    document: { requires: { terms: ["amazing", "best"] }, unless: { terms: ["I work at", "I work for"], pattern: "#\\w*Employee\\b" } },
  };

  it("fires when the required term is present and the disclosure absent", async () => {
    await expectRule(praise, {
      flag: [["The ThinkBook is amazing.", ["ThinkBook"]]],
      pass: [
        "The ThinkBook is out.",
        "The ThinkBook is amazing. Disclosure: I work at Acme.",
        "The ThinkBook is the best! #AcmeEmployee",
      ],
    });
  });

  it("does not count a disclosure in the front matter (a bio is not a disclosure in the post)", async () => {
    const text = "---\nbio: I work at Acme\n---\nThe ThinkBook is amazing.\n";
    expect(await flagged(praise, text)).toEqual(["ThinkBook"]);
  });

  it("frontMatter limits a rule to drafts whose front matter has one of the values", async () => {
    const rule: RuleInput = { id: "phrasing-hashtag", kind: "pattern", pattern: "#\\w+", document: { frontMatter: { channel: ["twitter", "x"] } } };
    await expectRule(rule, {
      flag: [
        ["---\nchannel: twitter\n---\nHello #world\n", ["#world"]],
        ["---\nchannel: Twitter\n---\nHello #world\n", ["#world"]],
        ["---\nchannel: [blog, x]\n---\nHello #world\n", ["#world"]],
      ],
      pass: ["---\nchannel: blog\n---\nHello #world\n", "Hello #world\n", "---\ntitle: t\n---\nHello #world\n"],
    });
  });
});

describe("shared keys", () => {
  it("exceptions apply to pattern rules too", async () => {
    await expectRule({ id: "confidentiality-ip", kind: "pattern", pattern: "\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b", exceptions: ["version 10.0.0.1"] }, {
      flag: [["host 10.0.0.1", ["10.0.0.1"]]],
      pass: ["We shipped version 10.0.0.1 today."],
    });
  });

  it("scopes choose the parts a rule reads", async () => {
    const text = "Say kestrel, `kestrel`.\n";
    expect(await flagged({ id: "phrasing-kestrel", kind: "terms", terms: ["kestrel"] }, text)).toEqual(["kestrel"]);
    expect(await flagged({ id: "phrasing-kestrel", kind: "terms", terms: ["kestrel"], scopes: ["code"] }, text)).toEqual(["kestrel"]);
    expect(await flagged({ id: "confidentiality-kestrel", kind: "terms", terms: ["kestrel"] }, text)).toEqual(["kestrel", "kestrel"]);
  });

  it("a rule set to off in the config is not compiled; a severity override applies", async () => {
    const text = packYaml([
      { id: "confidentiality-a", kind: "terms", terms: ["alpha"] },
      { id: "confidentiality-b", kind: "terms", terms: ["beta"] },
    ]);
    const policy = await loadPolicy({
      defaults: false,
      packs: [{ file: "p.yaml", text }],
      config: "defaults: false\nrules:\n  confidentiality-a: off\n  confidentiality-b: info\n",
    });
    expect(scan(policy, "alpha beta").map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["confidentiality-b info"]);
  });
});
