/**
 * Normalisation that defeats the usual evasions while keeping every character's source offset:
 * Unicode NFKC, zero-width and soft-hyphen removal, homoglyph folding (Cyrillic and Greek letters
 * that look Latin), typographic quotes and dashes folded to ASCII, and letters spaced or hyphenated
 * out ("C O N F I D E N T I A L", "i-n-t-e-r-n-a-l") joined back into words.
 */
import type { TextSink } from "./textmap.js";

/** Characters that render as nothing and are used to split words invisibly. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** Letters that look like Latin ones, and typographic punctuation with an ASCII twin. */
const FOLD: Record<string, string> = {
  // Cyrillic
  "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041A": "K", "\u041C": "M", "\u041D": "H", "\u041E": "O",
  "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0405": "S", "\u0406": "I", "\u0408": "J",
  "\u0430": "a", "\u0435": "e", "\u043E": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
  "\u0455": "s", "\u0456": "i", "\u0458": "j", "\u04BB": "h", "\u0501": "d", "\u051B": "q", "\u051D": "w",
  "\u0432": "b", "\u043A": "k", "\u043C": "m", "\u043D": "h", "\u0442": "t", "\u0433": "r",
  // Greek
  "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039A": "K",
  "\u039C": "M", "\u039D": "N", "\u039F": "O", "\u03A1": "P", "\u03A4": "T", "\u03A5": "Y", "\u03A7": "X",
  "\u03BF": "o", "\u03B1": "a", "\u03B9": "i", "\u03BA": "k", "\u03BD": "v", "\u03C1": "p", "\u03C5": "u",
  // Punctuation
  "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'", "\u2032": "'", "\u02BC": "'",
  "\u201C": '"', "\u201D": '"', "\u201E": '"', "\u201F": '"', "\u2033": '"',
  "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
};

/**
 * Letters written out one by one: four or more single letters separated by spaces, where two or
 * more spaces separate words ("d o   n o t"), or three or more separated by the same hyphen, dot or
 * underscore ("N.D.A", "i-n-t-e-r-n-a-l").
 */
const SPACED = /(?<![\p{L}\p{N}_])\p{L}(?:(?: {1,3}\p{L}(?![\p{L}\p{N}_])){3,}|([-._])(?:\p{L}\1)+\p{L}(?![\p{L}\p{N}_]))/gu;
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose
const NON_ASCII = /[^\x00-\x7F]/g;

/**
 * Append the normalised form of source[start, end) to `out`. Regexes run on the slice, not on the
 * whole source from `start`: a search that ran on past `end` would make many small pieces quadratic.
 */
export function normalizeInto(out: TextSink, source: string, start: number, end: number): void {
  const chunk = source.slice(start, end);
  if (!MAY_HAVE_SEPARATED_LETTER.test(chunk) || !HAS_SEPARATED_LETTER.test(chunk)) {
    foldRange(out, chunk, start);
    return;
  }
  let pos = 0;
  SPACED.lastIndex = 0;
  for (let m = SPACED.exec(chunk); m; m = SPACED.exec(chunk)) {
    foldRange(out, chunk.slice(pos, m.index), start + pos);
    // Keep each letter, drop single separators, turn a longer run of spaces into one (a word
    // break): offsets of the letters stay exact.
    const runEnd = m.index + m[0].length;
    for (let i = m.index; i < runEnd; ) {
      if (chunk[i] !== " ") {
        if (!/[-._]/.test(chunk[i] as string)) foldRange(out, chunk[i] as string, start + i);
        i++;
        continue;
      }
      let j = i;
      while (chunk[j] === " ") j++;
      if (j - i >= 2) out.replace(start + i, start + j, " ");
      i = j;
    }
    pos = runEnd;
  }
  foldRange(out, chunk.slice(pos), start + pos);
}

/**
 * Cheap tests before the costly one: a lone letter followed by a separator and another letter.
 * The first has no `u` flag (V8 runs it several times faster) and reads any non-ASCII character
 * as a possible letter, so it finds a superset of what the exact second one finds.
 */
// eslint-disable-next-line no-control-regex -- the ranges start at NUL on purpose
const MAY_HAVE_SEPARATED_LETTER = /(?<![A-Za-z0-9_])[^\x00-\x40\x5B-\x60\x7B-\x7F][ \-._]{1,3}[^\x00-\x40\x5B-\x60\x7B-\x7F](?![A-Za-z0-9_])/;
const HAS_SEPARATED_LETTER = /(?<![\p{L}\p{N}_])\p{L}[ \-._]{1,3}\p{L}(?![\p{L}\p{N}_])/u;

/**
 * A phrase or name as a pack or profile writes it, folded as drafts are (NFKC, typographic quotes
 * and dashes to ASCII, invisible characters dropped), so that "O’Brien" in a customer list or
 * "don’t" in a phrase list matches the normalised text, where every ’ has become '.
 */
export function foldPhrase(text: string): string {
  if (!HAS_NON_ASCII.test(text)) return text;
  let out = "";
  foldRange({ copy: (start, end) => (out += text.slice(start, end)), replace: (_start, _end, folded) => (out += folded) }, text, 0);
  return out;
}
/** NON_ASCII without the global flag, for a plain test. */
const HAS_NON_ASCII = new RegExp(NON_ASCII.source);

/** Fold `text`, which is source[offset, offset + text.length). */
function foldRange(out: TextSink, text: string, offset: number): void {
  let pos = 0;
  NON_ASCII.lastIndex = 0;
  for (let m = NON_ASCII.exec(text); m; m = NON_ASCII.exec(text)) {
    const i = m.index;
    out.copy(offset + pos, offset + i);
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    const at = offset + i;
    if (INVISIBLE.test(ch)) {
      // dropped
    } else if (FOLD[ch] !== undefined) {
      out.replace(at, at + width, FOLD[ch]);
    } else {
      const nf = ch.normalize("NFKC");
      if (nf === ch) out.copy(at, at + width);
      else out.replace(at, at + width, nf);
    }
    pos = i + width;
    NON_ASCII.lastIndex = pos;
  }
  out.copy(offset + pos, offset + text.length);
}
