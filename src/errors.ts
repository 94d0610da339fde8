/**
 * Errors the user can fix. Each prints as one line: where, what is wrong, how to fix it. The CLI
 * prints them without a stack trace (unless --debug) and exits with code 2. Each class names itself
 * (the bundle is built without esbuild's keepNames, whose wrappers cost time on hot paths).
 */
import type { SourceLocation } from "./types.js";

export class DraftguardError extends Error {
  constructor(
    message: string,
    readonly location?: SourceLocation,
    readonly hint?: string,
  ) {
    super(message);
  }

  override name = "DraftguardError";

  /** `file:line:col: message. hint` */
  toLine(): string {
    const where = this.location ? `${this.location.file}:${this.location.line}:${this.location.column}: ` : "";
    return `${where}${this.message}${this.hint ? ` (${this.hint})` : ""}`;
  }
}

/** A rule pack or configuration file is invalid. */
export class ConfigError extends DraftguardError {
  override name = "ConfigError";
}

/** The command line is invalid. */
export class UsageError extends DraftguardError {
  override name = "UsageError";
}

/** A draft cannot be read: missing, binary, not UTF-8, too large. */
export class InputError extends DraftguardError {
  override name = "InputError";
}
