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

/** Mask every part of text[start, end) that falls inside one of the sensitive spans. */
export function maskSpans(text: string, offset: number, spans: readonly { start: number; end: number }[]): string {
  let out = text;
  for (const span of spans) {
    const a = Math.max(span.start, offset) - offset;
    const b = Math.min(span.end, offset + text.length) - offset;
    if (a >= b) continue;
    // The visible prefix belongs to the whole secret, not to the part on this line.
    const masked = span.start >= offset ? maskSecret(out.slice(a, b)) : out.slice(a, b).replace(/[^\s]/g, "*");
    out = out.slice(0, a) + masked + out.slice(b);
  }
  return out;
}
