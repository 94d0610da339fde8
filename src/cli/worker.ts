/**
 * A worker thread for large scans: it loads the same configuration and policy (warm from the policy
 * cache) and runs the same per-file pipeline, so results do not depend on how work was split.
 */
import { parentPort, workerData } from "node:worker_threads";
import { cacheDir, policyFromConfig, readConfig } from "../node.js";
import { workerTuning } from "./engine.js";
import { FileScanner, readDraft, type FileScanSettings } from "./pipeline.js";
import { toWire, type WireOutcome } from "./wire.js";

export interface WorkerInit {
  /** Set V8's flags for a large run (the real command line only: they are global to the process). */
  tuneEngine?: boolean;
  configFile: string | undefined;
  cacheLocation: string | undefined;
  settings: FileScanSettings;
}

export type WorkerRequest = { file: string } | { done: true };
export type WorkerReply = { outcome: WireOutcome } | { timing: [string, number][] } | { error: string };

const init = workerData as WorkerInit;
const port = parentPort;
if (port) {
  if (init.tuneEngine) workerTuning();
  const config = readConfig(init.configFile, cacheDir(init.settings.cwd, init.cacheLocation));
  const ready = policyFromConfig(config, { cacheDir: cacheDir(init.settings.cwd, init.cacheLocation) }).then(({ policy }) => new FileScanner(config, policy, init.settings));
  port.on("message", (msg: WorkerRequest) => {
    ready
      .then((scanner) => {
        if ("done" in msg) {
          port.postMessage({ timing: [...(scanner.timing ?? new Map<string, number>())] } satisfies WorkerReply);
          return;
        }
        const read = readDraft(init.settings.cwd, msg.file);
        port.postMessage({ outcome: toWire("outcome" in read ? read.outcome : scanner.scan(msg.file, read.buffer)) } satisfies WorkerReply);
      })
      .catch((e: Error) => port.postMessage({ error: e.message } satisfies WorkerReply));
  });
}
