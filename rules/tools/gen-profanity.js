#!/usr/bin/env node
// Regenerates the two profanity rules of rules/phrasing.yaml from the MIT-licensed `cuss` list
// (a map word -> sureness 0..2 that a word is profane). The engine does not read `cuss` at run
// time, so the terms are written into the pack; run this after upgrading `cuss`:
//   node rules/tools/gen-profanity.js
// It replaces everything between the BEGIN/END markers in rules/phrasing.yaml.
//
// Selection: strong (error) = cuss sureness 2, less the words that have ordinary meanings or are
// handled by other rules (EXCLUDE), less the mild words; plus the sureness-1 words built on the
// strongest roots. Mild (warning) = the curated MILD list, with MILD_EXCEPTIONS for the everyday
// phrases that contain one of its words ("Bloody Mary", "a bloody nose"). Words with everyday
// senses ("balls", "screw", "hell", "cock", "dick", "chink in the armour", "cum laude", "Pinus
// nigra", "kaffir lime", "pollock") stay out so that benign prose stays clean.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cuss } from "cuss";

const EXCLUDE = new Set(`
amateur barf beanbag beanbags bong boner booby boobies booty bootycall boody bung bunga bungas carruth chav
cheesehead cheeseheads chug chugs chunky chunkies chunkys chunger clamdigger clamdiver clansman clansmen
clanswoman clanswomen klansman klansmen klanswoman klanswomen cockfight cocky commie cum cumm cummer cumming
kum kums kummer kumming kumquat cumquat dahmer dink dinks dope dumb eight ball eight balls ero evl faeces fatah
floo flange fu gables geez jeez geezer geni getiton gipp gipps gora goras gringo gringos hillbillies hillbilly
hitlerism hitlerist ho hoes hobo hoser hork hooker hookers hooters honkers hussy idiot jig jigs jigg jiggs
jigger jiggers jiggy juggalo kkk lez limey limy loser looser lowlife magicwand mams muncher muff nip niggard
niggarded niggarding niggardliness niggardlinesss niggards niggle niggled niggles niggling nigglings nigra
nigras nigre nigres nigr negro negros negroes noonan orga pansies pansy piker pimp pimped pimper poo poop pooper
pooping pooperscooper doodoo pom poms pommie pommies pommy pommie grant pommie grants puke quickie redneck
rednecks reefer rearend rearentry rere sadis sadom scallywag shav sissy sixsixsix sixtynine sixtyniner skum
slave slavedriver smut sooty sooties spit spitter spunk spunky stringer stupid moron sucker swallower tang taff
teste tinker tinkers tortur triplex turnon twink twinkie uck usama vibr vomit weenie welcher welfare whacker
whiz whop willie wn wuss yank yanks bule bules chink chinks coon coons pollock pollocks hebe hebes haji hajis
hajji hajjis hadji hadjis kafir kaffir shylock shylocks homo fagging fellatio sodomy sodomise sodomize
deepthroat deapthroat threeway stripclub transvestite hapa haole yellowman kimchis kyopo kyopos gyopo gyopos
payo pocho pochos pocha pochas mabuno mabunos mahbuno mahbunos hori horis indon indons cushi cushis kushi
kushis quashie reestie rigger tuckahoe mickeyfinn footstar flydie flydye biteme eatme lickme hore honger
kondum mau mau mau maus maumau maumaus jebus thirdeye jacktheripper motherlovebone loadedgun lovebone
gangsta dipstick dix dong pud pudd puss spreadeagle meatrack wetspot sexed sexing peepee weewee farty
dingleberry fubar gyp gyped gypped gypsy gypsies gypsys mzungu mzungus russki russkie bogan boonie boonies
greaser greasers squarehead squareheads slopey slopeys slopies slopy sloper slopers slapper redleg redlegs
kwa wab whash wetb pric panti munt skwe sqeh forni nookey nookie beaney beaneys gubs hoser perv
mofo wop wops spik spig bluegum bluegums
`.trim().split(/\s+/));
// multi-word entries of cuss that EXCLUDE lists word by word
for (const phrase of ["eight ball", "eight balls", "pommie grant", "pommie grants", "mau mau", "mau maus"]) EXCLUDE.add(phrase);

const MILD = `
damn damned damnit dammit goddamn goddamned goddamnit goddammit godammit goddamit hotdamn crap crappy crapola
krap krappy bullcrap piss pissed pisses pissing pissin pisser pissoff bugger buggered arse ass asses wtf
bollock bollocks bollick freaking frigging friggin effing sucks what the hell the hell out go to hell gotohell
bloody bloody hell hell no sod off jackass dumbass douche douchebag sleezebag sleezeball slimeball slimebucket skumbag
scumbag bastard bastards who the hell why the hell how the hell where the hell balls-up balls-ups cock-up cock-ups
`.trim().split(/\n/).join(" ").split(/\s+/);
// phrases in MILD that are written with spaces
const MILD_PHRASES = ["what the hell", "the hell out", "go to hell", "bloody hell", "hell no", "sod off", "who the hell", "why the hell", "how the hell", "where the hell"];
// a word is a term of its own when MILD lists it more often than its phrases use it ("bloody" is
// listed alone and in "bloody hell"; "hell" only in its phrases)
const uses = (w, list) => list.filter((x) => x === w).length;
const phraseWords = MILD_PHRASES.flatMap((p) => p.split(" "));
const mildWords = new Set(MILD.filter((w) => uses(w, MILD) > uses(w, phraseWords)));
const mild = [...mildWords, ...MILD_PHRASES].sort();

// Strong compounds and phrases that cuss does not list.
const STRONG_EXTRA = `
shitshow shitstorm shithole shitload shitposting shitposts batshit apeshit clusterfuck fuckwit fuckwits fuckup
fuckups fuckery motherfucking bullshitting bullshitter horseshit dickhead dickheads knobhead bellend prick pricks
cunts arseholes
`.trim().split(/\s+/);
const STRONG_PHRASES = ["son of a bitch", "sons of bitches", "piece of shit", "pieces of shit", "fucked up", "fuck off", "screw you"];
const STRONG_ROOTS = /fuck|shit|cunt|nigg(?!ard|l)|whore|slut|wank|twat|bitch/;
const strong = [
  ...new Set([
    ...Object.entries(cuss)
      .filter(([w, r]) => (r === 2 || (r === 1 && STRONG_ROOTS.test(w))) && !EXCLUDE.has(w) && !mildWords.has(w) && !MILD_PHRASES.includes(w))
      .map(([w]) => w),
    ...STRONG_EXTRA,
    ...STRONG_PHRASES,
  ]),
].sort();

// The terms are written as `kind: terms` lists: the engine's lexicon matches every phrase of every
// terms rule in one token pass, so a list of a thousand words costs no more than a short one, and
// nothing has to be compiled at start-up. Phrases with spaces match any run of white space or
// hyphens, so "son of a bitch" also finds "son-of-a-bitch" and a phrase broken across lines.
const yamlScalar = (w) => (/^[a-z0-9][a-z0-9 '-]*$/i.test(w) && !/^(?:yes|no|on|off|true|false|null|y|n)$/i.test(w) ? w : JSON.stringify(w));
const yamlTerms = (words) => {
  const lines = [];
  let line = "";
  for (const w of words.map(yamlScalar)) {
    if (line && line.length + w.length + 2 > 92) {
      lines.push(`      ${line}`);
      line = "";
    }
    line += (line ? " " : "") + w + ",";
  }
  if (line) lines.push(`      ${line.replace(/,$/, "")}`);
  return `    terms: [\n${lines.join("\n")}\n    ]`;
};
// Everyday phrases that contain a listed word and are not swearing ("a bloody nose", "Bloody Mary").
const MILD_EXCEPTIONS = [
  "bloody mary", "bloody marys", "bloody sunday", "bloody nose", "bloody noses", "bloody lip", "bloody knee",
  "bloody battle", "bloody battles", "bloody war", "bloody civil war", "bloody conflict", "bloody history",
  "bloody revolution", "bloody coup", "bloody massacre", "bloody crackdown", "bloody clashes", "bloody fighting",
  "bloody footprints", "bloody stool", "bloody stools", "bloody diarrhoea", "bloody diarrhea", "bloody discharge",
  "bloody cranesbill", "bloody butcher",
];

// A word quoted as an example, not used: both rules skip it (the same condition in each).
const QUOTED = String.raw`    # a word quoted as an example, not used: 'words like "shite"', 'words to keep out of mails: "crap"', 'casual swearing like "bloody hell"', 'things like "wtf" or "ffs"',
    # 'the strongest words in direct speech (so "f***")', 'milder ones such as "bloody"' (a few words may sit between the noun and the example)
    notNear:
      - pattern: '\b(?:words?|ones|phrases?|terms?|language|swearing|swear\s?words?|curse\s?words?|expletives?|profanity|profanities|things|something|anything|stuff|expressions?|slurs?|insults?|examples?)\b[^.!?"\u201C\n]{0,30}?(?:\blike|\bsuch\sas|\bincluding|\be\.g\.,?|\bi\.e\.,?|\bnamely|\(so|\(e\.g\.,?|(?=:))\s?:?\s?["\u201C\u2018''${"`"}]'
        within: 14
      # a word on a list of what not to say: 'no "crap", no "bloody"', 'avoid "sh*t" in replies'; a name someone was called: 'calling the referee a "w*nker"'
      - pattern: '\b(?:no|avoid|avoiding|ban|bans|banned|banning|never\s(?:say|use|write)|don''t\s(?:say|use|write))\s["\u201C\u2018][^"\u201D\u2019\n]{1,25}["\u201D\u2019]|\bcall(?:s|ed|ing)?\s(?:someone|somebody|people|him|her|them|me|us|you|(?:a|an|the|your|our|their|his|her|my)\s(?:[\w-]+\s)?[\w-]+)\san?\s["\u201C\u2018]'
        within: 10`;

const block = `# BEGIN generated profanity: written by rules/tools/gen-profanity.js from the MIT \`cuss\` list; do not edit by hand
  - id: phrasing-profanity-strong
    kind: terms
    category: phrasing
    severity: error
    description: Uses strong profanity or a slur.
    message: '"{match}" is strong profanity or a slur.'
    rationale: >-
      Public posts by employees are read as the organisation speaking. Strong profanity and slurs
      breach the code of conduct, can amount to harassment, and are quoted back for years.
    remedy: Remove the word; say what you mean plainly.
    link: https://www.eeoc.gov/harassment
${yamlTerms(strong)}
${QUOTED}
    examples:
      flag: ["This release is a fucking mess.", "What a load of bullshit from the vendor.", "Who wrote this shit?", "That demo was a total shitshow."]
      pass: ["We shipped the fix on Friday.", "Magna cum laude, class of 2009.", "Found a chink in the armour of our test suite.", "Add kaffir lime leaves and simmer.", "The filter hides replies with slurs or words like \\"bullshit\\" until a moderator checks them.", "Subtitles asterisk the strongest expletives in dialogue (so \\"f***\\" and \\"sh*t\\") but keep the rest."]
  - id: phrasing-profanity-mild
    kind: terms
    category: phrasing
    severity: warning
    description: Uses mild profanity.
    message: '"{match}" is mild profanity; consider another word in a public post.'
    rationale: >-
      Mild swearing reads differently to every audience; in a post linked to the organisation it
      undercuts the message and can offend customers and colleagues.
    remedy: Rephrase without the word, or keep it for private channels.
    link: https://www.linkedin.com/legal/professional-community-policies
${yamlTerms(mild)}
${yamlTerms(MILD_EXCEPTIONS).replace("terms:", "exceptions:")}
${QUOTED}
    examples:
      flag: ["Spent the whole damn weekend on this.", "The stock count was a total cock-up again.", "Made a right balls-up of the rota this week.", "The old installer was crap.", "WTF is going on with the build?", "Who the hell merged this without review?", "I was pissed off about the delay.", "What a bloody mess of a release."]
      pass: ["The dam holds back the river.", "We had a hell of a good time in the Hellenic islands.", "The vacuum cleaner is quiet.", "Bloody Mary brunch on Sunday.", "Got a bloody nose at five-a-side on Thursday.", "The style guide bans phrases like \\"damn it\\" and \\"bloody hell\\" in customer letters.", "Our captions keep milder ones such as \\"crap\\" and \\"pissed off\\" as spoken."]
# END generated profanity`;

const target = fileURLToPath(new URL("../phrasing.yaml", import.meta.url));
const source = readFileSync(target, "utf8");
const re = /# BEGIN generated profanity[\s\S]*?# END generated profanity/;
if (!re.test(source)) throw new Error(`${target}: no BEGIN/END generated profanity markers`);
writeFileSync(target, source.replace(re, () => block));
console.log(`${target}: ${strong.length} strong, ${mild.length} mild terms`);
