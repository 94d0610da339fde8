/**
 * Masking: a report never shows a secret or a personal datum in full. A few leading characters stay
 * (so a writer can tell which token or address is meant); every other non-space character becomes
 * `*`. Length and spacing are kept, so excerpts still line up with their underlines.
 */

export function maskSecret(text: string): string {
  const visible = text.length >= 16 ? 4 : text.length >= 8 ? 2 : 0;
  let out = text.slice(0, visible);
  for (let i = visible; i < text.length; i++) {
    const ch = text[i] as string;
    out += ch === " " || ch === "\n" || ch === "\t" || ch === "\r" ? ch : "*";
  }
  return out;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Sensitive spans sorted by start, with the longest span seen so far at each index, so the spans
 * that overlap a range are found by binary search: a draft with many secrets stays linear.
 */
export class SpanIndex {
  private readonly spans: Span[];
  private readonly reach: number[];

  constructor(spans: Span[]) {
    this.spans = [...spans].sort((a, b) => a.start - b.start);
    let max = 0;
    this.reach = this.spans.map((s) => (max = Math.max(max, s.end)));
  }

  /** Spans that overlap [start, end). */
  overlapping(start: number, end: number): Span[] {
    // The first span that could reach past `start`: spans before it all end at or before it.
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.reach[mid] as number) <= start) lo = mid + 1;
      else hi = mid;
    }
    const out: Span[] = [];
    for (let i = lo; i < this.spans.length && (this.spans[i] as Span).start < end; i++) {
      const s = this.spans[i] as Span;
      if (s.end > start) out.push(s);
    }
    return out;
  }
}

/** Mask every part of text (which is source[offset, offset + text.length)) inside a sensitive span. */
export function maskSpans(text: string, offset: number, index: SpanIndex): string {
  let out = text;
  for (const span of index.overlapping(offset, offset + text.length)) {
    const a = Math.max(span.start, offset) - offset;
    const b = Math.min(span.end, offset + text.length) - offset;
    if (a >= b) continue;
    // The visible prefix belongs to the whole secret, not to the part on this line.
    const masked = span.start >= offset ? maskSecret(out.slice(a, b)) : out.slice(a, b).replace(/[^\s]/g, "*");
    out = out.slice(0, a) + masked + out.slice(b);
  }
  return out;
}
