/**
 * Libraries that only some runs need, loaded on first use: a pre-commit hook scanning one post
 * with a warm policy cache never parses YAML packs or walks directories, and should not pay for
 * loading those libraries (yaml alone costs ~35 ms to import).
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type IgnoreFactory from "ignore";
import type * as WorkerThreads from "node:worker_threads";
import type * as Readline from "node:readline/promises";

const require = createRequire(import.meta.url);

let yamlModule: typeof Yaml | undefined;
export function yaml(): typeof Yaml {
  yamlModule ??= require("yaml") as typeof Yaml;
  return yamlModule;
}

let ignoreFactory: typeof IgnoreFactory | undefined;
export function ignore(): ReturnType<typeof IgnoreFactory> {
  ignoreFactory ??= require("ignore") as typeof IgnoreFactory;
  return ignoreFactory();
}

/*
 * Node's own modules a one-post scan never uses: each costs a few milliseconds to load (worker
 * threads for large scans, readline for `init`). child_process is not among them: commander
 * loads it anyway.
 */
export const workerThreads = (): typeof WorkerThreads => require("node:worker_threads") as typeof WorkerThreads;
export const readline = (): typeof Readline => require("node:readline/promises") as typeof Readline;
