import { lastAtOrBefore } from "./search.js";

/** Where normalised text goes: copies of the source and replacements of source spans. */
export interface TextSink {
  copy(start: number, end: number): void;
  replace(start: number, end: number, text: string): void;
}

/**
 * What a normaliser wrote for one span, to write again into another view without normalising
 * the span twice.
 */
export class TextRecording implements TextSink {
  private readonly ops: (number | string)[] = [];

  copy(start: number, end: number): void {
    this.ops.push(start, end, 0);
  }

  replace(start: number, end: number, text: string): void {
    this.ops.push(start, end, text);
  }

  replay(out: TextSink): void {
    const ops = this.ops;
    for (let i = 0; i < ops.length; i += 3) {
      const text = ops[i + 2];
      if (typeof text === "string") out.replace(ops[i] as number, ops[i + 1] as number, text);
      else out.copy(ops[i] as number, ops[i + 1] as number);
    }
  }
}

/**
 * Normalised text with a map back to the source. Segments are either identity copies (offsets map
 * one to one) or replacements (any offset inside maps to the whole source span). Most text is
 * copied unchanged, so the map holds a handful of segments per document, not one entry per char.
 */
export class TextMapBuilder implements TextSink {
  private parts: string[] = [];
  private length = 0;
  // Parallel arrays, one entry per segment.
  private normStarts: number[] = [];
  private srcStarts: number[] = [];
  private srcEnds: number[] = [];
  private identity: boolean[] = [];

  constructor(private readonly source: string) {}

  /** Copy source[start, end) unchanged. */
  copy(start: number, end: number): void {
    if (end <= start) return;
    const last = this.identity.length - 1;
    if (last >= 0 && this.identity[last] && this.srcEnds[last] === start) {
      this.srcEnds[last] = end;
    } else {
      this.push(start, end, true);
    }
    this.parts.push(this.source.slice(start, end));
    this.length += end - start;
  }

  /** Emit `text` in place of source[start, end). An empty text deletes the span. */
  replace(start: number, end: number, text: string): void {
    if (text.length === 0) return;
    this.push(start, end, false);
    this.parts.push(text);
    this.length += text.length;
  }

  private push(start: number, end: number, identity: boolean): void {
    this.normStarts.push(this.length);
    this.srcStarts.push(start);
    this.srcEnds.push(end);
    this.identity.push(identity);
  }

  build(): TextMap {
    return new TextMap(this.parts.join(""), this.normStarts, this.srcStarts, this.srcEnds, this.identity);
  }
}

export class TextMap {
  constructor(
    readonly text: string,
    private readonly normStarts: number[],
    private readonly srcStarts: number[],
    private readonly srcEnds: number[],
    private readonly identity: boolean[],
  ) {}

  private segmentAt(offset: number): number {
    return lastAtOrBefore(this.normStarts, offset);
  }

  /** Source offset where the normalised character at `offset` starts. */
  sourceStart(offset: number): number {
    const i = this.segmentAt(offset);
    const base = this.srcStarts[i] ?? 0;
    return this.identity[i] ? base + (offset - (this.normStarts[i] ?? 0)) : base;
  }

  /** Source offset just after the normalised character at `end - 1`. */
  sourceEnd(end: number): number {
    if (end <= 0) return this.sourceStart(0);
    const i = this.segmentAt(end - 1);
    return this.identity[i]
      ? (this.srcStarts[i] ?? 0) + (end - (this.normStarts[i] ?? 0))
      : (this.srcEnds[i] ?? 0);
  }
}
