/**
 * A temporary folder holding drafts, packs and a `.draftguard.yaml`, and the built binary run in it
 * as a user would run it: `node bin/draftguard.js` with NO_COLOR=1, as a child process.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { packYaml, type RuleInput } from "./packs.js";

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = path.join(PACKAGE_ROOT, "bin", "draftguard.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built binary; `input` is fed to its standard input. */
export function runCli(args: readonly string[], opts: { cwd: string; input?: string | Buffer; env?: Record<string, string> }): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...opts.env };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? "",
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export class Workspace {
  readonly dir: string;

  constructor(prefix = "draftguard-test-") {
    this.dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  }

  /** A workspace whose `.draftguard.yaml` loads only `pack.yaml`, made of these rules. */
  static withPack(rules: RuleInput[], config = ""): Workspace {
    const ws = new Workspace();
    ws.write("pack.yaml", packYaml(rules));
    ws.write(".draftguard.yaml", `defaults: false\npacks: [./pack.yaml]\n${config}`);
    return ws;
  }

  write(relative: string, content: string | Buffer): string {
    const file = path.join(this.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  read(relative: string): string {
    return readFileSync(path.join(this.dir, relative), "utf8");
  }

  path(relative: string): string {
    return path.join(this.dir, relative);
  }

  run(args: readonly string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}): CliResult {
    return runCli(args, { cwd: this.dir, ...opts });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Run the CLI in-process (`main` with an injected Io): fast, for exit codes and messages. `stdin` is
 * the text standard input holds, or a function standing in for reading it (to inject a failure).
 */
export async function runMain(
  argv: readonly string[],
  cwd: string,
  stdin: string | (() => Promise<Buffer>) = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main, nodeIo } = await import("../../src/cli/main.js");
  let stdout = "";
  let stderr = "";
  const code = await main([...argv], {
    ...nodeIo(),
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: typeof stdin === "string" ? async () => Buffer.from(stdin) : stdin,
    env: { NO_COLOR: "1" },
    isTTY: false,
  });
  return { code, stdout, stderr };
}
