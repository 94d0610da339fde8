/** Worker threads across files, when there is enough work to pay for starting them. */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { PACKAGE_ROOT } from "../node.js";
import type { FileOutcome } from "./pipeline.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./worker.js";

/** The worker's bundle, dist/worker.js, also when this module runs from src/ under the test runner. */
const WORKER = join(PACKAGE_ROOT, "dist", "worker.js");
const IN_FLIGHT = 4;

/** How many threads a scan of `files` files and `bytes` bytes should use (1 = none). */
export function threadsFor(files: number, bytes: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files));
  if (files < 40 || bytes < 2 * 1048576) return 1; // start-up of a thread costs more than it saves
  return Math.max(1, Math.min(availableParallelism(), 8, Math.ceil(files / 20)));
}

export async function scanInWorkers(files: string[], init: WorkerInit, threads: number): Promise<{ outcomes: FileOutcome[]; timing: Map<string, number> }> {
  const outcomes: FileOutcome[] = [];
  const shared = new Map<string, string>();
  const timing = new Map<string, number>();
  let next = 0;
  const runOne = () =>
    new Promise<void>((resolveWorker, reject) => {
      // A small young generation: the scan allocates much and keeps little, and a 48 MB nursery
      // per thread only made the process bigger (and slower: fewer cache hits).
      const worker = new Worker(WORKER, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
      let pending = 0;
      let finished = false;
      const send = () => {
        while (pending < IN_FLIGHT && next < files.length) {
          worker.postMessage({ file: files[next++] as string } satisfies WorkerRequest);
          pending++;
        }
        if (pending === 0 && !finished) {
          finished = true;
          worker.postMessage({ done: true } satisfies WorkerRequest);
        }
      };
      worker.on("message", (reply: WorkerReply) => {
        if ("error" in reply) {
          void worker.terminate();
          reject(new Error(reply.error));
        } else if ("outcome" in reply) {
          outcomes.push(shareStrings(reply.outcome, shared));
          pending--;
          send();
        } else {
          for (const [id, ms] of reply.timing) timing.set(id, (timing.get(id) ?? 0) + ms);
          void worker.terminate().then(() => resolveWorker());
        }
      });
      worker.on("error", reject);
      send();
    });
  await Promise.all(Array.from({ length: threads }, runOne));
  return { outcomes, timing };
}

/**
 * A finding arrives from a worker with its own copy of every string, the rule's rationale and
 * remedy included; a scan of 200 MB holds tens of thousands of findings until the report is
 * written. The strings that repeat from finding to finding are replaced by one shared copy.
 */
function shareStrings(outcome: FileOutcome, shared: Map<string, string>): FileOutcome {
  const one = (s: string): string => {
    const kept = shared.get(s);
    if (kept !== undefined) return kept;
    shared.set(s, s);
    return s;
  };
  for (const list of [outcome.findings, outcome.raw ?? []]) {
    for (const f of list) {
      f.file = one(f.file);
      f.ruleId = one(f.ruleId);
      f.description = one(f.description);
      f.rationale = one(f.rationale);
      f.remedy = one(f.remedy);
      if (f.link !== undefined) f.link = one(f.link);
    }
  }
  return outcome;
}
