/**
 * The edge between the pure core and the file system: the bundled pack, configuration discovery,
 * pack files named by a configuration, and reading drafts safely. The CLI and the public API use it.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, InputError } from "./errors.js";
import { defaultConfig, parseConfig, type Config } from "./policy/config.js";
import { checkUniqueIds, compilePolicy, parsePack, type PackSource } from "./policy/load.js";
import type { NeedleCache, Policy, RuleSpec } from "./policy/rule.js";
import type { PatternAnalysis } from "./policy/prefilter.js";
import type { NeedleLayout } from "./policy/needles.js";
import { closest } from "./text/nlp.js";
import { writeCacheData } from "./cachedir.js";
export { cacheDir } from "./cachedir.js";
import type { Organization, Severity, SourceLocation } from "./types.js";

/**
 * The package root (holds rules/, bin/ and package.json): the parent of this module's folder, which
 * is src/ (under the test runner) or dist/ (the bundles esbuild writes there, never deeper).
 */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLED_RULES = join(PACKAGE_ROOT, "rules");
export const CONFIG_NAMES = [".draftguard.yaml", ".draftguard.yml"];

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

let stamp: string | undefined;

/**
 * What cached policies and configurations depend on besides their own text: the version and the
 * code that parses and analyses them, so a rebuilt engine never serves entries an older one wrote.
 * That code is stamped by size and modification time: the code files beside this module (from
 * dist/ the bundles, which hold the whole engine; from src/ the top-level sources) and its policy/
 * folder, where there is one (src/ under the test runner). Declarations (.d.ts) are not code.
 */
export function engineStamp(): string {
  if (stamp !== undefined) return stamp;
  const dir = dirname(fileURLToPath(import.meta.url));
  const parts = [packageVersion()];
  const isCode = (name: string) => /\.(js|ts)$/.test(name) && !name.endsWith(".d.ts");
  const walk = (folder: string, deep: boolean) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (deep) walk(path, true);
      } else if (isCode(entry.name)) {
        const s = statSync(path);
        parts.push(`${entry.name}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  try {
    walk(dir, false);
    if (existsSync(join(dir, "policy"))) walk(join(dir, "policy"), true);
  } catch {
    // an unusual layout: the version alone keys the cache
  }
  stamp = parts.join("|");
  return stamp;
}

/**
 * A pack file's bytes, read but not decoded: a warm start only hashes them (a few ms for the
 * bundled 1.8 MB, against 12 ms to decode and hash the text), and decodes them only to parse.
 */
export interface PackFile {
  file: string;
  bytes: Buffer;
}

export function readPackFile(file: string, shownAs = file): PackFile {
  try {
    return { file: shownAs, bytes: readFileSync(file) };
  } catch (e) {
    throw new ConfigError(`cannot read rule pack: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: shownAs, line: 1, column: 1 }, "check the path under packs: in .draftguard.yaml");
  }
}

/** A pack file's text, decoded as `readFileSync(file, "utf8")` would. */
export function packText(pack: PackFile): PackSource {
  return { file: pack.file, text: pack.bytes.toString("utf8") };
}

/** The bundled default pack: every rules/*.yaml, in file-name order. */
export function bundledPackFiles(): string[] {
  return readdirSync(BUNDLED_RULES)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join(BUNDLED_RULES, f));
}

/** `.draftguard.yaml` in `cwd` or the nearest parent folder. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Read and validate a configuration; with `cache`, a configuration seen before is not parsed again. */
export function readConfig(file: string | undefined, cache?: string): Config {
  if (file === undefined) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file, line: 1, column: 1 }, "check the --config path");
  }
  if (cache === undefined) return parseConfig(file, text);
  const key = createHash("sha256").update(`${engineStamp()}\0${file}\0${text}`).digest("hex").slice(0, 24);
  const cached = join(cache, `config-${key}.json`);
  const hit = readCacheFile<Config>(cached);
  if (hit !== undefined) return hit;
  const config = parseConfig(file, text);
  writeCacheFile(cached, config);
  return config;
}

/**
 * A cache file's value, or undefined when it is absent, unreadable or not JSON (the caller rebuilds
 * it). The file is all ASCII (writeCacheFile), which latin1 decodes exactly, in a tenth of the time
 * UTF-8 takes: 1 ms against 10 for the 3 MB policy cache.
 */
export function readCacheFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "latin1")) as T;
  } catch {
    return undefined;
  }
}

/**
 * Write a value to a cache file as JSON, atomically; a cache that cannot be written only costs
 * time. Characters beyond ASCII are written as \u escapes, so that readCacheFile may decode the
 * file as latin1: the policy cache (over 1 MB, some of it typographic quotes and dashes) is read
 * by every scan.
 */
export function writeCacheFile(file: string, value: unknown): void {
  const ascii = JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  writeCacheData(file, ascii, CACHE_KEEP);
}

/** Cache files of one kind kept: every edit of a pack or upgrade writes a new one. */
const CACHE_KEEP = 8;


/** Names of the bundled packs for `extends: [draftguard:NAME]`; `all` is every one. */
export function bundledPackNames(): string[] {
  return bundledPackFiles().map((f) => basename(f).replace(/\.ya?ml$/, ""));
}

/** The pack files an `extends:` entry stands for. */
export function resolveExtends(entry: { name: string; location: SourceLocation }, base: string): string[] {
  const { name, location } = entry;
  if (name.startsWith("draftguard:")) {
    const pack = name.slice("draftguard:".length);
    if (pack === "all" || pack === "recommended") return bundledPackFiles();
    const file = bundledPackFiles().find((f) => basename(f).replace(/\.ya?ml$/, "") === pack);
    if (!file) {
      const guess = closest(pack, bundledPackNames());
      throw new ConfigError(`no bundled pack "${pack}"`, location, guess ? `did you mean "draftguard:${guess}"?` : `bundled packs: ${bundledPackNames().map((n) => `draftguard:${n}`).join(", ")}, draftguard:all`);
    }
    return [file];
  }
  if (name.startsWith(".") || isAbsolute(name)) {
    const file = resolve(base, name);
    if (!existsSync(file)) throw new ConfigError(`extended pack "${name}" not found`, location, `no file at ${file}`);
    return [file];
  }
  // An npm package: its package.json names the pack ("draftguard": "pack.yaml"), or it ships draftguard.yaml.
  let pkgJson: string;
  try {
    pkgJson = createRequire(join(base, "noop.js")).resolve(`${name}/package.json`);
  } catch {
    throw new ConfigError(`extended package "${name}" is not installed`, location, `npm install --save-dev ${name}, or write ./ before a local file`);
  }
  const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as { draftguard?: string | string[] };
  const declared = pkg.draftguard === undefined ? ["draftguard.yaml"] : Array.isArray(pkg.draftguard) ? pkg.draftguard : [pkg.draftguard];
  const files = declared.map((f) => join(dirname(pkgJson), f));
  for (const f of files) {
    if (!existsSync(f)) throw new ConfigError(`package "${name}" does not ship the pack ${basename(f)}`, location, `add "draftguard": "<pack.yaml>" to its package.json`);
  }
  return files;
}

/** Every pack the configuration asks for: `extends:` or the bundled pack (unless `defaults: false`), then `packs:`. */
export function configPackSources(config: Config, extraPacks: string[] = []): PackFile[] {
  const sources: PackFile[] = [];
  const base = config.file ? dirname(config.file) : process.cwd();
  const baseFiles = config.extends ? config.extends.flatMap((e) => resolveExtends(e, base)) : config.defaults ? bundledPackFiles() : [];
  for (const f of [...new Set(baseFiles)]) sources.push(readPackFile(f, shortPath(f)));
  for (const pack of config.packs) {
    const file = resolve(base, pack.path);
    if (!existsSync(file)) throw new ConfigError(`rule pack "${pack.path}" not found`, pack.location, `no file at ${file}`);
    sources.push(readPackFile(file));
  }
  for (const p of extraPacks) sources.push(readPackFile(p));
  return sources;
}

/** Every rule spec the configuration asks for, parsed and validated. */
export function configSpecs(config: Config, extraPacks: string[] = []): RuleSpec[] {
  return configPackSources(config, extraPacks).flatMap((pack) => parsePack(packText(pack)));
}

interface CachedPolicy {
  specs: Omit<RuleSpec, "examples">[];
  /**
   * The specs' examples, in the same order, as one JSON text: only `rules show` reads them from
   * here, and a string parses in a fraction of the time its 10,000 objects would take.
   */
  examples: string;
}

/**
 * Validated specs for these exact pack texts, from the cache when they were seen before: a warm
 * start skips YAML parsing, validation and the ReDoS check (pattern analyses: NeedleMemo).
 * The key hashes the version and every pack's name and bytes, so an edit is never served stale.
 */
function cachedSpecs(packs: PackFile[], dir: string | undefined, parser: PackParser | undefined): { key: string; specs: RuleSpec[] } {
  const hash = createHash("sha256").update(engineStamp());
  for (const p of packs) hash.update(`\0${p.file}\0`).update(p.bytes);
  const key = hash.digest("hex").slice(0, 24);
  const file = dir ? join(dir, `policy-${key}.json`) : undefined;
  let specs: RuleSpec[] | undefined;
  const cached = file ? readCacheFile<CachedPolicy>(file) : undefined;
  if (cached && Array.isArray(cached.specs) && typeof cached.examples === "string") specs = withExamples(cached.specs, cached.examples);
  // Parsed, the rules' texts are slices of their pack's text, which V8 keeps whole for as long as
  // any finding names the rule (2.7 MB per thread). The JSON copy is what a warm start reads anyway.
  if (specs === undefined) {
    const sources = packs.map(packText);
    specs = parser?.(sources) ?? (JSON.parse(JSON.stringify(sources.flatMap((source) => parsePack(source)))) as RuleSpec[]);
    if (file) {
      const examples = JSON.stringify(specs.map((s) => s.examples));
      writeCacheFile(file, { specs: specs.map(({ examples: _, ...rest }) => rest), examples } satisfies CachedPolicy);
    }
  }
  return { key, specs };
}

/** What the layout cache holds: the needle index's layout, and the pattern analyses in compile order. */
interface CachedLayout {
  index: NeedleLayout;
  analyses: [number, PatternAnalysis][];
}

/**
 * Pattern analyses for compilePolicy (regexpp parses each pattern to find its needles: the slow
 * part of a cold start). A warm start takes them from the layout cache, in the order the compile
 * asks for them, which is the same for the same key (engine, packs, names, severities); each
 * comes with its key's length, as a check. Any that does not fit is looked up in the packs'
 * needle cache, a map keyed by flags and pattern source (half a megabyte of keys), which is read
 * only then; and failing that, analysed again.
 */
class NeedleMemo implements NeedleCache {
  private map: Map<string, PatternAnalysis> | undefined;
  /** What the compile asked for, in order: what the layout cache keeps. */
  readonly asked: [number, PatternAnalysis][] = [];
  /** Analyses not found where the layout cache had them, and analyses made. */
  misses = 0;
  added = false;

  constructor(
    private readonly known: unknown,
    private readonly file: string | undefined,
  ) {}

  get(key: string): PatternAnalysis | undefined {
    const hit: unknown = Array.isArray(this.known) ? this.known[this.asked.length] : undefined;
    if (Array.isArray(hit) && hit[0] === key.length && isAnalysis(hit[1])) {
      this.asked.push([key.length, hit[1]]);
      return hit[1];
    }
    this.misses++;
    const found = this.loaded().get(key);
    if (found) this.asked.push([key.length, found]);
    return found;
  }

  set(key: string, analysis: PatternAnalysis): void {
    this.loaded().set(key, analysis);
    this.asked.push([key.length, analysis]);
    this.added = true;
  }

  /** Write the packs' needle cache, when analyses were added to it. */
  save(): void {
    if (this.file && this.added && this.map) writeCacheFile(this.file, [...this.map]);
  }

  private loaded(): Map<string, PatternAnalysis> {
    if (!this.map) {
      const entries = this.file ? readCacheFile<unknown>(this.file) : undefined;
      this.map = new Map(Array.isArray(entries) ? (entries as [string, PatternAnalysis][]).filter((e) => Array.isArray(e) && typeof e[0] === "string" && isAnalysis(e[1])) : []);
    }
    return this.map;
  }
}

function isAnalysis(value: unknown): value is PatternAnalysis {
  return typeof value === "object" && value !== null && "prefilter" in value && "hoisted" in value;
}

/** Specs whose examples are parsed from `examples` (see CachedPolicy) when first read. */
function withExamples(specs: Omit<RuleSpec, "examples">[], examples: string): RuleSpec[] {
  let parsed: RuleSpec["examples"][] | undefined;
  return specs.map((spec, i) =>
    Object.defineProperty(spec, "examples", {
      get: () => (parsed ??= JSON.parse(examples) as RuleSpec["examples"][])[i] as RuleSpec["examples"],
      enumerable: true,
      configurable: true,
    }) as RuleSpec,
  );
}

/** Show bundled rule files as `rules/x.yaml`, so errors and `rules test` read well anywhere. */
function shortPath(file: string): string {
  return file.startsWith(PACKAGE_ROOT) ? file.slice(PACKAGE_ROOT.length + 1).split("\\").join("/") : file;
}

export function checkRuleOverrides(config: Config, specs: RuleSpec[]): void {
  const ids = specs.map((s) => s.id);
  const entries = [...Object.entries(config.rules), ...config.overrides.flatMap((o) => Object.entries(o.rules))];
  for (const [id, entry] of entries) {
    if (!ids.includes(id)) {
      const guess = closest(id, ids);
      throw new ConfigError(`unknown rule "${id}" under rules:`, entry.location, guess ? `did you mean "${guess}"?` : "run `draftguard rules list` for the ids");
    }
  }
}

/**
 * Parses pack texts elsewhere, as `parsePack` would (a short-lived thread: cli/packthread.ts), giving
 * JSON-ready specs, or undefined when it could not; the packs are then parsed here.
 */
export type PackParser = (sources: PackSource[]) => RuleSpec[] | undefined;

/** What a scan needs to know of its policy before (and unless) it compiles it. */
export interface PolicySource {
  specs: RuleSpec[];
  severities: Record<string, Severity | "off">;
  /** What a scan's result depends on besides the draft: the packs, the names, the severities. */
  key: string;
  /** Compile the policy (once; later calls return the same promise). */
  compile(): Promise<Policy>;
}

/**
 * The packs a configuration names, validated (from the policy cache when it can), without
 * compiling them: a re-scan whose every draft the result cache knows never needs to.
 */
export function policySource(config: Config, options: { extraPacks?: string[]; org?: Organization; cacheDir?: string; parser?: PackParser } = {}): PolicySource {
  const { key: packsKey, specs } = cachedSpecs(configPackSources(config, options.extraPacks), options.cacheDir, options.parser);
  checkRuleOverrides(config, specs);
  checkUniqueIds(specs); // what compiling would refuse, said before any draft is scanned
  const severities = Object.fromEntries(Object.entries(config.rules).map(([id, e]) => [id, e.value]));
  const org = options.org ?? config.organization;
  const key = createHash("sha256").update(`${packsKey}\0${JSON.stringify(org)}\0${JSON.stringify(severities)}`).digest("hex").slice(0, 24);
  let compiled: Promise<Policy> | undefined;
  // The needle index's layout depends on everything the key covers (the packs and the engine, the
  // names, the severities): cached under it, a warm start skips working it out. Pattern analyses
  // depend on the packs and the names; the packs' needle cache keeps them by pattern (NeedleMemo).
  const layoutFile = options.cacheDir ? join(options.cacheDir, `layout-${key}.json`) : undefined;
  const needlesFile = options.cacheDir ? join(options.cacheDir, `needles-${packsKey}.json`) : undefined;
  const compile = () =>
    (compiled ??= (async () => {
      // absent, unreadable or not fitting this policy: worked out again (see NeedleIndex, NeedleMemo)
      const cached = layoutFile ? readCacheFile<Partial<CachedLayout>>(layoutFile) : undefined;
      const memo = new NeedleMemo(cached?.analyses, needlesFile);
      const needleLayout = cached?.index;
      const policy = await compilePolicy(specs, { org, severities, needleCache: memo, ...(needleLayout ? { needleLayout } : {}) });
      memo.save();
      if (layoutFile && (!policy.needles.reusedLayout || memo.misses > 0)) {
        writeCacheFile(layoutFile, { index: policy.needles.layoutData(), analyses: memo.asked } satisfies CachedLayout);
      }
      return policy;
    })());
  return { specs, severities, key, compile };
}

export async function policyFromConfig(config: Config, options: { extraPacks?: string[]; org?: Organization; cacheDir?: string } = {}): Promise<{ policy: Policy; specs: RuleSpec[]; key: string }> {
  const source = policySource(config, options);
  return { policy: await source.compile(), specs: source.specs, key: source.key };
}

export interface DraftLimits {
  maxBytes: number;
}

/** Read a draft as UTF-8 text, refusing binary, invalid UTF-8 and oversized files with a position. */
export function decodeDraft(buffer: Buffer, file: string, limits: DraftLimits): string {
  if (buffer.length > limits.maxBytes) {
    const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
    throw new InputError(`file is too large to scan (${mb(buffer.length)}, limit ${mb(limits.maxBytes)})`, { file, line: 1, column: 1 }, "raise --max-file-size or add the file to ignore: in .draftguard.yaml");
  }
  const nul = buffer.subarray(0, 8000).indexOf(0);
  if (nul !== -1) {
    throw new InputError("file looks binary (it contains a NUL byte), not a text draft", { file, ...positionOf(buffer, nul) }, "scan only text, Markdown or HTML files");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buffer);
  } catch {
    const bad = firstInvalidUtf8(buffer);
    throw new InputError(`file is not valid UTF-8 (byte 0x${(buffer[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad})`, { file, ...positionOf(buffer, bad) }, "convert it to UTF-8, e.g. iconv -f latin1 -t utf-8");
  }
}

function positionOf(buffer: Buffer, byteOffset: number): { line: number; column: number } {
  const before = new TextDecoder("utf-8").decode(buffer.subarray(0, byteOffset));
  const nl = before.lastIndexOf("\n");
  let line = 1;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) line++;
  return { line, column: before.length - nl };
}

function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return 0;
}
