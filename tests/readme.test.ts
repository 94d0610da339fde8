/** The README's promises stay true: its first commands, and its configuration example loads. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRuleOverrides, configSpecs } from "../src/node.js";
import { parseConfig } from "../src/policy/config.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("starts with the install-and-scan command and the test command", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toMatch(/^npm ci && node bin\/draftguard\.js scan fixtures\//m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it("shows a configuration that validates against the bundled rules", () => {
    const section = readme.slice(readme.indexOf("## Configuration"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(yaml).toContain("organization:");
    const config = parseConfig("README.md", yaml);
    config.packs = []; // the example's extra pack is the reader's own file
    expect(() => checkRuleOverrides(config, configSpecs(config))).not.toThrow();
  });
});
