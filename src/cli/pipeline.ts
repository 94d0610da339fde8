/**
 * What happens to one draft after it is read: decode (refusing binary, invalid UTF-8, oversized
 * files), scan, apply the configuration's overrides and the draft's suppression comments. The main
 * thread and the worker threads run the same code.
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { applyOverrides, compileOverrides, overridesFor, type CompiledOverride } from "../engine/overrides.js";
import { MAX_FINDINGS_PER_RULE, scanText } from "../engine/scan.js";
import { applySuppressions, parseSuppressions } from "../engine/suppressions.js";
import { InputError } from "../errors.js";
import { decodeDraft } from "../node.js";
import type { Config } from "../policy/config.js";
import type { Policy } from "../policy/rule.js";
import { frontMatterOf, kindForFile } from "../text/document.js";
import type { FileError, Finding } from "../types.js";
import { toPosix } from "./files.js";

export interface FileScanSettings {
  cwd: string;
  maxFileSize: number;
  reportUnusedSuppressions: boolean;
  fingerprintKey?: string;
  timing: boolean;
}

export interface FileOutcome {
  file: string;
  /** Findings as reported (overrides and suppressions applied). */
  findings: Finding[];
  /** Findings before overrides and suppressions: what the result cache keeps. */
  raw?: Finding[];
  error?: FileError;
  notices: string[];
}

/** A draft's bytes, or, when it cannot be read, the outcome that says so (the main thread and workers alike). */
export function readDraft(cwd: string, file: string): { buffer: Buffer } | { outcome: FileOutcome } {
  try {
    return { buffer: readFileSync(resolve(cwd, file)) };
  } catch (e) {
    const message = `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    return { outcome: { file, findings: [], notices: [], error: { file, line: 1, column: 1, message } } };
  }
}

export function toFileError(e: InputError): FileError {
  return {
    file: e.location?.file ?? "",
    line: e.location?.line ?? 1,
    column: e.location?.column ?? 1,
    message: e.hint ? `${e.message} (${e.hint})` : e.message,
  };
}

export class FileScanner {
  readonly timing: Map<string, number> | undefined;
  private readonly overrides: CompiledOverride[];
  private readonly needsFrontMatter: boolean;
  private readonly configDir: string;
  private readonly suppressionOptions;

  /**
   * `policy` may come later (usePolicy), when a re-scan may find every draft in the result cache;
   * `ruleIds` then says which rules suppression comments may name.
   */
  constructor(
    private readonly config: Config,
    private policy: Policy | undefined,
    private readonly settings: FileScanSettings,
    ruleIds: Iterable<string> = policy?.rules.map((r) => r.id) ?? [],
  ) {
    this.timing = settings.timing ? new Map() : undefined;
    this.overrides = compileOverrides(config.overrides);
    this.needsFrontMatter = config.overrides.some((o) => Object.keys(o.frontMatter).length > 0);
    this.configDir = config.file ? dirname(config.file) : settings.cwd;
    this.suppressionOptions = {
      requireReason: config.suppressions.requireReason,
      unsuppressible: new Set(config.suppressions.unsuppressible),
      knownRules: new Set(ruleIds),
    };
  }

  usePolicy(policy: Policy): void {
    this.policy = policy;
  }

  /** Scan one draft; `cached` are its raw findings from the result cache, if its bytes are unchanged. */
  scan(file: string, buffer: Buffer, cached?: Finding[]): FileOutcome {
    // Bytes the result cache knows (by hash) decoded and scanned cleanly before; unless an
    // override or a suppression comment needs the text, there is nothing left to do with them.
    if (cached && this.overrides.length === 0 && buffer.length <= this.settings.maxFileSize && !buffer.includes("draftguard-")) {
      return { file, findings: cached, raw: cached, notices: [] };
    }
    let text: string;
    try {
      text = decodeDraft(buffer, file, { maxBytes: this.settings.maxFileSize });
    } catch (e) {
      if (e instanceof InputError) return { file, findings: [], error: toFileError(e), notices: [] };
      throw e;
    }
    const notices: string[] = [];
    if (!cached && !this.policy) throw new Error("FileScanner: no policy to scan with (usePolicy first)");
    const raw =
      cached ??
      scanText(text, this.policy as Policy, {
        file,
        ...(this.timing ? { timing: this.timing } : {}),
        ...(this.settings.fingerprintKey ? { fingerprintKey: this.settings.fingerprintKey } : {}),
        onTruncated: (ruleId, dropped) => notices.push(`${file}: ${ruleId}: ${dropped} more finding${dropped === 1 ? "" : "s"} left out (at most ${MAX_FINDINGS_PER_RULE} per rule and file)`),
      });
    let findings = raw;
    if (this.overrides.length > 0) {
      const fm = this.needsFrontMatter ? frontMatterOf(text, kindForFile(file)) : {};
      findings = applyOverrides(findings, overridesFor(this.overrides, toPosix(relative(this.configDir, resolve(this.settings.cwd, file))), fm));
    }
    if (text.includes("draftguard-")) {
      const parsed = parseSuppressions(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      const applied = applySuppressions(findings, parsed.directives, this.suppressionOptions);
      findings = applied.kept;
      for (const p of [...parsed.problems, ...applied.problems]) notices.push(`${file}:${p.line}:${p.column}: ${p.message}`);
      if (this.settings.reportUnusedSuppressions) {
        for (const d of applied.unused) notices.push(`${file}:${d.line}:${d.column}: unused suppression draftguard-${d.kind}${d.ruleId ? ` ${d.ruleId}` : ""}: it suppresses nothing, remove it`);
      }
    }
    return { file, findings, raw, notices };
  }
}
