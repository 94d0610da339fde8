/** `draftguard init`: a commented `.draftguard.yaml` that a compliance team can read and extend. */
import { readline } from "../lazy.js";
import type { Organization } from "../types.js";

export interface InitAnswers {
  organization: Organization;
  installHook: boolean;
}

function list(values: string[], example: string): string {
  return values.length > 0 ? `[${values.map((v) => JSON.stringify(v)).join(", ")}]` : `[]        # e.g. ${example}`;
}

export function configTemplate(org: Organization): string {
  return `# draftguard configuration: https://github.com/draftguard/draftguard#configuration-draftguardyaml
# The names below let the default policy catch your codenames, customers and internal hosts,
# and tell praise of your own products (which needs a disclosure) from other text.
organization:
  name: ${org.name ? JSON.stringify(org.name) : '""          # your organisation, e.g. "Acme"'}
  aliases: ${list(org.aliases, '["Acme Corp", "Acme Inc"]')}
  products: ${list(org.products, '["ThinkBook", "AcmeCloud"]')}
  codenames: ${list(org.codenames, '["Bluejay", "Project Falcon"]  (always an error)')}
  competitors: ${list(org.competitors, '["Globex"]  (disparagement is checked)')}
  customers: ${list(org.customers, '["Umbrella Corp"]  (naming a client needs approval)')}
  internalDomains: ${list(org.internalDomains, '["acme.internal", "corp.acme.com"]')}

# More rule packs, added to the bundled default pack (paths relative to this file):
# packs: [./policy/extra.yaml]

# Change a rule's severity (error, warning, info) or turn it off; \`draftguard rules list\` shows ids:
# rules:
#   accuracy-superlative: warning
#   phrasing-profanity-mild: off

# Different severities for some drafts:
# overrides:
#   - files: ["tweets/**"]
#     rules: { phrasing-shouting: off }
#   - frontMatter: { channel: [internal] }
#     rules: { confidentiality-customer-named: info }

# Paths never scanned (gitignore syntax, relative to this file):
ignore: []

# Inline suppressions (<!-- draftguard-disable-next-line RULE -- reason -->):
# suppressions:
#   requireReason: true
#   unsuppressible: [confidentiality-private-key]
`;
}

const split = (answer: string) => answer.split(",").map((s) => s.trim()).filter(Boolean);

/** Ask for the organisation's names on a terminal. */
export async function askInit(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<InitAnswers> {
  const rl = readline().createInterface({ input, output });
  try {
    const name = (await rl.question("Organisation name: ")).trim();
    const organization: Organization = {
      aliases: split(await rl.question("Other names it goes by (comma-separated): ")),
      products: split(await rl.question("Products: ")),
      codenames: split(await rl.question("Internal codenames: ")),
      competitors: split(await rl.question("Competitors: ")),
      customers: split(await rl.question("Customers whose names need approval: ")),
      internalDomains: split(await rl.question("Internal domains (e.g. corp.acme.com): ")),
    };
    if (name) organization.name = name;
    const hook = (await rl.question("Install the git pre-commit hook? [y/N] ")).trim().toLowerCase();
    return { organization, installHook: hook === "y" || hook === "yes" };
  } finally {
    rl.close();
  }
}
