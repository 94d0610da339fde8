/**
 * A worker thread for large scans: it loads the same configuration and policy (warm from the policy
 * cache) and runs the same per-file pipeline, so results do not depend on how work was split.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { cacheDir, policyFromConfig, readConfig } from "../node.js";
import { FileScanner, type FileScanSettings } from "./pipeline.js";

export interface WorkerInit {
  configFile: string | undefined;
  cacheLocation: string | undefined;
  settings: FileScanSettings;
}

export type WorkerRequest = { file: string } | { done: true };
export type WorkerReply = { outcome: import("./pipeline.js").FileOutcome } | { timing: [string, number][] } | { error: string };

const init = workerData as WorkerInit;
const port = parentPort;
if (port) {
  const config = readConfig(init.configFile, cacheDir(init.settings.cwd, init.cacheLocation));
  const ready = policyFromConfig(config, { cacheDir: cacheDir(init.settings.cwd, init.cacheLocation) }).then(({ policy }) => new FileScanner(config, policy, init.settings));
  port.on("message", (msg: WorkerRequest) => {
    ready
      .then((scanner) => {
        if ("done" in msg) {
          port.postMessage({ timing: [...(scanner.timing ?? new Map<string, number>())] } satisfies WorkerReply);
          return;
        }
        let buffer: Buffer;
        try {
          buffer = readFileSync(resolve(init.settings.cwd, msg.file));
        } catch (e) {
          const outcome = { file: msg.file, findings: [], notices: [], error: { file: msg.file, line: 1, column: 1, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
          port.postMessage({ outcome } satisfies WorkerReply);
          return;
        }
        port.postMessage({ outcome: scanner.scan(msg.file, buffer) } satisfies WorkerReply);
      })
      .catch((e: Error) => port.postMessage({ error: e.message } satisfies WorkerReply));
  });
}
