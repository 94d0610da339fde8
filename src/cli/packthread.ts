/**
 * Rule packs parsed in a short-lived thread, for a run whose policy cache is cold (the first after
 * an install, an upgrade or an edited pack). Parsing the default pack's YAML in this thread grew
 * its heap by some 50 MB (a young generation at its largest, old-generation pages kept for reuse)
 * that V8 does not give back, and the scan then ran on top of it: a first 200 MB scan peaked at
 * 246-250 MB against 207-215 MB warm. A thread's heap goes with the thread; what comes back is the
 * specs alone, as a warm start reads them from the cache.
 *
 * The caller waits, blocked: parsing is the first thing a run does, and nothing else could go on
 * meanwhile. Blocked, it cannot hear a thread's `error` event, so the thread starts through a
 * bootstrap that wakes it however the bundle ends, even if it fails to load: the one place that
 * wakes it. Anything that goes
 * wrong (no worker bundle, a bundle that throws, a pack that does not parse) gives undefined, and
 * the caller parses in its own thread, where a broken pack gets its usual error.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { MessagePort } from "node:worker_threads";
import { workerThreads } from "../lazy.js";
import type { PackSource } from "../policy/load.js";
import type { RuleSpec } from "../policy/rule.js";
import { WORKER } from "./pool.js";

/** What the worker bundle gets to parse packs (see worker.ts). */
export interface ParseRequest {
  sources: PackSource[];
  port: MessagePort;
}

/** The specs as JSON, the form a warm start reads from the cache: the same objects either way. */
export interface ParseReply {
  specs: string;
}

/** Parsing the default pack takes about 1.5 s; this allows for a slow, busy machine. */
const PATIENCE_MS = 30_000;

/**
 * Runs the worker bundle, which answers as it loads (answerParse), then wakes the waiting thread
 * whatever happened: set `signal` to 1 once the reply, if any, is on the port.
 */
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
const wake = () => { Atomics.store(workerData.signal, 0, 1); Atomics.notify(workerData.signal, 0); };
import(workerData.bundle).then(wake, wake);`;

/**
 * The packs' specs, parsed and validated in a thread of their own; undefined when that failed.
 * Starting a thread puts V8's flags back to the command line's, for every thread (engine.ts):
 * `afterThread` is called once the thread has started, before the reply is read, to set again what
 * this thread had set. Without it the cold start's main thread parsed the reply (3 MB of JSON) with
 * V8's default young generation, which grew to its largest and stayed so for the whole scan: a
 * cold 10 MB scan peaked at 218 MB against 202 MB, a cold 200 MB scan at 255-257 MB.
 */
export function parsePacksInThread(sources: PackSource[], worker = WORKER, afterThread?: () => void): RuleSpec[] | undefined {
  if (!existsSync(worker)) return undefined;
  const { Worker, MessageChannel, receiveMessageOnPort } = workerThreads();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let thread: InstanceType<typeof Worker> | undefined;
  try {
    const workerData = { bundle: pathToFileURL(worker).href, signal, parse: { sources, port: port2 } satisfies ParseRequest };
    thread = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
    thread.unref();
    const waited = Atomics.wait(signal, 0, 0, PATIENCE_MS);
    afterThread?.();
    if (waited === "timed-out") return undefined;
    const reply = receiveMessageOnPort(port1)?.message as ParseReply | undefined;
    return reply ? (JSON.parse(reply.specs) as RuleSpec[]) : undefined;
  } catch {
    return undefined;
  } finally {
    port1.close();
    void thread?.terminate();
  }
}

/**
 * The worker's side, as the bundle loads: parse and answer on the port (the bootstrap then wakes the
 * waiting thread). A pack that does not parse gets no answer: the waiting thread parses it again and
 * reports the error with its position.
 */
export function answerParse(request: ParseRequest, parse: (source: PackSource) => RuleSpec[]): void {
  try {
    request.port.postMessage({ specs: JSON.stringify(request.sources.flatMap((source) => parse(source))) } satisfies ParseReply);
  } catch {
    // no answer (see above)
  } finally {
    request.port.close();
  }
}
