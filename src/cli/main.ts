/**
 * The command line: commander wiring, reading files, writing reports. Everything it decides is
 * delegated to the core; what it prints is rendered by a formatter. Exit codes are a contract:
 * 0 nothing at or above the fail level, 1 findings at or above it, 2 usage, configuration or input error.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { applyBaseline, createBaseline, parseBaseline } from "../engine/baseline.js";
import { EXAMPLE_ORG, runExamples } from "../engine/examples.js";
import { buildReport, ruleMeta } from "../engine/report.js";
import { compileOverrides, overridesFor } from "../engine/overrides.js";
import { frontMatterOf, kindForFile } from "../text/document.js";
import { DraftguardError, UsageError } from "../errors.js";
import { defaultConfig, emptyOrganization, type Config, type Override } from "../policy/config.js";
import type { Policy, RuleSpec } from "../policy/rule.js";
import { askInit, configTemplate, type InitAnswers } from "./init.js";
import { activeRules, compilePolicy, type PackSource } from "../policy/load.js";
import { chunkedFormatters, formatters } from "../report/index.js";
import { summaryMarkdown } from "../report/markdown.js";
import { cacheDir, checkRuleOverrides, configSpecs, findConfig, packageVersion, policyFromConfig, policySource, readConfig, type PolicySource } from "../node.js";
import { ResultCache } from "./cache.js";
import { FileScanner, readDraft, toFileError, type FileOutcome, type FileScanSettings } from "./pipeline.js";
import { processTuning, SMALL_RUN, type EngineTuning } from "./engine.js";
// for boot.ts, which runs this module bundled as dist/cli.cjs
export { defaultV8Flags } from "./engine.js";
import { parsePacksInThread } from "./packthread.js";
import { scanInWorkers, threadsFor, workerHeapMb } from "./pool.js";
import type { WorkerInit } from "./worker.js";
import type { FileError, Finding, FormatName, Organization, Severity } from "../types.js";
import { ignore } from "../lazy.js";
import { DRAFT_EXTENSIONS, discoverFiles, toPosix } from "./files.js";
import { changedSince, readStaged, stagedFiles } from "./git.js";
import { installHook, uninstallHook, type HookName } from "./hook.js";
import { writeAtomic } from "./write.js";

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  stdinIsTTY: boolean;
  /** Process-wide engine settings; only the real command line has them (see engine.ts). */
  engine?: EngineTuning;
}

const FAIL_LEVELS = ["error", "warning", "info", "never"] as const;
type FailLevel = (typeof FAIL_LEVELS)[number];
const DRAFT_FILE = new RegExp(`\\.(?:${DRAFT_EXTENSIONS.join("|")})$`, "i");
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * A reader that stops early (`draftguard scan . | head`) closes the pipe: the rest of the report
 * has nowhere to go, which is no error of the scan's. Without a listener, Node would end the
 * process with an unhandled 'error' event and its stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.listenerCount("error") === 0) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
    });
  }
  return stream;
}

export function nodeIo(): Io {
  const stdout = quietOnClosedPipe(process.stdout);
  return {
    cwd: process.cwd(),
    stdout: (t) => stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    engine: processTuning(),
  };
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes("--debug");
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      return 2; // commander already printed its one-line message
    }
    if (e instanceof DraftguardError) {
      io.stderr(`draftguard: ${e.toLine()}\n`);
      if (debug) io.stderr(`${e.stack ?? ""}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`draftguard: internal error: ${err.message}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
    if (debug) io.stderr(`${err.stack ?? ""}\n`);
    return 2;
  }
  return exitCode;
}

interface ScanFlags {
  format: FormatName;
  outputFile?: string;
  config?: string;
  failOn: FailLevel;
  maxWarnings?: number;
  stdinFilename?: string;
  maxFileSize: number;
  color?: boolean;
  staged?: boolean;
  changedSince?: string;
  baseline?: string;
  reportUnusedSuppressions?: boolean;
  summaryFile?: string;
  timing?: boolean;
  debug?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  workers?: number;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`"${value}" is not a whole number`, undefined, "pass a number such as 0 or 10");
  return n;
}

function parseMegabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`"${value}" is not a size in megabytes`, undefined, "pass a number such as 32");
  return Math.floor(n * 1048576);
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("draftguard")
    .description("Scan drafts of posts for confidentiality, accuracy and phrasing problems before they are published.")
    .version(packageVersion(), "-v, --version")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`draftguard: ${s.replace(/^error: /, "").trim()} (see draftguard --help)\n`),
    });

  const formatOption = new Option("-f, --format <format>", "report format").choices(Object.keys(formatters)).default("pretty");
  program
    .command("scan")
    .description("scan files, directories or globs (- reads standard input)")
    .argument("[paths...]", "files, directories, globs, or - for standard input", ["."])
    .addOption(formatOption)
    .option("-o, --output-file <file>", "write the report to a file instead of standard output")
    .option("-c, --config <file>", "use this configuration file instead of the nearest .draftguard.yaml")
    .addOption(new Option("--fail-on <level>", "exit 1 when a finding is at or above this severity").choices(FAIL_LEVELS).default("error"))
    .option("--max-warnings <n>", "also exit 1 when there are more than n warnings", parseCount)
    .option("--stdin-filename <name>", "name (and type, by extension) of the draft read from standard input")
    .addOption(new Option("--max-file-size <mb>", "refuse files larger than this many megabytes").argParser(parseMegabytes).default(32 * 1048576, "32"))
    .option("--no-color", "never colour the output")
    .option("--staged", "scan the staged content of the git index (for a pre-commit hook)")
    .option("--changed-since <ref>", "scan files changed since the merge base with <ref>")
    .option("--baseline <file>", "report only findings not accepted in this baseline file")
    .option("--report-unused-suppressions", "report suppression comments that suppress nothing")
    .option("--summary-file <file>", "also write a Markdown table of all findings (e.g. $GITHUB_STEP_SUMMARY)")
    .option("--cache", "reuse the findings of drafts that have not changed since the last scan")
    .option("--cache-location <dir>", "where caches are kept (default: node_modules/.cache/draftguard)")
    .option("--workers <n>", "threads that scan, this one included (default: automatic; 1 = no worker threads)", parseCount)
    .option("--timing", "print the most expensive rules to standard error")
    .option("--debug", "print stack traces for errors")
    .action(async (paths: string[], flags: ScanFlags) => setExit(await scanCommand(paths, flags, io)));

  const rules = program.command("rules").description("list, show and test rules");
  rules
    .command("list")
    .description("list the active rules")
    .option("-c, --config <file>", "configuration file")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (flags: { config?: string; format: string }) => {
      const { policy } = await loadFor(io, flags.config);
      if (flags.format === "json") {
        io.stdout(`${JSON.stringify(policy.rules.map((r) => ({ id: r.id, category: r.category, severity: r.severity, kind: r.kind, description: r.description })), null, 2)}\n`);
      } else {
        const width = Math.max(...policy.rules.map((r) => r.id.length), 2);
        for (const r of policy.rules) io.stdout(`${r.id.padEnd(width)}  ${r.category.padEnd(15)}  ${r.severity.padEnd(7)}  ${r.description}\n`);
      }
    });
  rules
    .command("show")
    .description("show one rule in full")
    .argument("<id>", "rule id")
    .option("-c, --config <file>", "configuration file")
    .action(async (id: string, flags: { config?: string }) => {
      const { policy } = await loadFor(io, flags.config);
      const rule = policy.rules.find((r) => r.id === id);
      if (!rule) throw new UsageError(`no rule "${id}"`, undefined, "run `draftguard rules list` for the ids");
      const s = rule.spec;
      const lines = [
        `${rule.id}  (${rule.category}, ${rule.severity}, kind ${rule.kind})`,
        `  defined at ${s.location.file}:${s.location.line}:${s.location.column}`,
        `  ${rule.description}`,
        `  message:   ${rule.message}`,
        `  rationale: ${rule.rationale}`,
        `  remedy:    ${rule.remedy}`,
        ...(rule.link ? [`  link:      ${rule.link}`] : []),
        `  scopes:    ${rule.scopes.join(", ")}${rule.sensitive ? "  (sensitive: matches are masked)" : ""}`,
        "  flags:",
        ...s.examples.flag.map((e) => `    - ${e.text}`),
        "  passes:",
        ...s.examples.pass.map((e) => `    - ${e.text}`),
      ];
      io.stdout(`${lines.join("\n")}\n`);
    });
  rules
    .command("test")
    .description("run every rule's examples; exit 1 when one fails")
    .argument("[packs...]", "rule pack files to test (default: the bundled pack and the configured packs)")
    .option("-c, --config <file>", "configuration file")
    .action(async (packs: string[], flags: { config?: string }) => {
      const config = packs.length > 0 ? { ...defaultConfig(), defaults: false } : configFor(io, flags.config);
      const specs = configSpecs(config, packs.map((p) => resolve(io.cwd, p)));
      checkRuleOverrides(config, specs);
      const policy = await compilePolicy(specs, { org: exampleOrg(config.organization) });
      io.engine?.scanning(0); // examples are a sentence or two each: compile for short texts
      const { failures, run } = runExamples(policy);
      for (const f of failures) {
        const got = f.got.length > 0 ? `; it reported ${f.got.join(", ")}` : "";
        io.stdout(`${f.location.file}:${f.location.line}:${f.location.column}: ${f.ruleId}: example should ${f.expected === "flag" ? "be flagged but passed" : "pass but was flagged"}: ${JSON.stringify(f.text)}${got}\n`);
      }
      io.stdout(`${policy.rules.length} rules, ${run} examples: ${run - failures.length} passed, ${failures.length} failed\n`);
      setExit(failures.length > 0 ? 1 : 0);
    });

  const hook = program.command("hook").description("install or remove the git hook");
  const hookOption = () => new Option("--hook <name>", "which hook").choices(["pre-commit", "pre-push"]).default("pre-commit");
  hook
    .command("install")
    .description("install a hook that scans what is about to be committed (or pushed)")
    .addOption(hookOption())
    .action((flags: { hook: HookName }) => {
      const result = wrapGit(() => installHook({ cwd: io.cwd, hook: flags.hook }));
      io.stdout(`${result.action} ${toPosix(relative(io.cwd, result.path))}${result.chainedExisting ? " (your existing hook still runs first)" : ""}\n`);
    });
  hook
    .command("uninstall")
    .description("remove what `hook install` added")
    .addOption(hookOption())
    .action((flags: { hook: HookName }) => {
      const result = wrapGit(() => uninstallHook({ cwd: io.cwd, hook: flags.hook }));
      io.stdout(`${result.action} ${toPosix(relative(io.cwd, result.path))}\n`);
    });

  program
    .command("init")
    .description("write a commented .draftguard.yaml (asks for your organisation's names on a terminal)")
    .option("-y, --yes", "do not ask: write the template with empty lists")
    .option("--force", "overwrite an existing .draftguard.yaml")
    .option("--hook", "also install the git pre-commit hook")
    .action(async (flags: { yes?: boolean; force?: boolean; hook?: boolean }) => {
      const file = resolve(io.cwd, ".draftguard.yaml");
      if (existsSync(file) && !flags.force) throw new UsageError(".draftguard.yaml already exists", undefined, "edit it, or pass --force to overwrite it");
      const interactive = !flags.yes && io.isTTY && io.stdinIsTTY;
      const answers: InitAnswers = interactive
        ? await askInit(process.stdin, process.stdout)
        : { organization: emptyOrganization(), installHook: false };
      writeAtomic(file, configTemplate(answers.organization));
      io.stdout(`wrote .draftguard.yaml\n`);
      if (flags.hook || answers.installHook) {
        const result = wrapGit(() => installHook({ cwd: io.cwd, hook: "pre-commit" }));
        io.stdout(`${result.action} ${toPosix(relative(io.cwd, result.path))}\n`);
      } else if (!interactive) {
        io.stdout("run `draftguard hook install` to scan every commit\n");
      }
    });

  program
    .command("print-config")
    .description("show the effective configuration for a file and where each value came from")
    .argument("[file]", "a draft (overrides for it are applied)")
    .option("-c, --config <file>", "configuration file")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (file: string | undefined, flags: { config?: string; format: string }) => {
      const config = configFor(io, flags.config);
      const specs = configSpecs(config);
      checkRuleOverrides(config, specs);
      let applicable: Override[] = [];
      if (file !== undefined) {
        const abs = resolve(io.cwd, file);
        const fm = existsSync(abs) ? frontMatterOf(readFileSync(abs, "utf8"), kindForFile(file)) : {};
        applicable = overridesFor(compileOverrides(config.overrides), toPosix(relative(config.file ? dirname(config.file) : io.cwd, abs)), fm);
      }
      const effective = effectiveRules(config, specs, applicable);
      const where = (l: { file: string; line: number; column: number }) => `${l.file}:${l.line}:${l.column}`;
      const shown = {
        config: config.file ?? null,
        organization: config.organization,
        packs: [...new Set(specs.map((s) => s.location.file))],
        ignore: config.ignore,
        overrides: applicable.map((o) => where(o.location)),
        rules: effective.map((r) => ({ id: r.id, severity: r.severity, from: r.from })),
      };
      if (flags.format === "json") {
        io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      const lines = [
        `config: ${shown.config ?? "(none: built-in defaults)"}`,
        "organization:",
        ...Object.entries(config.organization).map(([k, v]) => `  ${k}: ${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`),
        "packs:",
        ...shown.packs.map((p) => `  ${p}`),
        `ignore: [${config.ignore.join(", ")}]`,
        ...(file !== undefined ? [`overrides for ${file}: ${shown.overrides.length > 0 ? shown.overrides.join(", ") : "none"}`] : []),
        "rules:",
        ...shown.rules.map((r) => `  ${r.id.padEnd(44)} ${r.severity.padEnd(7)} ${r.from}`),
      ];
      io.stdout(`${lines.join("\n")}\n`);
    });

  program
    .command("baseline")
    .description("accept the current findings: write them to a baseline file")
    .argument("[paths...]", "files, directories or globs", ["."])
    .option("-c, --config <file>", "configuration file")
    .option("-o, --output <file>", "baseline file", ".draftguard-baseline.json")
    .action(async (paths: string[], flags: { config?: string; output: string }) => {
      const { config, policy } = await loadFor(io, flags.config);
      const { findings, fileErrors } = await scanPaths(paths, { maxFileSize: 32 * 1048576, format: "json", failOn: "error" }, config, policy, io);
      reportFileErrors(fileErrors, io);
      const baseline = createBaseline(findings);
      writeAtomic(resolve(io.cwd, flags.output), `${JSON.stringify(baseline, null, 2)}\n`);
      io.stdout(`wrote ${flags.output}: ${baseline.entries.length} entr${baseline.entries.length === 1 ? "y" : "ies"} for ${findings.length} finding${findings.length === 1 ? "" : "s"}\n`);
      setExit(fileErrors.length > 0 ? 2 : 0);
    });
  return program;
}

/** Each rule's severity for a file, and the file:line:col that decided it. */
function effectiveRules(config: Config, specs: RuleSpec[], applicable: Override[]): { id: string; severity: Severity | "off"; from: string }[] {
  const where = (l: { file: string; line: number; column: number }) => `${l.file}:${l.line}:${l.column}`;
  return specs
    .map((spec) => {
      let severity: Severity | "off" = spec.severity;
      let from = `${where(spec.location)} (rule)`;
      const top = config.rules[spec.id];
      if (top) {
        severity = top.value;
        from = `${where(top.location)} (rules:)`;
      }
      for (const o of applicable) {
        const entry = o.rules[spec.id];
        if (entry) {
          severity = entry.value;
          from = `${where(entry.location)} (overrides)`;
        }
      }
      return { id: spec.id, severity, from };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function wrapGit<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DraftguardError) throw e;
    throw new UsageError((e as Error).message);
  }
}

function exampleOrg(org: Organization): Organization {
  const merged: Organization = { ...EXAMPLE_ORG };
  if (org.name) merged.name = org.name;
  for (const key of ["aliases", "products", "codenames", "competitors", "customers", "internalDomains"] as const) {
    if (org[key].length > 0) merged[key] = org[key];
  }
  return merged;
}

function configFor(io: Io, explicit: string | undefined, cacheLocation?: string): Config {
  return readConfig(explicit !== undefined ? resolve(io.cwd, explicit) : findConfig(io.cwd), cacheDir(io.cwd, cacheLocation));
}

async function loadFor(io: Io, explicit: string | undefined, cacheLocation?: string): Promise<{ config: Config; policy: Policy; key: string }> {
  const config = configFor(io, explicit, cacheLocation);
  const { policy, key } = await policyFromConfig(config, { cacheDir: cacheDir(io.cwd, cacheLocation) });
  return { config, policy, key };
}

interface ScanResult {
  files: string[];
  findings: Finding[];
  fileErrors: FileError[];
  notices: string[];
}

/**
 * `policy` may be a source not yet compiled: it is compiled only when some draft has to be
 * scanned here (not when the result cache knows every draft, nor when worker threads scan).
 */
async function scanPaths(paths: string[], flags: Pick<ScanFlags, "maxFileSize" | "stdinFilename" | "staged" | "changedSince" | "timing" | "reportUnusedSuppressions"> & Partial<ScanFlags>, config: Config, policy: Policy | PolicySource, io: Io, timing?: Map<string, number>, cache?: ResultCache): Promise<ScanResult> {
  const result: ScanResult = { files: [], findings: [], fileErrors: [], notices: [] };
  const settings: FileScanSettings = {
    cwd: io.cwd,
    maxFileSize: flags.maxFileSize,
    reportUnusedSuppressions: Boolean(flags.reportUnusedSuppressions),
    timing: Boolean(timing),
    ...(io.env.DRAFTGUARD_FINGERPRINT_KEY ? { fingerprintKey: io.env.DRAFTGUARD_FINGERPRINT_KEY } : {}),
  };
  const source = "compile" in policy ? policy : undefined;
  const scanner = source
    ? new FileScanner(config, undefined, settings, activeRules(source.specs, source.severities).map(({ spec }) => spec.id))
    : new FileScanner(config, policy as Policy, settings);
  /** This thread is about to scan about `bytes` of drafts. */
  const compiled = async () => {
    if (source) scanner.usePolicy(await source.compile());
  };
  const ready = async (bytes: number) => {
    io.engine?.scanning(bytes);
    await compiled();
  };
  const record = (outcome: FileOutcome, hash?: string) => {
    result.files.push(outcome.file);
    // A loop, not push(...list): spreading hundreds of thousands of findings overflows the stack.
    for (const f of outcome.findings) result.findings.push(f);
    for (const n of outcome.notices) result.notices.push(n);
    if (outcome.error) result.fileErrors.push(outcome.error);
    if (cache && hash !== undefined && outcome.raw) cache.set(outcome.file, hash, outcome.raw);
  };
  const scanOne = (file: string, buffer: Buffer) => {
    const hash = cache ? ResultCache.hash(buffer) : undefined;
    record(scanner.scan(file, buffer, hash === undefined ? undefined : cache?.get(file, hash)), hash);
  };
  const mergeTiming = (from: Map<string, number> | undefined) => {
    if (!timing || !from) return;
    for (const [id, ms] of from) timing.set(id, (timing.get(id) ?? 0) + ms);
  };

  if (flags.staged) {
    const staged = wrapGit(() => stagedFiles(io.cwd));
    const ignored = ignore().add(config.ignore);
    // How much is staged decides how this thread compiles its patterns (see engine.ts): drafts are
    // held until that is known, which is at most SMALL_RUN bytes of them, then scanned as read.
    const held: { path: string; buffer: Buffer }[] = [];
    let heldBytes = 0;
    let scanning = false;
    for (const entry of staged) {
      if (!DRAFT_FILE.test(entry.path) || ignored.ignores(entry.path)) continue;
      const buffer = wrapGit(() => readStaged(io.cwd, entry));
      if (scanning) {
        scanOne(entry.path, buffer);
        continue;
      }
      held.push({ path: entry.path, buffer });
      heldBytes += buffer.length;
      if (heldBytes > SMALL_RUN) {
        await ready(heldBytes);
        scanning = true;
        for (const draft of held.splice(0)) scanOne(draft.path, draft.buffer);
      }
    }
    if (held.length > 0) await ready(heldBytes);
    for (const draft of held) scanOne(draft.path, draft.buffer);
    mergeTiming(scanner.timing);
    return result;
  }
  let targets = paths;
  if (flags.changedSince !== undefined) {
    const changed = wrapGit(() => changedSince(io.cwd, flags.changedSince as string));
    targets = changed.filter((p) => DRAFT_FILE.test(p));
    if (targets.length === 0) return result;
  }
  const stdin = targets.includes("-");
  io.engine?.listing();
  const discovery = discoverFiles(targets.filter((p) => p !== "-"), io.cwd, config.ignore, config.file ? dirname(config.file) : io.cwd);
  for (const missing of discovery.missing) result.fileErrors.push(toFileError(missing));
  if (stdin) {
    const text = await io.readStdin();
    await ready(text.length);
    scanOne(flags.stdinFilename ?? "<stdin>", text);
  }

  // Files whose findings the cache holds are done here; the rest may go to worker threads.
  let todo = discovery.files;
  const hashes = new Map<string, string>();
  const readOrRecord = (file: string): Buffer | undefined => {
    const read = readDraft(io.cwd, file);
    if ("buffer" in read) return read.buffer;
    record(read.outcome);
    return undefined;
  };
  if (cache) {
    todo = [];
    for (const file of discovery.files) {
      const buffer = readOrRecord(file);
      if (!buffer) continue;
      const hash = ResultCache.hash(buffer);
      const cached = cache.get(file, hash);
      if (cached) record(scanner.scan(file, buffer, cached));
      else {
        todo.push(file);
        hashes.set(file, hash);
      }
    }
  }
  let bytes = 0;
  let largest = 0;
  for (const f of todo) {
    const size = sizeOf(resolve(io.cwd, f));
    bytes += size;
    largest = Math.max(largest, size);
  }
  const threads = threadsFor(todo.length, bytes, flags.workers);
  if (threads > 1) {
    const init: WorkerInit = { configFile: config.file, cacheLocation: flags.cacheLocation, settings, ...(io.engine ? { tuneEngine: true } : {}) };
    const heapMb = workerHeapMb(largest);
    const rules = new Map(ruleMeta(policy).map((r) => [r.id, r]));
    // This thread scans too, between the workers' answers: a worker fewer to start and to hold.
    // Not `ready`: the workers set the engine's flags for a large run (engine.ts, workerTuning).
    await compiled();
    io.engine?.settle();
    const local = (file: string) => {
      const buffer = readOrRecord(file);
      if (buffer) record(scanner.scan(file, buffer), hashes.get(file));
    };
    const { timing: workerTiming, replaced } = await scanInWorkers(todo, init, threads, { heapMb, rules, local, onOutcome: (outcome) => record(outcome, hashes.get(outcome.file)) });
    if (flags.debug && replaced > 0) result.notices.push(`${replaced} worker thread${replaced === 1 ? "" : "s"} ran out of memory (${heapMb} MB) and ${replaced === 1 ? "was" : "were"} replaced by one without a limit`);
    mergeTiming(workerTiming);
  } else {
    if (todo.length > 0) await ready(bytes);
    for (const file of todo) {
      const buffer = readOrRecord(file);
      if (!buffer) continue;
      const hash = hashes.get(file);
      record(scanner.scan(file, buffer), hash);
    }
  }
  mergeTiming(scanner.timing);
  return result;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // reported as missing when the files are listed
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function reportFileErrors(errors: FileError[], io: Io): void {
  for (const e of errors) io.stderr(`draftguard: ${e.file}:${e.line}:${e.column}: ${e.message}\n`);
}

async function scanCommand(paths: string[], flags: ScanFlags, io: Io): Promise<number> {
  if (flags.staged && flags.changedSince !== undefined) throw new UsageError("--staged and --changed-since cannot be combined", undefined, "pick one");
  const config = configFor(io, flags.config, flags.cacheLocation);
  // A real command line about to scan folders parses a cold cache's packs in a thread of its own
  // (packthread.ts): it keeps this thread's heap small for a long scan, and costs a post or two
  // about 0.3 s of thread start-up.
  const folders = !flags.staged && flags.changedSince === undefined && paths.some((p) => p !== "-" && isFolder(resolve(io.cwd, p)));
  let parsedInThread = false;
  const parser = (sources: PackSource[]) => {
    // the thread reset V8's flags: set this run's first ones again (see parsePacksInThread)
    const specs = parsePacksInThread(sources, undefined, () => io.engine?.listing());
    parsedInThread = specs !== undefined;
    return specs;
  };
  const source = policySource(config, { cacheDir: cacheDir(io.cwd, flags.cacheLocation), ...(io.engine && folders ? { parser } : {}) });
  const timing = flags.timing ? new Map<string, number>() : undefined;
  const cache = flags.cache ? new ResultCache(cacheDir(io.cwd, flags.cacheLocation), source.key) : undefined;
  const result = await scanPaths(paths, flags, config, source, io, timing, cache);
  if (flags.debug && parsedInThread) result.notices.push("the policy cache was cold: the rule packs were parsed in a thread of their own");
  cache?.save();
  let findings = result.findings;
  if (flags.baseline !== undefined) {
    const file = resolve(io.cwd, flags.baseline);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`cannot read baseline ${flags.baseline}`, undefined, "create it with `draftguard baseline`");
    }
    const applied = applyBaseline(findings, wrapGit(() => parseBaseline(text, flags.baseline as string)));
    findings = applied.fresh;
    for (const s of applied.stale) result.notices.push(`${flags.baseline}: stale entry: ${s.ruleId} in ${s.file} (×${s.count}) no longer occurs; regenerate the baseline to drop it`);
  }
  const report = buildReport(result.files, findings, result.fileErrors, source);
  const color = flags.color !== false && !flags.outputFile && io.isTTY && io.env.NO_COLOR === undefined && io.env.FORCE_COLOR !== "0";
  const output = formatters[flags.format];
  const chalk = color && flags.format === "pretty" ? new (await import("chalk")).Chalk({ level: 1 }) : undefined;
  const chunked = chunkedFormatters[flags.format];
  const text = chunked ? chunked(report) : output(report, { color, cwd: io.cwd, toolVersion: packageVersion(), ...(chalk ? { chalk } : {}) });
  if (flags.outputFile) writeAtomic(resolve(io.cwd, flags.outputFile), text);
  else if (typeof text === "string") io.stdout(text);
  else for (const chunk of text) io.stdout(chunk);
  if (flags.summaryFile) writeAtomic(resolve(io.cwd, flags.summaryFile), summaryMarkdown(report));
  reportFileErrors(result.fileErrors, io);
  for (const n of result.notices) io.stderr(`draftguard: ${n}\n`);
  if (timing) {
    const top = [...timing.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
    io.stderr(`rule timing (ms, total ${[...timing.values()].reduce((a, b) => a + b, 0).toFixed(1)}):\n`);
    for (const [id, ms] of top) io.stderr(`  ${ms.toFixed(2).padStart(9)}  ${id}\n`);
  }
  if (result.fileErrors.length > 0) return 2;
  const failLevel = flags.failOn;
  const failing = failLevel !== "never" && report.findings.some((f) => RANK[f.severity] >= RANK[failLevel]);
  const tooManyWarnings = flags.maxWarnings !== undefined && report.summary.warnings > flags.maxWarnings;
  const unused = flags.reportUnusedSuppressions && result.notices.some((n) => n.includes("unused suppression"));
  return failing || tooManyWarnings || unused ? 1 : 0;
}
