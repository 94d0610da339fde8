/**
 * Wording quoted as an example of wording: a style guide's `avoid "guaranteed results"`, a training
 * slide's `a post like "this weather is sh*t"`, a buyer's `a supplier quote that says "we guarantee
 * zero defects"`. The words are mentioned, not used: the post makes no claim and swears at nobody.
 * Rules of accuracy and phrasing skip such mentions by default (the rule key `mentions`); a secret
 * or a name quoted is still published, so confidentiality rules report them.
 */

/** How far a quotation may reach from the match, each way. */
const REACH = 200;
/** How much text before a quotation is read for its cue. */
const LEAD = 80;

/**
 * A cue that what follows in quotes is wording under discussion, at the end of the text before the
 * quotation (earlier quoted items of a list, and the commas and "and"/"or" between them, removed).
 */
const CUES = [
  // words like, phrases such as, a post like, claims like
  String.raw`\b(?:words?|phrases?|terms?|wording|language|expressions?|slogans?|claims?|lines?|posts?|tweets?|drafts?|sentences?|copy|captions?|headlines?|phrasing|things)\s(?:like|such\sas)`,
  String.raw`\bsuch\sas`,
  // avoid, ban, retire, never write, no longer uses, instead of, the word
  String.raw`\b(?:avoid|avoids|avoiding|ban|bans|banned|banning|retire|retired|drop|dropped|never\s(?:use|write|say)|(?:don't|do\snot|doesn't|does\snot|shouldn't|should\snot|mustn't|must\snot)\s(?:use|write|say)|no\slonger\s(?:uses?|says?|writes?)|instead\sof|rather\sthan|replaced?|replacing)`,
  String.raw`\bthe\s(?:word|phrase|term|claim|line|slogan)s?`,
  // a quote that says, an email claiming, an ad promising
  String.raw`\b(?:quote|quotes|email|e-mail|message|ad|advert|advertisement|pitch|post|draft|tweet|slide|brochure|flyer|leaflet|label|banner)\s(?:that\s|which\s)?(?:says|said|reads|read|claims|claimed|claiming|promises|promised|promising|boasts|boasted|boasting)`,
];
const CUE = new RegExp(`(?:${CUES.map((c) => `(?:${c})`).join("|")})\\s*[,:]?\\s*$`, "i");

/** A quoted item of a list and what joins it to the next one: `"cure", ` or `"miracle" and `. */
const LISTED = /(?:"[^"\n]*"|“[^”\n]*”)\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)$/;

/** Whether source[start, end) lies inside a quotation that follows a cue for wording under discussion. */
export function quotedMention(source: string, start: number, end: number): boolean {
  const open = quotationAround(source, start, end);
  if (open < 0) return false;
  let lead = source.slice(Math.max(0, open - LEAD), open);
  for (let m = LISTED.exec(lead); m; m = LISTED.exec(lead)) lead = lead.slice(0, m.index);
  return CUE.test(lead);
}

/**
 * Where the quotation that contains [start, end) opens (-1: in none), reading straight quotes as
 * alternately opening and closing from the start of the paragraph (or REACH before the match), and
 * curly ones as they are. A match may include the marks themselves.
 */
function quotationAround(source: string, start: number, end: number): number {
  // Bounded both ways, so a draft of one long line with many matches stays linear.
  const from = Math.max(0, start - REACH);
  let open = -1;
  let curly = false;
  for (let i = from; i < start; i++) {
    const c = source[i];
    if (c === "\n" && source[i + 1] === "\n") open = -1;
    else if (c === '"') {
      if (open >= 0 && !curly) open = -1;
      else if (open < 0) {
        open = i;
        curly = false;
      }
    } else if (c === "“") {
      open = i;
      curly = true;
    } else if (c === "”") open = -1;
  }
  if (open < 0) return -1;
  const closer = curly ? "”" : '"';
  const stop = Math.min(source.length, end + REACH);
  for (let i = Math.max(start, open + 1); i < stop; i++) {
    const c = source[i];
    if (c === closer) return i >= end - 1 ? open : -1;
    if (c === "\n" && source[i + 1] === "\n") return -1;
  }
  return -1;
}
