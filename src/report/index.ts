/** Every output format; the compiler keeps this table complete. */
import type { FormatName, Formatter } from "../types.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatMarkdown } from "./markdown.js";
import { formatPretty } from "./pretty.js";
import { formatSarif } from "./sarif.js";

export const formatters = {
  pretty: formatPretty,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
  markdown: formatMarkdown,
} satisfies Record<FormatName, Formatter>;
