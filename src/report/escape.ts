/**
 * Escaping for the CI report formats. Every formatter prints text that came from a draft (file names,
 * masked excerpts, messages that quote masked matches), so each target syntax gets one function here
 * and the formatters never escape by hand.
 */

/** GitHub Actions workflow command data (the part after `::`), as actions/toolkit escapes it. */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** GitHub Actions workflow command property values (`file=`, `title=`...): data rules plus `:` and `,`. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * Characters XML 1.0 forbids even as character references: C0 controls other than tab, line feed and
 * carriage return, U+FFFE, U+FFFF and unpaired surrogates. A JUnit consumer rejects the whole file for
 * one of them, so they are shown as a visible `\uXXXX` instead.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose of this pattern
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visibleCodeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Text content of an XML element. */
export function escapeXmlText(text: string): string {
  return text
    .replace(XML_FORBIDDEN, visibleCodeUnit)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/**
 * A double-quoted XML attribute value. Tabs and line breaks become character references because a
 * parser would otherwise normalise them to spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/**
 * Literal text in GitHub-flavoured Markdown, table cells included. Backslash escapes neutralise emphasis,
 * links, code spans, strikethrough, HTML and cell-splitting pipes; line breaks become `<br>` so a
 * multi-line message stays in its row.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~&]/g, (char) => `\\${char}`)
    .replace(/\r\n|\r|\n/g, "<br>");
}
