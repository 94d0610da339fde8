/**
 * Process-wide V8 settings, chosen by what the CLI is about to do. They are global to the process
 * (worker threads included), so only the real command line sets them (`nodeIo`); the CLI run
 * inside another program, such as the tests, leaves the host's engine alone.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface EngineTuning {
  /** About to list files (and maybe start worker threads). */
  listing(): void;
  /** This thread is about to compile the policy and scan about `bytes` of drafts. */
  scanning(bytes: number): void;
  /** This thread has compiled the policy and is about to start worker threads: collect its garbage first. */
  settle(): void;
}

/**
 * Runs up to this size are scanned with unoptimised regular expressions. V8 compiles a regular
 * expression the first time it runs, and the optimising compiler takes about ten times as long
 * on the pack's long alternations (a post's patterns: about 100 ms against 10), while the code it
 * makes runs about four times as fast. Break-even, measured on generated drafts: 60-100 KB.
 */
export const SMALL_RUN = 64 * 1024;

/**
 * What a worker thread sets when it starts, for a run the CLI hands to worker threads. Starting a
 * worker thread puts V8's flags back to the command line's: a flag the main thread set before
 * `new Worker` is gone once the worker runs, for every thread (measured: a young generation the
 * main thread had held to 1 MB grew to 32 MB). So each worker sets them once it runs, and, flags
 * being global, they hold for the main thread too:
 * - regular expressions compiled with V8's optimising passes (see `scanning` below: large runs),
 *   and, as V8 does by default, to bytecode first and to machine code once they run again;
 * - a young generation that does not grow (see `listing`). Each worker caps its own at 8 MB
 *   (pool.ts), and the main thread only receives findings. Measured: peak RSS 208-216 MB at
 *   200 MB of drafts (warm policy cache) against 240-300 MB, 172 MB at 10 MB against 190-205 MB,
 *   no more CPU.
 */
export function workerTuning(): void {
  setFlagsFromString("--regexp-optimization");
  setFlagsFromString("--semi-space-growth-factor=1");
}

/** V8's own default growth factor for the young generation (flag-definitions.h). */
const V8_DEFAULT_GROWTH = 2;

/**
 * Put every V8 flag this module sets back to V8's default. Code cached data records the flags it
 * was made under, and V8 refuses it in a process whose flags differ: the code cache (boot.ts),
 * made at the end of a run, must be made under the flags the next run starts with.
 */
export function defaultV8Flags(): void {
  setFlagsFromString("--regexp-tier-up");
  setFlagsFromString("--regexp-optimization");
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
  setFlagsFromString("--no-expose-gc");
}

export function processTuning(): EngineTuning {
  return {
    listing() {
      // V8 doubles the young generation (up to 2 x 16 MB) while much of what is allocated
      // survives, and does not give it back: listing 45,000 files did that, and the memory sat
      // unused while worker threads scanned. Starting the workers undoes this setting, so they
      // set it again (workerTuning); it was thought to save 30 MB at 200 MB of drafts, and saved
      // nothing there until they did.
      setFlagsFromString("--semi-space-growth-factor=1");
    },
    settle() {
      // Compiling a policy whose cache is cold (the first run after an install or an upgrade)
      // leaves some 90 MB of garbage, which V8 may keep until well into the scan while worker
      // threads start beside it: a first 200 MB run peaked at 394 MB against 207-215 MB warm.
      // One full collection now, through the only door Node has for it, costs a few ms.
      setFlagsFromString("--expose-gc");
      (runInNewContext("gc") as () => void)();
    },
    scanning(bytes) {
      // This thread scans: allocation-heavy work, let V8 size it (a post was 6 % slower without).
      setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
      // A post or two: each regular expression compiled once, straight to machine code without
      // V8's optimising passes (ten times quicker to compile on the pack's long alternations).
      // A large run: to bytecode first, and to optimised machine code only once a pattern runs
      // again, as V8 does by default. Compiling every pattern that ran once to machine code kept
      // 66 MB of it alive on the real Markdown corpus (1.9 MB, 285 files, where varied text runs
      // many patterns a few times): 240-257 MB peak against 172-173 MB this way, in the same time;
      // the generated 10 MB corpus takes about 5 % longer (6.3-6.7 s against 6.0-6.4 s) and 3-9 MB
      // more, the 200 MB one peaked at 236 MB cold and 217 MB warm against 237-238 and 222-238.
      setFlagsFromString(bytes <= SMALL_RUN ? "--no-regexp-tier-up" : "--regexp-tier-up");
      setFlagsFromString(bytes <= SMALL_RUN ? "--no-regexp-optimization" : "--regexp-optimization");
    },
  };
}
