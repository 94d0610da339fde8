/** Evasions the text model and organisation vocabulary undo, with exact source spans. */
import { describe, expect, it } from "vitest";
import { policyOf, scan, spanOf } from "./helpers/packs.js";

describe("letters written out one by one", () => {
  it.each([
    ["Marked d o   n o t   d i s t r i b u t e here.", "do not distribute", "d o   n o t   d i s t r i b u t e"],
    ["Signed under N.D.A. last week.", "nda", "N.D.A"],
    ["It says C O N F I D E N T I A L on top.", "confidential", "C O N F I D E N T I A L"],
    ["Marked i-n-t-e-r-n-a-l o-n-l-y, sorry.", "internal only", "i-n-t-e-r-n-a-l o-n-l-y"],
  ])("%s", async (text, term, span) => {
    const policy = await policyOf([{ id: "confidentiality-m", kind: "terms", terms: [term] }]);
    expect(scan(policy, text).map((f) => spanOf(text, f))).toEqual([span]);
  });

  it("leaves short abbreviations and ordinary letters alone", async () => {
    const policy = await policyOf([{ id: "confidentiality-m", kind: "terms", terms: ["eg", "us", "abc"] }]);
    expect(scan(policy, "Options a b c, e.g. the U.S. office.")).toEqual([]);
  });
});

describe("codenames without their generic prefix", () => {
  it("finds the capitalised bare name, not the ordinary word", async () => {
    const policy = await policyOf([{ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }], { codenames: ["Project Osprey"] });
    const text = "The Osprey launch slipped. We watched an osprey. Project Osprey is late.";
    expect(scan(policy, text).map((f) => spanOf(text, f))).toEqual(["Osprey", "Project Osprey"]);
  });
});

describe("digits standing in for letters", () => {
  it("finds leetspeak forms of listed words and of bare codenames, a disguised codename in lower case too", async () => {
    const policy = await policyOf(
      [
        { id: "phrasing-word", kind: "terms", terms: ["shitshow", "go to hell"] },
        { id: "confidentiality-codename", kind: "terms", org: ["codenames"] },
      ],
      { codenames: ["Project Marigold"] },
    );
    // The plain lower-case word is an ordinary one (marigold seeds); written with digits for its
    // letters it is not: nobody disguises a flower.
    const text = "What a sh1tshow, g0 t0 h3ll. The M4r1g0ld demo went well; m4r1g0ld ships soon. marigold seeds are cheap. B2B and 4G are fine.";
    expect(scan(policy, text).map((f) => `${f.ruleId} ${spanOf(text, f)}`)).toEqual([
      "phrasing-word sh1tshow",
      "phrasing-word g0 t0 h3ll",
      "confidentiality-codename M4r1g0ld",
      "confidentiality-codename m4r1g0ld",
    ]);
  });
});

describe("sentiment above a threshold", () => {
  it("reports strongly positive sentences naming the subject, and not neutral ones", async () => {
    const policy = await policyOf([{ id: "phrasing-praise", kind: "sentiment", subject: { org: ["products"] }, above: 3 }], { products: ["TideSync"] });
    const text = "TideSync is amazing and saved my whole week. TideSync ships on Tuesdays. The weather was wonderful and great.";
    expect(scan(policy, text).map((f) => spanOf(text, f))).toEqual(["TideSync is amazing and saved my whole week."]);
  });
});

describe("codenames that are ordinary words", () => {
  it("match capitalised, upper-case or in leetspeak, and in lower case only when used as a project's name", async () => {
    const policy = await policyOf([{ id: "confidentiality-codename", kind: "terms", org: ["codenames"] }], { codenames: ["Bluefin", "Sandpiper"] });
    const text = "Bluefin demo. BLUEFIN ships. B1uef1n too. We saw a bluefin tuna. sandpiper beta opens monday. A sandpiper flew by. bluefin gripper firmware is late.";
    expect(scan(policy, text).map((f) => spanOf(text, f))).toEqual(["Bluefin", "BLUEFIN", "B1uef1n", "sandpiper", "bluefin"]);
  });
});
