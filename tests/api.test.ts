/** The library entry point as a publishing platform imports it: `import { loadPolicy, scanText } from "draftguard"`. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("package entry point", () => {
  it("loads the bundled policy with an organisation and scans text without touching files", () => {
    const script = `
      import { loadPolicy, scanText } from "draftguard";
      const policy = await loadPolicy({ organization: { name: "Acme", codenames: ["Bluejay"] } });
      const findings = scanText("Bluejay ships Friday. Mail me at jane.roe@acme.com", policy, { file: "post.md" });
      process.stdout.write(JSON.stringify(findings.map((f) => [f.ruleId, f.line, f.column, f.match])));
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    const findings = JSON.parse(run.stdout) as [string, number, number, string][];
    expect(findings).toContainEqual(["confidentiality-codename", 1, 1, "Bluejay"]);
    const email = findings.find((f) => f[0] === "confidentiality-email-address");
    expect(email?.[3]).not.toContain("roe@acme.com"); // masked
  });
});
