/** Worker threads across files, when there is enough work to pay for starting them. */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { workerThreads } from "../lazy.js";
import { PACKAGE_ROOT } from "../node.js";
import type { RuleMeta } from "../types.js";
import type { FileOutcome } from "./pipeline.js";
import { fromWire } from "./wire.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./worker.js";

/** The worker's bundle, dist/worker.js, also when this module runs from src/ under the test runner. */
export const WORKER = join(PACKAGE_ROOT, "dist", "worker.js");
/** Files a worker holds at once: enough that it never waits while this thread scans a long draft. */
const IN_FLIGHT = 8;

/** How many threads a scan of `files` files and `bytes` bytes should use (1 = none). */
export function threadsFor(files: number, bytes: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files));
  if (files < 40 || bytes < 2 * 1048576) return 1; // start-up of a thread costs more than it saves
  return Math.max(1, Math.min(availableParallelism(), 8, Math.ceil(files / 20)));
}

/**
 * The old generation each worker may grow to, for drafts of at most `largest` bytes. Without a cap
 * V8 lets a worker's heap reach three or four times what it keeps alive before collecting it, and
 * two workers doing so put a 200 MB scan over 250 MB. 96 MB holds the policy and a normal post with
 * room to spare; a big draft needs about 12 times its size (copies, views, hits). A worker that
 * still runs out of memory is replaced by one without a cap (see scanInWorkers): slower, never lost.
 */
export function workerHeapMb(largest: number): number {
  return 96 + Math.ceil((12 * largest) / 1048576);
}

export interface PoolOptions {
  /** Each file's outcome as it arrives, in no particular order; the pool keeps none of them. */
  onOutcome: (outcome: FileOutcome) => void;
  /** The rules of the policy the workers load, by id: their texts are put back into each finding (see wire.ts). */
  rules: ReadonlyMap<string, RuleMeta>;
  /** Old-generation cap per worker in MB (workerHeapMb); undefined: V8's default. */
  heapMb?: number | undefined;
  /**
   * Scans one file on this thread and hands its outcome on itself. When given, this thread takes
   * files from the same queue as the workers, between their answers: one thread fewer to start,
   * and one policy fewer in memory, for the same number of files scanned at once.
   */
  local?: (file: string) => void;
}

export async function scanInWorkers(files: string[], init: WorkerInit, threads: number, options: PoolOptions): Promise<{ timing: Map<string, number>; replaced: number }> {
  /** Workers that ran out of memory and were replaced. */
  let replaced = 0;
  const timing = new Map<string, number>();
  let next = 0;
  /** Files a worker had in hand when it ran out of memory: done first by whoever asks next. */
  const retry: string[] = [];
  const take = (): string | undefined => retry.pop() ?? (next < files.length ? files[next++] : undefined);
  const runOne = (heapMb: number | undefined) =>
    new Promise<void>((resolveWorker, reject) => {
      // A small young generation: the scan allocates much and keeps little. A 48 MB nursery per
      // thread only made the process bigger (and slower: fewer cache hits); 16 MB still let one
      // 100 MB scan peak at 217 MB, 8 MB kept three at 159-166 MB, at the same speed.
      const worker: Worker = new (workerThreads().Worker)(WORKER, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8, ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}) } });
      /** Files sent and not yet answered, in order (a worker answers in order). */
      const pending: string[] = [];
      let finished = false;
      let dead = false;
      const send = () => {
        while (pending.length < IN_FLIGHT) {
          const file = take();
          if (file === undefined) break;
          worker.postMessage({ file } satisfies WorkerRequest);
          pending.push(file);
        }
        if (pending.length === 0 && !finished) {
          finished = true;
          worker.postMessage({ done: true } satisfies WorkerRequest);
        }
      };
      worker.on("message", (reply: WorkerReply) => {
        if (dead) return; // an answer that came after the worker died: its file is being redone
        if ("error" in reply) {
          void worker.terminate();
          reject(new Error(reply.error));
        } else if ("outcome" in reply) {
          let outcome: FileOutcome;
          try {
            outcome = fromWire(reply.outcome, options.rules);
          } catch (e) {
            void worker.terminate();
            return reject(e as Error);
          }
          options.onOutcome(outcome);
          pending.shift();
          send();
        } else {
          for (const [id, ms] of reply.timing) timing.set(id, (timing.get(id) ?? 0) + ms);
          void worker.terminate().then(() => resolveWorker());
        }
      });
      worker.on("error", (e: Error & { code?: string }) => {
        if (e.code !== "ERR_WORKER_OUT_OF_MEMORY" || heapMb === undefined) return reject(e);
        // Its files go to a worker without the cap; nothing it finished is lost.
        dead = true;
        replaced++;
        retry.push(...pending.reverse());
        runOne(undefined).then(resolveWorker, reject);
      });
      send();
    });
  const runLocal = async (scan: (file: string) => void) => {
    for (let file = take(); file !== undefined; file = take()) {
      scan(file);
      // Let the workers' answers in (and send them more files) before the next file.
      await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
    }
  };
  const local = options.local;
  const workers = local ? threads - 1 : threads;
  await Promise.all([...Array.from({ length: workers }, () => runOne(options.heapMb)), ...(local ? [runLocal(local)] : [])]);
  return { timing, replaced };
}
