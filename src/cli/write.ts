/** Writing the files draftguard is asked to write (reports, baselines, the config, git hooks): whole or not at all. */
import { chmodSync, closeSync, mkdtempSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";

/**
 * Write via a temporary file in the same folder and rename, so a reader never sees half a file.
 * What is not a regular file (/dev/null, /dev/stdout, a named pipe) is written into as it is:
 * renaming over it would replace the device or pipe with a file. A symbolic link keeps pointing
 * where it did: the file it names is replaced, not the link. `mode` (such as 0o755 for a git hook)
 * is set on the new file before it takes the old one's place.
 */
export function writeAtomic(file: string, content: string | Iterable<string>, options: { mode?: number } = {}): void {
  let stats: Stats | undefined;
  try {
    stats = statSync(file);
  } catch {
    // not there yet: written like any other
  }
  if (stats && !stats.isFile()) return writeInPlace(file, content);
  const target = stats ? realpathSync(file) : file;
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(dirname(target), ".draftguard-"));
    const tmp = join(dir, "out");
    writeChunks(tmp, content);
    if (options.mode !== undefined) chmodSync(tmp, options.mode);
    renameSync(tmp, target);
  } catch (e) {
    throw cannotWrite(file, e, "check that the folder exists and is writable");
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Write straight into a device or pipe (see writeAtomic). */
function writeInPlace(file: string, content: string | Iterable<string>): void {
  try {
    writeChunks(file, content);
  } catch (e) {
    throw cannotWrite(file, e, "check that it can be opened for writing");
  }
}

/** Open `file` for writing and write the content, a string or its pieces, into it whole. */
function writeChunks(file: string, content: string | Iterable<string>): void {
  const fd = openSync(file, "w");
  try {
    for (const chunk of typeof content === "string" ? [content] : content) writeFileSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

function cannotWrite(file: string, e: unknown, hint: string): UsageError {
  return new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, undefined, hint);
}
