/** `--format json`: the public contract (version 1), documented in the README. */
import type { Formatter } from "../types.js";

export const formatJson: Formatter = (report) =>
  `${JSON.stringify(
    {
      version: report.version,
      findings: report.findings,
      fileErrors: report.fileErrors,
      summary: report.summary,
    },
    null,
    2,
  )}\n`;
