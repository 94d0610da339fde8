/**
 * `--cache`: findings of unchanged drafts are reused. An entry is keyed by the draft's path and the
 * hash of its bytes, inside a file named by the policy's key (packs, organisation, severities), so
 * a changed draft or a changed policy is always scanned again. Findings are stored as reported:
 * masked, so the cache holds no secret either.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { readCacheFile, writeCacheFile } from "../node.js";
import type { Finding } from "../types.js";

interface Entry {
  hash: string;
  findings: Finding[];
}

export class ResultCache {
  private entries = new Map<string, Entry>();
  private dirty = false;
  private readonly file: string;

  constructor(dir: string, policyKey: string) {
    this.file = join(dir, `results-${policyKey}.json`);
    // no cache yet, or an unreadable one: start empty
    const data = readCacheFile<{ version: 1; entries: [string, Entry][] }>(this.file);
    try {
      if (data?.version === 1) this.entries = new Map(data.entries);
    } catch {
      // entries not of the shape written: start empty
    }
  }

  static hash(content: Buffer): string {
    return createHash("sha1").update(content).digest("hex");
  }

  get(path: string, hash: string): Finding[] | undefined {
    const entry = this.entries.get(path);
    return entry && entry.hash === hash ? entry.findings : undefined;
  }

  set(path: string, hash: string, findings: Finding[]): void {
    this.entries.set(path, { hash, findings });
    this.dirty = true;
  }

  save(): void {
    if (this.dirty) writeCacheFile(this.file, { version: 1, entries: [...this.entries] });
  }
}
