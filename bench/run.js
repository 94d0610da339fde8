#!/usr/bin/env node
// The speed benchmark of issue 5. `npm run bench` builds, then runs this; see bench/README.md.
//
//   node bench/run.js [--runs 5] [--quick] [--sizes 1,10,100] [--no-real] [--timeout 300]
//
// Every figure is the median of several cold runs of the real binary, measured from outside the
// process: what a user waiting on a git hook or a CI job actually sees. Progress goes to standard
// error; the Markdown tables go to standard output and to bench/results.md.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generate, samplePost } from "./generate.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "draftguard.js");
const CORPUS = join(ROOT, "bench", "corpus");
const GENERATOR_VERSION = 1; // bump when generate.js changes its output, to regenerate corpora
const TIME = "/usr/bin/time";

// Targets of issue 5, checked in the tables.
const TARGET = { oneRatio: 1.5, mbPerSecond: 20, peakMb: 250, cacheSpeedup: 5 };

const { values: args } = parseArgs({
  options: {
    runs: { type: "string" },
    quick: { type: "boolean", default: false },
    sizes: { type: "string", default: "1,10,100" },
    real: { type: "boolean", default: true },
    "no-real": { type: "boolean", default: false },
    timeout: { type: "string", default: "300" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  console.log("usage: node bench/run.js [--runs N] [--quick] [--sizes 1,10,100] [--no-real] [--timeout SECONDS]");
  process.exit(0);
}
const RUNS = Math.max(1, Number(args.runs ?? (args.quick ? 3 : 5)));
const SIZES = args.sizes.split(",").map(Number).filter((n) => n > 0);
const TIMEOUT_MS = Number(args.timeout) * 1000;
const { setInterval, clearInterval } = globalThis;
const log = (line) => process.stderr.write(`${line}\n`);

if (!existsSync(join(ROOT, "dist", "cli.cjs"))) {
  log("bench: dist/cli.cjs is missing; run `npm run build` first (or `npm run bench`, which does)");
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Measuring one process

const hasTime = existsSync(TIME) && spawnSync(TIME, ["-v", "true"]).status === 0;

// Scans run in their own process group (see measure); take the running one down with the runner.
const running = new Set();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid);
    process.exit(130);
  });
}
function killGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Runs a command once: wall time, peak RSS (GNU time's maximum resident set size, or the VmHWM
 * of /proc/<pid>/status polled while it runs), exit code, and standard error. Standard output goes
 * to `stdoutFile` (or nowhere), so a large report does not fill a pipe.
 */
function measure(argv, { cwd, stdoutFile }) {
  return new Promise((done) => {
    const statsFile = hasTime ? join(os.tmpdir(), `draftguard-bench-${process.pid}-${Date.now()}.txt`) : undefined;
    const command = hasTime ? [TIME, "-v", "-o", statsFile, ...argv] : argv;
    const out = stdoutFile ? ["pipe", "pipe"] : ["ignore", "pipe"];
    const started = process.hrtime.bigint();
    // Its own process group, so a timeout kills the scan and not only /usr/bin/time.
    const child = spawn(command[0], command.slice(1), { cwd, stdio: ["ignore", ...out], detached: true });
    running.add(child.pid);
    const stdout = [];
    const stderr = [];
    child.stdout?.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    let polledKb = 0;
    const poll = hasTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
            if (m) polledKb = Math.max(polledKb, Number(m[1]));
          } catch {
            // gone, or not Linux
          }
        }, 10);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, TIMEOUT_MS);
    child.on("close", (code, signal) => {
      running.delete(child.pid);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let rssKb = polledKb || undefined;
      let exit = code;
      let killedBy = signal;
      if (statsFile && existsSync(statsFile)) {
        const stats = readFileSync(statsFile, "utf8");
        rmSync(statsFile, { force: true });
        rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stats)?.[1]) || undefined;
        const status = /Exit status: (\d+)/.exec(stats);
        if (status) exit = Number(status[1]);
        const bySignal = /Command terminated by signal (\d+)/.exec(stats);
        if (bySignal) killedBy = `signal ${bySignal[1]}`;
      }
      if (stdoutFile) writeFileSync(stdoutFile, Buffer.concat(stdout));
      done({ seconds, rssMb: rssKb ? rssKb / 1024 : undefined, exit, killedBy, timedOut, stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
}

/** `runs` measurements; stops early when a run fails (a crash or a timeout repeats itself). */
async function repeat(label, argv, options, runs = RUNS) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await measure(argv, options);
    results.push(r);
    log(`  ${label} run ${i + 1}/${runs}: ${r.seconds.toFixed(3)} s, exit ${r.timedOut ? "timeout" : (r.killedBy ?? r.exit)}${r.rssMb ? `, ${r.rssMb.toFixed(0)} MB` : ""}`);
    if (failure(r)) break;
  }
  const ok = results.filter((r) => !failure(r));
  return {
    seconds: median(ok.map((r) => r.seconds)),
    rssMb: max(results.map((r) => r.rssMb).filter((v) => v !== undefined)),
    runs: ok.length,
    error: results.map(failure).find(Boolean),
    last: results[results.length - 1],
  };
}

/** Exit 0 and 1 are normal for a scan (clean, findings); anything else is a failure. */
function failure(r) {
  if (r.timedOut) return `timed out after ${TIMEOUT_MS / 1000} s`;
  if (r.killedBy) return `killed by ${r.killedBy}${/heap out of memory/.test(r.stderr) ? " (heap out of memory)" : ""}`;
  if (r.exit !== 0 && r.exit !== 1) return `exit ${r.exit}: ${firstLine(r.stderr)}`;
  return undefined;
}

const firstLine = (text) => text.split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 160) ?? "";
const median = (xs) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const max = (xs) => (xs.length ? Math.max(...xs) : undefined);

// ---------------------------------------------------------------------------------------------
// Corpora

/**
 * bench/corpus is git-ignored, and draftguard skips git-ignored paths, so each corpus is made a
 * git repository of its own: its root, where the project's .gitignore no longer applies.
 */
function ownGitRoot(dir) {
  if (existsSync(join(dir, ".git"))) return;
  if (spawnSync("git", ["init", "-q", dir]).status !== 0) mkdirSync(join(dir, ".git"));
}

/** Markdown files and bytes under a folder, as draftguard would walk them. */
function census(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(md|markdown)$/i.test(entry.name)) {
        files++;
        bytes += statSync(path).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

function generatedCorpus(mb) {
  const dir = join(CORPUS, `generated-${mb}mb`);
  const stampFile = join(dir, ".generated.json");
  const stamp = JSON.stringify({ mb, seed: 1, version: GENERATOR_VERSION });
  if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
    log(`generating ${mb} MB of drafts into ${relative(ROOT, dir)}`);
    generate({ out: dir, mb, seed: 1 });
    writeFileSync(stampFile, stamp);
  }
  ownGitRoot(dir);
  return dir;
}

/**
 * README and Markdown files of the project's own node_modules, copied out (draftguard skips
 * node_modules paths), with `node_modules` segments renamed so the copy is scanned.
 */
function realCorpus() {
  const dir = join(CORPUS, "real");
  rmSync(dir, { recursive: true, force: true });
  const source = join(ROOT, "node_modules");
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) {
        const target = join(dir, relative(source, path).split(sep).map((p) => (p === "node_modules" ? "nm" : p)).join(sep));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(path, target);
      }
    }
  };
  mkdirSync(dir, { recursive: true });
  if (existsSync(source)) walk(source);
  ownGitRoot(dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

const node = process.execPath;
const help = spawnSync(node, [BIN, "scan", "--help"], { encoding: "utf8" }).stdout ?? "";
const supports = { cache: /--cache\b/.test(help), cacheLocation: /--cache-location\b/.test(help), timing: /--timing\b/.test(help) };
const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model.trim() ?? "unknown CPU",
  cores: cpus.length,
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  memoryGb: os.totalmem() / 1024 ** 3,
};
log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}; median of ${RUNS} runs`);
log(`scan supports: --cache ${supports.cache ? "yes" : "no"}, --timing ${supports.timing ? "yes" : "no"}; peak RSS via ${hasTime ? TIME : "/proc/<pid>/status VmHWM"}`);
mkdirSync(CORPUS, { recursive: true });

// The floor and one post.
const floor = await repeat("node -e ''", [node, "-e", ""], { cwd: ROOT });
const oneDir = join(CORPUS, "one");
mkdirSync(oneDir, { recursive: true });
ownGitRoot(oneDir);
writeFileSync(join(oneDir, "post.md"), samplePost());
const one = await repeat("one post", [node, BIN, "scan", "post.md"], { cwd: oneDir });

// Corpora.
const corpora = [];
for (const mb of SIZES) corpora.push({ name: `generated ${mb} MB`, dir: generatedCorpus(mb), generated: true });
if (args.real && !args["no-real"]) corpora.push({ name: "node_modules Markdown", dir: realCorpus(), generated: false });

const rows = [];
for (const corpus of corpora) {
  const size = census(corpus.dir);
  const reportFile = join(CORPUS, "last-report.json");
  log(`${corpus.name}: ${size.files} files, ${(size.bytes / 1048576).toFixed(1)} MB`);
  const r = await repeat(corpus.name, [node, BIN, "scan", ".", "--format", "json"], { cwd: corpus.dir, stdoutFile: reportFile });
  let findings;
  try {
    findings = JSON.parse(readFileSync(reportFile, "utf8")).findings?.length;
  } catch {
    findings = undefined;
  }
  rows.push({ ...corpus, ...size, ...r, findings, exit: r.last.exit });
}

// Re-runs with --cache, on the real corpus (closest to the issue's 4.6 MB) and 10 MB generated.
const cacheRows = [];
if (supports.cache) {
  for (const row of rows.filter((r) => !r.error && (!r.generated || r.bytes <= 11 * 1048576)).slice(-2)) {
    const location = mkdtempSync(join(os.tmpdir(), "draftguard-bench-cache-"));
    const flags = supports.cacheLocation ? ["--cache", "--cache-location", location] : ["--cache"];
    const argv = [node, BIN, "scan", ".", "--format", "json", ...flags];
    const cold = await repeat(`${row.name} --cache (cold)`, argv, { cwd: row.dir }, 1);
    const warm = await repeat(`${row.name} --cache (warm)`, argv, { cwd: row.dir });
    rmSync(location, { recursive: true, force: true });
    cacheRows.push({ name: row.name, dir: row.dir, plain: row.seconds, cold: cold.seconds, warm: warm.seconds, rssMb: warm.rssMb, error: cold.error ?? warm.error, flags });
  }
}

// The most expensive rules.
let timing;
if (supports.timing) {
  // The largest generated corpus of at most 10 MB: enough text for stable figures, not too slow.
  const fine = rows.filter((r) => !r.error);
  const target = fine.filter((r) => r.generated && r.bytes <= 11 * 1048576).pop() ?? fine[0];
  if (target) {
    const r = await measure([node, BIN, "scan", ".", "--format", "json", "--timing"], { cwd: target.dir });
    timing = { name: target.name, dir: target.dir, text: r.stderr.trim(), error: failure(r) };
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = {
  s: (v) => (v === undefined ? "–" : `${v.toFixed(3)} s`),
  mb: (v) => (v === undefined ? "–" : `${v.toFixed(0)} MB`),
  x: (v) => (v === undefined ? "–" : `${v.toFixed(2)}×`),
  n: (v, digits = 0) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits)),
};
const check = (ok) => (ok === undefined ? "" : ok ? " ✅" : " ❌");
const where = (dir) => relative(ROOT, dir).split(sep).join("/");
const ratio = one.seconds !== undefined && floor.seconds ? one.seconds / floor.seconds : undefined;

const lines = [];
lines.push(`Measured on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGb.toFixed(0)} GB), Node ${machine.node}, ${machine.platform}, ${new Date().toISOString().slice(0, 10)}.`);
const invocation = ["node bench/run.js", ...process.argv.slice(2)].join(" ");
lines.push(`\`${invocation}\` (what \`npm run bench\` runs after building): median of ${RUNS} cold runs each; peak RSS is the largest of the runs. ✅/❌: the targets of issue 5.`);
lines.push("");
lines.push("| run | command (in) | wall | vs `node -e ''` | peak RSS |");
lines.push("| --- | --- | --- | --- | --- |");
lines.push(`| the floor | \`node -e ''\` | ${fmt.s(floor.seconds)} | 1.00× | ${fmt.mb(floor.rssMb)} |`);
lines.push(
  `| one post (${(Buffer.byteLength(samplePost()) / 1024).toFixed(1)} KB) | \`draftguard scan post.md\` (${where(oneDir)}) | ` +
    `${one.error ? `error: ${one.error}` : fmt.s(one.seconds)} | ${fmt.x(ratio)}${check(ratio === undefined ? undefined : ratio <= TARGET.oneRatio)} | ${fmt.mb(one.rssMb)} |`,
);
lines.push("");
lines.push("| corpus | command (in) | files | MB | wall | MB/s | files/s | s per MB | peak RSS | findings |");
lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  const mb = r.bytes / 1048576;
  const rate = r.seconds ? mb / r.seconds : undefined;
  const cells = r.error
    ? [`error: ${r.error}`, "–", "–", "–", fmt.mb(r.rssMb), "–"]
    : [
        fmt.s(r.seconds),
        `${fmt.n(rate, 1)}${check(rate >= TARGET.mbPerSecond)}`,
        fmt.n(r.files / r.seconds),
        fmt.n(r.seconds / mb, 3),
        `${fmt.mb(r.rssMb)}${check(r.rssMb === undefined ? undefined : r.rssMb < TARGET.peakMb)}`,
        fmt.n(r.findings),
      ];
  lines.push(`| ${r.name} | \`draftguard scan . --format json\` (${where(r.dir)}) | ${r.files} | ${mb.toFixed(1)} | ${cells.join(" | ")} |`);
}
lines.push("");
if (cacheRows.length > 0) {
  lines.push("| re-scan of an unchanged corpus | command (in) | without cache | first `--cache` run | later `--cache` runs | speed-up |");
  lines.push("| --- | --- | --- | --- | --- | --- |");
  for (const c of cacheRows) {
    const speedup = c.plain && c.warm ? c.plain / c.warm : undefined;
    lines.push(
      `| ${c.name} | \`draftguard scan . --format json ${c.flags.slice(0, 1).join(" ")}\` (${where(c.dir)}) | ${fmt.s(c.plain)} | ${fmt.s(c.cold)} | ` +
        `${c.error ? `error: ${c.error}` : fmt.s(c.warm)} | ${fmt.x(speedup)}${check(speedup === undefined ? undefined : speedup >= TARGET.cacheSpeedup)} |`,
    );
  }
} else {
  lines.push("Re-scan with `--cache`: not measured (`draftguard scan --help` lists no `--cache`).");
}
lines.push("");
if (timing) {
  lines.push(`Most expensive rules, \`draftguard scan . --format json --timing\` on the ${timing.name} corpus (${where(timing.dir)}):`);
  lines.push("");
  lines.push("```");
  lines.push(timing.error ? `error: ${timing.error}` : timing.text.split("\n").slice(0, 15).join("\n") || "(no output)");
  lines.push("```");
} else {
  lines.push("Rule timing: not measured (`draftguard scan --help` lists no `--timing`, or every scan failed).");
}

const markdown = `${lines.join("\n")}\n`;
process.stdout.write(`\n${markdown}`);
writeFileSync(join(ROOT, "bench", "results.md"), markdown);
log(`written to ${where(join(ROOT, "bench", "results.md"))}`);
