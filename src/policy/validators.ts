/**
 * Validators: second opinions on a pattern match. A pattern finds text shaped like a card number,
 * an IBAN or a token; a validator decides whether the shape is real (a checksum holds, the range is
 * assigned, the value is not a documentation placeholder). Pure functions of the matched text, its
 * options and the organisation: no I/O, so the loader can run them anywhere and tests are tables.
 */
import type { Organization } from "../types.js";

export interface ValidatorContext {
  org: Organization;
}

export interface ValidatorDef {
  description: string;
  /** option name -> type, so the loader can validate `{entropy: {min: 3.5}}` */
  options: Record<string, "number" | "string" | "strings" | "boolean">;
  /** true = keep the match */
  check(value: string, options: Record<string, unknown>, ctx: ValidatorContext): boolean;
}

const digitsOf = (value: string): string => value.replace(/\D+/g, "");

function numberOption(options: Record<string, unknown>, name: string, fallback: number): number {
  const v = options[name];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

function stringsOption(options: Record<string, unknown>, name: string): string[] {
  const v = options[name];
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Luhn (mod 10) checksum over the digits of a string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** True when every character is the same, or the digits run up or down by one (123456, 98765). */
function isTrivialSequence(s: string): boolean {
  if (s.length < 2) return true;
  if (/^(.)\1*$/s.test(s)) return true;
  const lower = s.toLowerCase();
  let up = true;
  let down = true;
  for (let i = 1; i < lower.length; i++) {
    const step = lower.charCodeAt(i) - lower.charCodeAt(i - 1);
    if (step !== 1 && !(step === -9 && lower[i] === "0")) up = false; // 7890 counts as a run
    if (step !== -1) down = false;
  }
  return up || down;
}

/** Registered IBAN lengths by country (ISO 13616 registry, the common ones); others: 15..34. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27,
  JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22,
  MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24,
  RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};

/** ISO 13616 check: country, check digits, BBAN; the rearranged number mod 97 is 1. */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/[\s-]+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && iban.length !== expected) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const n = code >= 65 ? String(code - 55) : ch; // A=10 ... Z=35
    for (const d of n) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

/** SSNs published in advertising or documentation, never issued to a person. */
const KNOWN_FAKE_SSNS = new Set(["078051120", "219099999", "123456789", "987654320"]);

/** US SSN: area 001-899 except 666, group 01-99, serial 0001-9999 (SSA rules since 2011). */
export function ssnValid(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 9) return false;
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (KNOWN_FAKE_SSNS.has(d) || /^(\d)\1{8}$/.test(d)) return false;
  return true;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  const n = [...value].length;
  for (const c of counts.values()) {
    const p = c / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function ipv4Octets(value: string): number[] | undefined {
  const m = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/.exec(value);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** Private (RFC 1918), loopback, link-local, carrier-grade NAT, and IPv6 ULA/link-local/loopback. */
/** 127.0.0.0/8 or ::1. */
export function isLoopback(value: string): boolean {
  const v4 = ipv4Octets(value);
  if (v4) return v4[0] === 127;
  return /^\[?::1\]?(:\d+)?$/.test(value.trim());
}

export function isPrivateAddress(value: string): boolean {
  const v4 = ipv4Octets(value);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = value.toLowerCase().replace(/^\[|\](:\d+)?$/g, "");
  if (/^::1$/.test(v6)) return true;
  return /^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):[0-9a-f:]*$/.test(v6);
}

/** Markers of documentation values, matched anywhere in the value (case-insensitive). */
const PLACEHOLDER_MARKERS =
  /example|sample|dummy|placeholder|change[-_.]?me|redacted|replace[-_.]?me|insert[-_ ]?(your|here)|your[-_ ]?(own[-_ ]?)?(api|access|secret|private|auth|app|bot|personal|key|token|pass|password|key|id|client|account|user|org|project|webhook)|_here\b|here$|^here|xxx|\*{3}|•{3}|…|\.{3}|<[^>]*>|\$\{|\$\(|\{\{|%[a-z_]+%|\bprocess\.env\b|\bos\.environ\b|\bgetenv\b|\benv\.[a-z_]|not[-_]?a[-_]?real|fake|lorem|ipsum|todo|tbd|n\/a|^none$|^null$|^nil$|^undefined$|^secret$|^password$|^pass(word)?\d{0,3}$|^token$|^key$|^(test|demo|foo|bar|baz|qux|abc|admin|root|user|guest|default|my)[-_]?(key|token|secret|pass(word)?|pwd)?\d*$|^(secret|passw[o0]rd|p@ssw[o0]rd|pa55word|letmein|qwerty|foobar|foobared|mypassword|mysecret|s3cr3t|changeit|topsecret|hunter2)[!.?*#\d]*$/i;

/**
 * A shell variable ($API_KEY) stands for a value: by convention upper case, so matched case-
 * sensitively, or "pump$tation1" (a password with a symbol for a letter) would read as one.
 */
const ENV_VARIABLE = /\$[A-Z_]{3,}/;

/**
 * A variable named for the secret it holds (db_password, apiToken, STATS_DB_PASSWORD): code that
 * passes a secret along, not the secret. Letters and separators only; a real password has more.
 */
const SECRET_VARIABLE =
  /^(?:[a-z]+[_.-])+(?:password|passwd|pwd|pass|secret|token|key)$|^(?:[A-Z]+[_.-])+(?:PASSWORD|PASSWD|PWD|PASS|SECRET|TOKEN|KEY)$|^[a-z]+(?:[A-Z][a-z]+)*(?:Password|Passwd|Pwd|Secret|Token|Key)$/;

/**
 * A grouped number whose groups after the first one or two are one digit over and over, six times
 * or more: a template written after a real prefix ("072 000 0000", "+27 11 000 0000").
 */
function hasPlaceholderTail(value: string): boolean {
  const groups = value.trim().split(/[\s.()-]+/).filter(Boolean);
  for (let k = 1; k <= 2 && k < groups.length; k++) {
    if (/^(\d)\1{5,}$/.test(groups.slice(k).join(""))) return true;
  }
  return false;
}

/** True when the value looks like a documentation or template value rather than a real secret. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/^["'`]+|["'`]+$/g, "");
  if (v.length === 0) return true;
  if (PLACEHOLDER_MARKERS.test(v) || ENV_VARIABLE.test(v) || SECRET_VARIABLE.test(v)) return true;
  // runs of one character, sequences, and values made of a few repeated characters (abababab)
  const core = v.replace(/^[A-Za-z]{2,8}[-_]/, ""); // ignore a prefix such as ghp_ or sk_live_
  if (isTrivialSequence(v) || isTrivialSequence(core)) return true;
  if (/^(.{1,4})\1{2,}$/s.test(core)) return true;
  if (/(.)\1{7,}/.test(v)) return true; // a run of eight identical characters
  if (/^(\d)\1{5,}$/.test(v.replace(/[\s.-]/g, ""))) return true; // 000 000 000: one digit, grouped
  if (hasPlaceholderTail(v)) return true;
  if (/(?:0123456|1234567|2345678|3456789|abcdefg|bcdefgh)/i.test(v)) return true;
  return false;
}

/** Local parts of mailboxes that organisations publish for the public to write to. */
const ROLE_MAILBOXES = new Set(
  (
    "press media pr news newsroom communications comms support help helpdesk info information contact " +
    "contactus contact-us hello hi sales marketing noreply no-reply donotreply do-not-reply notifications " +
    "notification careers jobs recruiting recruitment talent feedback enquiries enquiry inquiries inquiry " +
    "team office admin webmaster postmaster hostmaster abuse security privacy legal billing orders service " +
    "customerservice customer-service customercare care partners partnerships investors ir investor-relations " +
    "events community social newsletter mail general reception bookings compliance dpo gdpr accessibility " +
    "editor editors editorial tips feedback sponsorship sponsors affiliates developers devrel api docs " +
    "opensource oss bugs report reports returns shop store " +
    // functions that publish a mailbox for reports, applications and questions
    "admissions applications clearing phishing fraud spam servicedesk desk services hr payroll finance " +
    "accounts payments invoices procurement complaints claims disputes registry exams library alumni " +
    "fundraising donations giving grants research wellbeing counselling safeguarding accommodation " +
    "housing visas facilities estates incidents incident cert csirt soc noc disclosure bounty relations " +
    // the same mailboxes in other European languages, as organisations publish them: kundeservice@,
    // presse@, klantenservice@, serviceclient@, atencionalcliente@, jobb@, vertrieb@, post@
    "post kundeservice kundenservice kundendienst kundtjanst kundservice klantenservice asiakaspalvelu " +
    "serviceclient serviceclients relationclient atencionalcliente atencion atendimento assistenza " +
    "presse pers prensa imprensa stampa kontakt kontakten contacto contato contatti " +
    "jobb jobbe karriere karriar bewerbung bewerbungen vacatures sollicitaties recrutement emploi empleo " +
    "rekry rekrytering vertrieb verkoop salg forsaljning ventas vendas commerciale " +
    "faktura fakturor rechnung rechnungen facturen facturation facturacion buchhaltung comptabilite " +
    "ekonomi regnskap datenschutz personvern dataskydd accueil empfang resepsjon reklamation reklamasjon"
  ).split(/\s+/),
);

/** Words that qualify a role in a mailbox name: ug in ugadmissions, student in student.services. */
const ROLE_QUALIFIERS = new Set(
  (
    "ug pg uk us eu emea apac it global group student students customer customers main central online " +
    "web general corporate national international head public staff bug"
  ).split(/\s+/),
);

/**
 * A role mailbox: the local part is role words and qualifiers only, with or without separators,
 * and at least one role word ("ugadmissions", "student.services", "it-helpdesk"). A person's
 * address has a name in it ("alex.press", "jsmith"), which is neither.
 */
function isRoleMailbox(local: string): boolean {
  if (ROLE_MAILBOXES.has(local)) return true;
  const joined = local.replace(/[._-]+/g, "");
  if (!/^[a-z]+$/.test(joined) || joined.length > 40) return false;
  // reach[i]: 0 = not reached, 1 = reached with qualifiers only, 2 = reached with a role word
  const reach = new Uint8Array(joined.length + 1);
  reach[0] = 1;
  for (let i = 0; i < joined.length; i++) {
    const from = reach[i] as number;
    if (from === 0) continue;
    for (let j = i + 2; j <= joined.length; j++) {
      const word = joined.slice(i, j);
      const to = ROLE_MAILBOXES.has(word) ? 2 : ROLE_QUALIFIERS.has(word) ? from : 0;
      if (to > (reach[j] as number)) reach[j] = to;
    }
  }
  return reach[joined.length] === 2;
}

/** Local parts used in documentation as stand-ins for a person. */
const STAND_IN_MAILBOXES =
  /^(you|your[-._]?(name|email)?|me|user(name)?|name|someone|somebody|first[-._]?(name)?[-._]?last([-._]?name)?|firstname|lastname|john[-._]?doe|jane[-._]?doe|j\.?doe|joe[-._]?bloggs|foo|bar|test(ing)?\d*|demo|sample|email|mail|address)$/i;

/** Documentation and reserved domains (RFC 2606, RFC 6761) and template domains. */
function isDocumentationDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, "");
  if (/(^|\.)(example\.(com|org|net|edu)|example|test|invalid|localhost|local)$/.test(d)) return true;
  return /^(your|my)[-]?(company|domain|org|organi[sz]ation|business|site|website|email|mail)\.[a-z.]+$/.test(d) ||
    /^(domain|company)\.(com|org|net)$/.test(d);
}

/** True when the value is an address meant to be published or a documentation stand-in. */
export function isPublicContact(value: string, extra: string[] = []): boolean {
  const at = value.lastIndexOf("@");
  if (at < 0) return false;
  const local = value.slice(0, at).toLowerCase().replace(/^mailto:/, "");
  const domain = value.slice(at + 1);
  const base = local.replace(/\+.*$/, "");
  if (isRoleMailbox(base) || extra.some((e) => e.toLowerCase() === base)) return true;
  if (STAND_IN_MAILBOXES.test(base)) return true;
  return isDocumentationDomain(domain);
}

/** Digit grouping in a number written with thousands separators: true when it is wrong. */
export function isMalformedNumber(value: string, decimalComma = false): boolean {
  const trimmed = value.trim();
  const v = trimmed.replace(/^[$€£¥₹+-]/, "");
  // a currency sign and two decimals after a comma is a price written the European way (€2,50),
  // not a wrong thousands grouping; without the sign "2,50" stays ambiguous
  if (/^[$€£¥]\s?\d{1,3},\d{2}$/.test(trimmed)) return false;
  // with `decimalComma`, the caller has seen a unit or word after the number, so "12,5" is a
  // decimal written with a comma rather than the start of a list
  if (decimalComma && /^\d{1,3},\d{1,2}$/.test(v)) return true;
  if (!/^\d[\d,]*(\.\d+)?$/.test(v) || !v.includes(",")) return false;
  const [integer] = v.split(".") as [string];
  const groups = integer.split(",");
  const [first, ...rest] = groups as [string, ...string[]];
  if (rest.some((g) => g.length === 0)) return true; // 1,,000
  // a one-digit group among longer ones ending in three digits is no list: 1,2,00,000
  if (rest.length >= 3 && rest[rest.length - 1]?.length === 3 && rest.slice(0, -1).some((g) => g.length === 1)) return true;
  // "11,12,13": a list of small numbers written without spaces, not one number
  if (rest.length >= 2 && groups.every((g) => g.length <= 2)) return false;
  // "2,5" or "1,2,3" could be a list or a decimal comma: not enough to call it wrong
  if (rest.some((g) => g.length === 1)) return false;
  if (first.length > 3 || first.length === 0) return true; // 1234,567
  if (first.startsWith("0")) return true; // 0,500
  return rest.some((g) => g.length !== 3); // 300,00  12,5000
}

/** Phone-number sanity: digit count in range and not a date, year range, or run of one digit. */
export function isPlausiblePhone(value: string, min = 7, max = 15): boolean {
  const d = digitsOf(value.replace(/\s*(x|ext\.?|extension)\s*\d+$/i, ""));
  if (d.length < min || d.length > max) return false;
  if (/^(\d)\1+$/.test(d) || isTrivialSequence(d) || hasPlaceholderTail(value)) return false;
  const v = value.trim();
  // ISO dates, date-like and year ranges: 2024-05-06, 12/05/2024, 2019-2023, 1999 - 2004
  if (/^(19|20)\d\d[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])$/.test(v)) return false;
  if (/^(0?[1-9]|[12]\d|3[01])[-/.](0?[1-9]|[12]\d|3[01])[-/.](19|20)?\d\d$/.test(v)) return false;
  if (/^(1[5-9]|20)\d\d\s*[-–/]\s*(1[5-9]|20)\d\d$/.test(v)) return false;
  // IPv4-like dotted quads and version strings
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return false;
  return !isNumberList(v);
}

/**
 * A list of numbers rather than one number, as in a code sample's output: four or more groups
 * with one step between them ("1 4 7 10 13"), or groups of one length that keep rising, five or
 * more ("135 136 145 146 235") or four, each a little above the last ("147 148 149 157"). A
 * phone number's groups do none of these ("+1 212 555 1234", "01 84 17 61 18"), even when they
 * rise with their lengths ("011-44-171-316-5457").
 */
function isNumberList(value: string): boolean {
  const parts = value.split(/[\s.-]+/).filter((g) => /^\d+$/.test(g));
  const groups = parts.map(Number);
  const rises = (i: number) => i === 0 || (groups[i] as number) > (groups[i - 1] as number);
  const gap = (i: number) => (groups[i] as number) - (groups[i - 1] as number);
  if (groups.length < 4) return false;
  if (gap(1) > 0 && groups.every((_, i) => i === 0 || gap(i) === gap(1))) return true;
  if (!parts.every((g) => g.length === parts[0]?.length)) return false;
  return groups.every((_, i) => rises(i) && (groups.length >= 5 || i === 0 || gap(i) < 10));
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** A date that could be someone's birth date: a real calendar date, year 1900 .. this year. */
export function isPlausibleBirthDate(value: string, now: Date = new Date()): boolean {
  const v = value.trim().toLowerCase();
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(v))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    year = Number(m[3]);
    if (m[3]!.length === 2) year += year > now.getFullYear() % 100 ? 1900 : 2000;
    // day-first or month-first: accept either reading that is a valid date
    [month, day] = a > 12 ? [b, a] : [a, b];
  } else if ((m = /^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3})[a-z]*\.?,?\s+(\d{4})$/.exec(v))) {
    [day, month, year] = [Number(m[1]), MONTHS.indexOf(m[2]!) + 1, Number(m[3])];
  } else if ((m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(v))) {
    [month, day, year] = [MONTHS.indexOf(m[1]!) + 1, Number(m[2]), Number(m[3])];
  } else {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > now.getFullYear()) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Number of character classes present: lower case, upper case, digits, other symbols. */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d\s]/].filter((re) => re.test(value)).length;
}

/** True when the host (or URL, or e-mail) lies under one of the organisation's internal domains. */
export function isUnderDomains(value: string, domains: string[]): boolean {
  const host = value
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?/, "")
    .replace(/^[^@]*@/, "")
    .replace(/[:/].*$/, "")
    .replace(/\.$/, "");
  return domains.some((d) => {
    const dom = d.toLowerCase().replace(/^\.+|\.$/g, "");
    return dom.length > 0 && (host === dom || host.endsWith(`.${dom}`));
  });
}

function base64UrlJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON Web Token whose header and payload decode to JSON objects, other than the jwt.io sample. */
export function isRealJwt(value: string): boolean {
  const [header, payload, signature] = value.trim().split(".");
  if (header === undefined || payload === undefined || signature === undefined) return false;
  const h = base64UrlJson(header);
  const p = base64UrlJson(payload);
  if (typeof h !== "object" || h === null || !("alg" in h)) return false;
  if (typeof p !== "object" || p === null) return false;
  const claims = p as Record<string, unknown>;
  // the token every tutorial copies from jwt.io
  if (claims.sub === "1234567890" && claims.name === "John Doe") return false;
  return !isPlaceholder(signature);
}

export const validators = {
  luhn: {
    description: "Payment card: 12 to 19 digits whose Luhn checksum holds, not one repeated digit.",
    options: {},
    check(value) {
      const d = digitsOf(value);
      if (/^(\d)\1+$/.test(d)) return false;
      return d.length >= 12 && d.length <= 19 && luhnValid(d);
    },
  },
  iban: {
    description: "IBAN whose length fits its country and whose ISO 13616 mod-97 check holds.",
    options: {},
    check: (value) => ibanValid(value),
  },
  ssn: {
    description: "US Social Security number in an assigned range (area 001-899 but not 666, group and serial not zero).",
    options: {},
    check: (value) => ssnValid(value),
  },
  entropy: {
    description: "Shannon entropy of at least `min` bits per character (default 3.5): random-looking text.",
    options: { min: "number" },
    check: (value, options) => shannonEntropy(value) >= numberOption(options, "min", 3.5),
  },
  privateIp: {
    description: "Private, loopback, link-local or carrier-grade NAT address (IPv4 or IPv6); `{loopback: false}` leaves out 127.0.0.0/8 and ::1.",
    options: { loopback: "boolean" },
    check: (value, options) => isPrivateAddress(value) && (options.loopback !== false || !isLoopback(value)),
  },
  loopback: {
    description: "Loopback address: 127.0.0.0/8 or ::1 (the writer's own machine).",
    options: {},
    check: (value) => isLoopback(value),
  },
  notPlaceholder: {
    description: "Rejects documentation values: AKIA…EXAMPLE, your_api_key_here, <your-token>, xxxx, ${VAR}, process.env.X, changeme, runs of one character.",
    options: {},
    check: (value) => !isPlaceholder(value),
  },
  notPublicContact: {
    description: "Rejects published role mailboxes (press@, support@, info@ …; `allow` adds more) and documentation domains (example.com, *.test …).",
    options: { allow: "strings" },
    check: (value, options) => !isPublicContact(value, stringsOption(options, "allow")),
  },
  malformedNumber: {
    description:
      "Accepts only numbers whose thousands grouping is wrong: 300,00  12,5000  1234,567 (not a price such as €2,50); with `decimalComma: true` also a decimal written with a comma (12,5).",
    options: { decimalComma: "boolean" },
    check: (value, options) => isMalformedNumber(value, options.decimalComma === true),
  },
  phone: {
    description: "Phone-number sanity: `min`..`max` digits (default 7..15), not a date, year range, dotted quad or run of one digit.",
    options: { min: "number", max: "number" },
    check: (value, options) =>
      isPlausiblePhone(value, numberOption(options, "min", 7), numberOption(options, "max", 15)),
  },
  dateOfBirth: {
    description: "A real calendar date between 1900 and today (numeric or with a month name).",
    options: {},
    check: (value) => isPlausibleBirthDate(value),
  },
  charClasses: {
    description: "At least `min` (default 2) of: lower case, upper case, digits, symbols; so a plain word is not a password.",
    options: { min: "number" },
    check: (value, options) => characterClasses(value) >= numberOption(options, "min", 2),
  },
  minLength: {
    description: "At least `min` characters (default 8).",
    options: { min: "number" },
    check: (value, options) => [...value].length >= numberOption(options, "min", 8),
  },
  notInternalDomain: {
    description: "Rejects hosts, URLs and e-mail addresses under the organisation's `internalDomains` (another rule reports those).",
    options: {},
    check: (value, _options, ctx) => !isUnderDomains(value, ctx.org.internalDomains),
  },
  jwt: {
    description: "JSON Web Token whose header (with alg) and payload decode to JSON; rejects the jwt.io sample token.",
    options: {},
    check: (value) => isRealJwt(value),
  },
  internalDomain: {
    description: "Accepts only hosts, URLs and e-mail addresses under the organisation's `internalDomains`.",
    options: {},
    check: (value, _options, ctx) => isUnderDomains(value, ctx.org.internalDomains),
  },
} satisfies Record<string, ValidatorDef>;

export type ValidatorName = keyof typeof validators;
