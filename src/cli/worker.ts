/**
 * A worker thread for large scans: it loads the same configuration and policy (warm from the policy
 * cache) and runs the same per-file pipeline, so results do not depend on how work was split.
 * Started with `parse` instead, it only parses rule packs for a cold start (packthread.ts).
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { cacheDir, policyFromConfig, readConfig } from "../node.js";
import { parsePack } from "../policy/load.js";
import { answerParse, type ParseRequest } from "./packthread.js";
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

const data = workerData as WorkerInit | { parse: ParseRequest } | null;
const port = parentPort;
if (port && data) {
  if ("parse" in data) answerParse(data.parse, parsePack); // a thread that only parses packs (packthread.ts)
  else serve(port, data);
}

function serve(port: MessagePort, init: WorkerInit): void {
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
