/**
 * The structure of a draft: which source spans are prose, headings, code, link targets, front
 * matter or comments. Offsets come straight from this parser, never from re-searching rendered
 * text, so every finding maps back to exact source positions.
 */
import { yaml } from "../lazy.js";
import type { Scope } from "../types.js";

export type DocKind = "markdown" | "html" | "text";

/** A span of source text. `replace` stands in for the span (decoded HTML entities, separators). */
export interface Piece {
  start: number;
  end: number;
  /** undefined: a separator every view emits (a block boundary in HTML). */
  scope: Scope | undefined;
  replace?: string;
}

export interface ParsedDocument {
  /** The text scanned: the file's content with any byte-order mark removed. */
  source: string;
  kind: DocKind;
  /** Sorted, non-overlapping; gaps between pieces are markup that no rule reads. */
  pieces: Piece[];
  frontMatter: Record<string, unknown>;
  /** Offset where the body (everything after the front matter) starts. */
  bodyStart: number;
}

export function kindForFile(file: string): DocKind {
  const lower = file.toLowerCase();
  if (/\.(md|markdown|mdx|mdown|mkd)$/.test(lower)) return "markdown";
  if (/\.(html?|xhtml)$/.test(lower)) return "html";
  return "text";
}

const FRONT_MATTER = /^(---|\+\+\+)[ \t]*\r?\n([\s\S]*?)(?:^|\r?\n)(\1|\.\.\.)[ \t]*(?:\r?\n|$)/;

interface FrontMatterBlock {
  innerStart: number;
  inner: string;
  end: number;
  values: Record<string, unknown>;
}

/** YAML (`---`) or TOML (`+++`, Markdown only) front matter at the very start of a draft. */
function frontMatterBlock(source: string, kind: DocKind): FrontMatterBlock | undefined {
  if (kind === "html") return undefined;
  const fm = FRONT_MATTER.exec(source);
  if (!fm || (kind !== "markdown" && fm[1] !== "---")) return undefined;
  const marker = fm[1] as string;
  const innerStart = marker.length + (source[marker.length] === "\r" ? 2 : 1);
  const inner = fm[2] as string;
  return { innerStart, inner, end: fm[0].length, values: marker === "---" ? parseFrontMatter(inner) : {} };
}

/**
 * Whether front matter has, for every key of `wanted`, one of its values (compared in lower case;
 * a list value matches when any entry does). Rules' `frontMatter` and configuration overrides use it.
 */
export function frontMatterHas(wanted: Record<string, string[]>, fm: Record<string, unknown>): boolean {
  return Object.entries(wanted).every(([key, values]) => {
    const actual = fm[key];
    const list = Array.isArray(actual) ? actual : [actual];
    return list.some((v) => v !== undefined && v !== null && values.includes(String(v).toLowerCase()));
  });
}

/** Only the front matter's values, for callers that need them without a full parse. */
export function frontMatterOf(text: string, kind: DocKind): Record<string, unknown> {
  return frontMatterBlock(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, kind)?.values ?? {};
}

export function parseDocument(text: string, kind: DocKind): ParsedDocument {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const pieces: Piece[] = [];
  let frontMatter: Record<string, unknown> = {};
  let bodyStart = 0;
  const fm = frontMatterBlock(source, kind);
  if (fm) {
    pieces.push({ start: fm.innerStart, end: fm.innerStart + fm.inner.length, scope: "frontmatter" });
    bodyStart = fm.end;
    frontMatter = fm.values;
  }
  if (kind === "markdown") parseMarkdown(source, bodyStart, pieces);
  else if (kind === "html") {
    parseHtml(source, bodyStart, source.length, pieces);
    pieces.sort((a, b) => a.start - b.start); // attribute values were found after their tag
  }
  else inlineText(source, bodyStart, source.length, "prose", pieces, false);
  return { source, kind, pieces, frontMatter, bodyStart };
}

/** `key: value` and `key: [a, b]` lines: what almost all front matter is, without loading a YAML parser. */
const SIMPLE_LINE = /^([A-Za-z_][\w-]*):[ \t]*(?:"([^"\\]*)"|'([^']*)'|\[([^\][{}"']*)\]|([^\s#"'[{|>&*!%@`][^#]*?))?[ \t]*(?:#.*)?$/;

function simpleFrontMatter(text: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const m = SIMPLE_LINE.exec(raw);
    if (!m) return undefined; // nested, multi-line or quoted with escapes: let the YAML parser do it
    const key = m[1] as string;
    if (m[4] !== undefined) out[key] = m[4].split(",").map((v) => v.trim()).filter(Boolean);
    else {
      const value = m[2] ?? m[3] ?? m[5];
      if (value === undefined) out[key] = null;
      else if (m[5] !== undefined && /^-?\d+(?:\.\d+)?$/.test(value)) out[key] = Number(value);
      else if (m[5] !== undefined && /^(?:true|false)$/.test(value)) out[key] = value === "true";
      else out[key] = value;
    }
  }
  return out;
}

function parseFrontMatter(text: string): Record<string, unknown> {
  const simple = simpleFrontMatter(text);
  if (simple) return simple;
  try {
    const value: unknown = yaml().parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {}; // a draft's broken front matter is still scanned as text; it just sets no conditions
  }
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)/;
const INDENTED_CODE = /^(?: {4}|\t)/;

/** Line-level pass: front matter, fences, indented code, headings and comment blocks. */
function parseMarkdown(source: string, from: number, pieces: Piece[]): void {
  let pos = from;
  let proseStart = -1;
  let fence: string | undefined;
  let fenceBodyStart = 0;
  let prevBlank = true;
  const flushProse = (end: number) => {
    if (proseStart >= 0) inlineText(source, proseStart, end, "prose", pieces, true);
    proseStart = -1;
  };
  while (pos < source.length) {
    let nl = source.indexOf("\n", pos);
    if (nl === -1) nl = source.length;
    const lineEnd = nl > pos && source.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const line = source.slice(pos, lineEnd);
    const next = nl + 1;
    if (fence !== undefined) {
      const close = FENCE.exec(line);
      if (close && close[1]?.[0] === fence[0] && (close[1] as string).length >= fence.length && line.trim() === close[1]) {
        if (pos > fenceBodyStart) pieces.push({ start: fenceBodyStart, end: pos, scope: "code" });
        fence = undefined;
      }
      pos = next;
      prevBlank = false;
      continue;
    }
    const open = FENCE.exec(line);
    const blank = line.trim() === "";
    if (open) {
      flushProse(pos);
      fence = open[1] as string;
      fenceBodyStart = Math.min(next, source.length);
    } else if (HEADING.test(line)) {
      flushProse(pos);
      const m = HEADING.exec(line) as RegExpExecArray;
      inlineText(source, pos + m[0].length, lineEnd, "heading", pieces, true);
    } else if (prevBlank && proseStart < 0 && !blank && INDENTED_CODE.test(line)) {
      // An indented code block runs until a non-blank line that is not indented.
      let end = next;
      while (end < source.length) {
        let n2 = source.indexOf("\n", end);
        if (n2 === -1) n2 = source.length;
        const l2 = source.slice(end, n2);
        if (l2.trim() !== "" && !INDENTED_CODE.test(l2)) break;
        end = n2 + 1;
      }
      pieces.push({ start: pos, end: Math.min(end, source.length), scope: "code" });
      pos = end;
      prevBlank = true;
      continue;
    } else if (proseStart < 0 && !blank) {
      proseStart = pos;
    } else if (blank && proseStart >= 0) {
      // Paragraph break: keep paragraphs apart so inline code cannot span them.
      flushProse(pos);
    }
    prevBlank = blank;
    pos = next;
  }
  flushProse(source.length);
  if (fence !== undefined && fenceBodyStart < source.length) {
    pieces.push({ start: fenceBodyStart, end: source.length, scope: "code" }); // unclosed fence runs to the end
  }
}

/**
 * Inline structure of a run of prose: code spans, links (text is prose, target is a link),
 * autolinks and bare URLs, inline HTML tags and comments. `markdown` false: only URLs.
 */
const INLINE_MD =
  /(`+)(?!`)([\s\S]*?[^`])\1(?!`)|(!?\[)((?:[^[\]\n]|\[[^[\]\n]*\])*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)|^ {0,3}\[[^\]\n]+\]:[ \t]*(\S+)|<!--([\s\S]*?)-->|<((?:https?|mailto|ftp):[^\s<>]+)>|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|\\(?=\r?\n)|\b((?:https?|ftp|s3|ssh|git|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?|jdbc:[a-z]+):\/\/[^\s<>"'`\])]*[^\s<>"'`\]).,;:!?])/gm;
const INLINE_TEXT = /\b((?:https?|ftp|s3|ssh|git|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?|jdbc:[a-z]+):\/\/[^\s<>"'`\])]*[^\s<>"'`\]).,;:!?])/g;

function inlineText(source: string, start: number, end: number, scope: Scope, pieces: Piece[], markdown: boolean): void {
  const re = markdown ? INLINE_MD : INLINE_TEXT;
  const text = source.slice(start, end);
  re.lastIndex = 0;
  let pos = 0;
  const emit = (s: number, e: number, sc: Scope) => {
    if (e > s) pieces.push({ start: start + s, end: start + e, scope: sc });
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    emit(pos, at, scope);
    if (!markdown) {
      emit(at, at + m[0].length, "link");
    } else if (m[1] !== undefined) {
      const open = (m[1] as string).length;
      emit(at + open, at + m[0].length - open, "code");
    } else if (m[3] !== undefined) {
      const textStart = at + (m[3] as string).length;
      const textEnd = textStart + (m[4] as string).length;
      const resume = re.lastIndex; // the nested call reuses this regex
      inlineText(source, start + textStart, start + textEnd, scope, pieces, true);
      re.lastIndex = resume;
      const target = m[5] as string;
      const targetStart = text.indexOf(target, textEnd + 2);
      const t = target.startsWith("<") ? 1 : 0;
      emit(targetStart + t, targetStart + target.length - t, "link");
      if (m[6] !== undefined) {
        const title = m[6].trim();
        const titleStart = text.indexOf(title, targetStart + target.length);
        emit(titleStart + 1, titleStart + title.length - 1, scope);
      }
    } else if (m[7] !== undefined) {
      const ts = at + m[0].length - m[7].length;
      emit(ts, ts + m[7].length, "link");
    } else if (m[8] !== undefined) {
      emit(at + 4, at + 4 + m[8].length, "comment");
    } else if (m[9] !== undefined) {
      emit(at + 1, at + 1 + m[9].length, "link");
    } else if (m[10] !== undefined) {
      emit(at, at + m[10].length, "link");
    } // else an inline HTML tag or a backslash hard line break: markup, read by no rule
    pos = at + m[0].length;
  }
  emit(pos, text.length, scope);
}

const ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "-", mdash: "-", hellip: "...",
  lsquo: "'", rsquo: "'", ldquo: '"', rdquo: '"', copy: "\u00A9", reg: "\u00AE", trade: "\u2122",
  euro: "\u20AC", pound: "\u00A3", yen: "\u00A5", cent: "\u00A2", shy: "", zwj: "", zwnj: "",
};
const BLOCK_TAGS = /^(?:p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|pre|dd|dt|dl|figure|figcaption|main|aside|nav)$/i;
const HTML_TOKEN = /<!--([\s\S]*?)(?:-->|$)|<(script|style)\b[^>]*>[\s\S]*?(?:<\/\2\s*>|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi;
const URL_ATTR = /\b(href|src|action|cite|poster|data-src)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const TEXT_ATTR = /\b(alt|title|content|aria-label|placeholder)\s*=\s*("([^"]*)"|'([^']*)')/gi;

function parseHtml(source: string, start: number, end: number, pieces: Piece[]): void {
  let pos = start;
  let scope: Scope = "prose";
  const stack: Scope[] = [];
  const text = (s: number, e: number) => {
    if (e > s) inlineText(source, s, e, scope, pieces, false);
  };
  HTML_TOKEN.lastIndex = start;
  for (let m = HTML_TOKEN.exec(source); m && m.index < end; m = HTML_TOKEN.exec(source)) {
    const at = m.index;
    text(pos, at);
    pos = at + m[0].length;
    if (m[1] !== undefined) {
      pieces.push({ start: at + 4, end: at + 4 + m[1].length, scope: "comment" });
    } else if (m[2] !== undefined) {
      // script and style are not part of the post's text
    } else if (m[4] !== undefined) {
      const name = m[4].toLowerCase();
      const closing = m[3] === "/";
      // A zero-width separator: block boundaries end sentences, and attribute values follow it.
      const before = pieces.length;
      if (BLOCK_TAGS.test(name)) pieces.push({ start: at, end: at, scope: undefined, replace: "\n\n" });
      attributes(source, at + 1 + (m[3] as string).length + m[4].length, m[5] as string, pieces);
      // An inline tag with nothing to read renders as nothing: `<b>Conf</b>idential` reads "Confidential".
      if (pieces.length === before) pieces.push({ start: at, end: pos, scope: undefined, replace: "" });
      const tagScope: Scope | undefined = /^h[1-6]$/.test(name) ? "heading" : name === "code" || name === "pre" ? "code" : undefined;
      if (tagScope) {
        if (closing) scope = stack.pop() ?? "prose";
        else {
          stack.push(scope);
          scope = tagScope;
        }
      }
    } else if (m[6] !== undefined) {
      pieces.push({ start: at, end: pos, scope, replace: decodeEntity(m[6]) ?? m[0] });
    }
  }
  text(pos, end);
}

function attributes(source: string, offset: number, attrs: string, pieces: Piece[]): void {
  for (const [re, scope] of [[URL_ATTR, "link"], [TEXT_ATTR, "prose"]] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(attrs); m; m = re.exec(attrs)) {
      const value = m[3] ?? m[4] ?? m[5] ?? "";
      const valueStart = offset + m.index + m[0].length - value.length - (m[5] === undefined ? 1 : 0);
      if (value) pieces.push({ start: valueStart, end: valueStart + value.length, scope });
    }
  }
}

function decodeEntity(name: string): string | undefined {
  if (name[0] === "#") {
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return ENTITIES[name.toLowerCase()];
}
