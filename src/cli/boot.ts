/**
 * How bin/draftguard.js starts the command line: it runs dist/cli.cjs (main.ts and what it
 * imports, bundled as CommonJS) through V8's code cache, kept beside the policy cache.
 *
 * Parsing and compiling the 480 kB bundle, and then each function a scan calls for the first
 * time, was a fifth of a one-post run (about 40 ms of the main thread). Node 22 has a compile
 * cache of its own (module.enableCompileCache), Node 20 none: vm.Script takes V8's cached data,
 * and makes it after a run, when it holds every function the run compiled.
 *
 * The cache is an optimisation only: absent, unreadable, unwritable, or refused by V8 (another
 * Node, other V8 flags, a damaged file), the bundle compiles as it would without one, and a
 * refused cache is written again. Its name hashes the bundle and the Node version, so a rebuilt
 * or upgraded engine never meets an older entry. The file starts with the SHA-256 of the data
 * after it, checked before V8 sees the data: V8 checks a header, and release builds do not
 * check the rest, so a file damaged past its header could otherwise be run.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { cacheDir, writeCacheData } from "../cachedir.js";

/** What dist/cli.cjs exports (see main.ts). */
interface Cli {
  main(argv: string[]): Promise<number>;
  /** Put back the V8 flags a run sets, which V8 otherwise holds against the cache it makes. */
  defaultV8Flags(): void;
}

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), "cli.cjs");
const LOADER = (vm.constants as typeof vm.constants | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
/** Bytes of the SHA-256 that starts a code cache file. */
const DIGEST = 32;
/** Code caches kept: one per engine build and Node version in use. */
const KEEP = 3;

export async function boot(argv: string[], cwd = process.cwd()): Promise<number> {
  const bytes = readFileSync(BUNDLE);
  const key = createHash("sha256").update(`${process.version}\0${process.arch}\0`).update(bytes).digest("hex").slice(0, 24);
  const file = join(cacheDir(cwd, cacheLocation(argv)), `code-${key}.bin`);
  const cachedData = readChecked(file);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString("utf8")}\n})`, {
    filename: BUNDLE,
    ...(cachedData ? { cachedData } : {}),
    // import() in the bundle resolves as in any module (none is there today); vm.constants
    // arrived in Node 20.12.
    ...(LOADER ? { importModuleDynamically: LOADER } : {}),
  });
  const module = { exports: {} as Cli };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  const cli = module.exports;
  const code = await cli.main(argv);
  // A scan's functions are what is worth caching; other commands use a few of them.
  if ((cachedData === undefined || script.cachedDataRejected === true) && argv[0] === "scan") {
    cli.defaultV8Flags();
    const data = script.createCachedData();
    writeCacheData(file, Buffer.concat([createHash("sha256").update(data).digest(), data]), KEEP);
  }
  return code;
}

/** `--cache-location DIR` or `--cache-location=DIR`, as commander reads it; the last one given wins. */
function cacheLocation(argv: string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") break;
    if (arg === "--cache-location") found = argv[++i];
    else if (arg.startsWith("--cache-location=")) found = arg.slice("--cache-location=".length);
  }
  return found;
}

/** The cached data in `file`, when it is there and its digest (the first 32 bytes) matches. */
function readChecked(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= DIGEST) return undefined;
  const data = bytes.subarray(DIGEST);
  return createHash("sha256").update(data).digest().equals(bytes.subarray(0, DIGEST)) ? data : undefined;
}

