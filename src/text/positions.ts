/**
 * Offsets to editor positions. Lines are 1-based; columns are 1-based and counted in UTF-16 code
 * units, which is what JavaScript string offsets already are, and what editors and SARIF use.
 * A line ends at "\n" (so "\r\n" ends a line once and "\r" stays part of the previous line's end).
 */
import type { Position } from "../types.js";
import { lastAtOrBefore } from "./search.js";

export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    let i = text.indexOf("\n");
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf("\n", i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The 0-based line holding `offset`. */
  lineOf(offset: number): number {
    return lastAtOrBefore(this.starts, offset);
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - (this.starts[line] as number) + 1 };
  }

  /** Start offset of a 0-based line. */
  lineStart(line: number): number {
    return this.starts[line] ?? 0;
  }

  /** End offset of a 0-based line, without its line break ("\r\n" or "\n"). */
  lineEnd(text: string, line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return text.length;
    let end = next - 1;
    if (end > 0 && text.charCodeAt(end - 1) === 13) end -= 1;
    return end;
  }
}
