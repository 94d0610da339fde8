/**
 * A view is the normalised text of the parts of a draft that a rule reads, with its map back to
 * the source. Parts a rule does not read become a single space (or a paragraph break), so words on
 * either side never fuse into a false match.
 */
import type { Scope } from "../types.js";
import type { ParsedDocument } from "./document.js";
import { normalizeInto } from "./normalize.js";
import { lastAtOrBefore } from "./search.js";
import { TextMap, TextMapBuilder, TextRecording } from "./textmap.js";

/**
 * `normalized`, when given, keeps each piece's normalised form (by piece), so the next view of the
 * same document copies it instead of normalising the piece again.
 */
export function buildView(doc: ParsedDocument, scopes: ReadonlySet<Scope>, normalized?: Map<object, TextRecording>): TextMap {
  const out = new TextMapBuilder(doc.source);
  let pos = 0;
  // Nothing stands for what a view skips before its first text (front matter, a leading code
  // block): the view starts with the draft's first words, so `^` in a pattern matches there.
  const gap = (start: number, end: number) => {
    if (end <= start || start === 0) return;
    out.replace(start, end, doc.source.slice(start, end).includes("\n") ? "\n" : " ");
  };
  for (const piece of doc.pieces) {
    if (piece.scope !== undefined && !scopes.has(piece.scope)) continue;
    gap(pos, piece.start);
    if (piece.replace !== undefined) out.replace(piece.start, piece.end, piece.replace);
    else if (!normalized) normalizeInto(out, doc.source, piece.start, piece.end);
    else {
      let recording = normalized.get(piece);
      if (!recording) {
        recording = new TextRecording();
        normalizeInto(recording, doc.source, piece.start, piece.end);
        normalized.set(piece, recording);
      }
      recording.replay(out);
    }
    pos = Math.max(pos, piece.end);
  }
  gap(pos, doc.source.length);
  return out.build();
}

/**
 * Sentence boundaries: end punctuation followed by white space and a capital, digit or quote (not
 * the point of an abbreviation: "the U.S. Households survey", "Dr. Okafor", "e.g. Gartner");
 * paragraph breaks; list items, headings and table rows that start a line; HTML blocks. A
 * Markdown quote starts a sentence where it starts, and at an empty quote line (its paragraph
 * break) or a list item or heading inside it; its other lines continue the sentence, as the lines
 * of a hard-wrapped paragraph do ("> According to the survey of ...\n> ... 73% of shoppers").
 * Returns sorted offsets where sentences start (0 included).
 */
const BOUNDARY =
  /(?<!\b(?:\p{Lu}\.\p{Lu}|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Mt|Gen|Sen|Rep|Gov|Capt|Lt|Col|Sgt|Rev|Hon|vs|approx|e\.g|i\.e|E\.g|I\.e))[.!?]+["'\u201D\u2019)\]]*[ \t]+(?=[\p{Lu}\p{N}"'\u201C\u2018([#@*_])|[.!?]+["'\u201D\u2019)\]]*(?=\s*\n)|\n[ \t]*\n\s*|\n(?=[ \t]*(?:\||(?:>[ \t]*)?(?:#|[-*+•][ \t]|\d+[.)][ \t])))|\n(?=[ \t]*>)(?<!(?:^|\n)[ \t]*>[^\n]*\n)|\n[ \t]*>[ \t]*\n|<\/?(?:p|div|li|h[1-6]|br|tr|td|blockquote|section|article)\b[^>]*>/gu;

export function sentenceStarts(text: string, from = 0, to = text.length): number[] {
  const starts = [from];
  BOUNDARY.lastIndex = from;
  for (let m = BOUNDARY.exec(text); m && m.index < to; m = BOUNDARY.exec(text)) {
    const end = m.index + m[0].length;
    if (end > (starts[starts.length - 1] as number) && end < to) starts.push(end);
    if (m[0].length === 0) BOUNDARY.lastIndex++;
  }
  return starts;
}

/** The [start, end) of the sentence holding `offset`, given sorted sentence starts. */
export function sentenceAt(starts: readonly number[], textEnd: number, offset: number): [number, number] {
  const i = lastAtOrBefore(starts, offset);
  return [starts[i] as number, starts[i + 1] ?? textEnd];
}

/** Expand [start, end) by `words` white-space separated words on each side, within a paragraph. */
export function wordWindow(text: string, start: number, end: number, words: number): [number, number] {
  let a = start;
  let count = 0;
  while (a > 0 && count <= words) {
    const ch = text[a - 1] as string;
    if (ch === "\n" && text[a - 2] === "\n") break;
    if (/\s/.test(ch) && a < text.length && !/\s/.test(text[a] as string)) count++;
    if (count > words) break;
    a--;
  }
  let b = end;
  count = 0;
  while (b < text.length && count <= words) {
    const ch = text[b] as string;
    if (ch === "\n" && text[b + 1] === "\n") break;
    if (/\s/.test(ch) && b > 0 && !/\s/.test(text[b - 1] as string)) count++;
    if (count > words) break;
    b++;
  }
  return [a, b];
}
