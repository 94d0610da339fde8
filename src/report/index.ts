/** Every output format; the compiler keeps this table complete. */
import type { FormatName, Formatter, Report } from "../types.js";
import { formatGithub } from "./github.js";
import { formatJson, jsonChunks } from "./json.js";
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

/** Formats that can also be written piece by piece, for reports too large to hold as one string. */
export const chunkedFormatters: Partial<Record<FormatName, (report: Report) => Iterable<string>>> = {
  json: jsonChunks,
};
