// Splitting a full name as a source system recorded it ("Mr R. Morgan", "MORGAN, Robert J", "Jan van der Berg") into
// title, given, middle and family names. The positional split (family name last, or first before a comma; the given
// name first and the rest middle names) is parse-full-name's; it is steered by UK rules it does not know: British
// titles (Revd, Dame, Cllr, "Prof Sir"), suffixes, initials ("RJ", "R.J."), family names in capitals ("Robert
// MORGAN", "MORGAN Robert"), family name particles (ap, al, bin, ferch, Ó, St…) and given names that look like them
// (Van Morrison, Di Taylor). What cannot be split with confidence — one name only, only initials, two people, a
// placeholder ("Occupier") or an organisation — is still split as well as it can be, with a doubt for a person to
// review; never rejected. Pure: no database. Measured on names-labelled.ts (`npm run bench:names`).
import { parseFullName } from 'parse-full-name';
import { personName } from '../ingest/index.ts';

export interface SplitName {
  title: string | null;
  /** '' when the name has none ("Mr Morgan", "Occupier"). */
  givenName: string;
  middleNames: string | null;
  familyName: string;
  /** A nickname written in brackets or quotes: "Robert (Bob) Morgan". */
  preferredName: string | null;
  /** Why a person should check the split, or null when it is confident. */
  doubt: string | null;
}

export type SplitResult = { ok: true; name: SplitName } | { ok: false; rule: 'name-blank' | 'name-control-characters'; message: string };

// Titles as written, in lower case without full stops → how Hearth writes them.
const TITLES = new Map(['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Master', 'Dr', 'Doctor', 'Prof', 'Professor', 'Rev', 'Revd', 'Reverend', 'Sir', 'Dame',
  'Lady', 'Lord', 'Fr', 'Father', 'Sister', 'Canon', 'Rabbi', 'Imam', 'Pastor', 'Cllr', 'Councillor', 'Capt', 'Captain', 'Major', 'Col', 'Lt', 'Sgt',
  'Hon', 'Rt', 'Baroness', 'Baron', 'Dean', 'Bishop', 'Sheikh', 'Mstr'].map((t) => [t.toLowerCase(), t]));
// Titles that are also family or given names ("John Major", "Jane Lord"): a title only with two names after it.
const AMBIGUOUS_TITLES = new Set(['lady', 'lord', 'major', 'master', 'sister', 'father', 'canon', 'dean', 'bishop', 'captain', 'doctor']);
const SUFFIXES = new Set(['jnr', 'jr', 'junior', 'snr', 'sr', 'senior', 'ii', 'iii', 'iv', 'esq', 'obe', 'mbe', 'cbe', 'kbe', 'dbe', 'bem', 'qc', 'kc', 'mp', 'phd']);
// Words that start a family name of more than one word: "van der Berg", "ap Gwilym", "bin Rashid", "Ó Briain", "St John".
const PARTICLES = new Set(['de', 'da', 'di', 'du', 'do', 'dos', 'das', 'des', 'del', 'della', 'der', 'den', 'van', 'von', 'ter', 'le', 'la', 'lo',
  'st', 'ste', 'saint', 'san', 'santa', 'ap', 'ab', 'ferch', 'al', 'el', 'bin', 'bint', 'ibn', 'abu', 'ni', 'nic', 'ó', 'ua', 'mc', 'mac', "o'", 'o’']);
// A name made only of these (and numbers) is a placeholder for whoever lives there, not a person's name.
const PLACEHOLDER_WORDS = new Set(['occupier', 'occupiers', 'occupant', 'occupants', 'tenant', 'tenants', 'resident', 'residents', 'householder',
  'householders', 'homeowner', 'homeowners', 'leaseholder', 'leaseholders', 'owner', 'owners', 'freeholder', 'landlord']);
const PLACEHOLDER_FILLERS = new Set(['the', 'current', 'present', 'new', 'former', 'previous', 'all', 'joint', 'sole', 'flat', 'unit', 'no', 'of', 'a']);
// Words that say a name is an organisation's.
const ORGANISATION_WORDS = new Set(['ltd', 'limited', 'plc', 'llp', 'llc', 'inc', 'cic', 'council', 'trust', 'association', 'housing', 'homes',
  'services', 'solicitors', 'company', 'co', 'cooperative', 'co-operative', 'group', 'academy', 'charity', 'partnership', 'agency', 'department',
  'dept', 'centre', 'center', 'society', 'foundation', 'properties', 'property', 'lettings', 'management', 'nhs', 'university', 'college', 'sons',
  'builders', 'estate', 'executors', 'executor', 'hospital', 'surgery', 'authority', 'borough']);
const BLANKS = new Set(['unknown', 'not known', 'n/a', 'n.a.', 'na', 'tbc', 'tba', 'null', 'none', 'xxx', 'not applicable', '-', '?']);

const NBSP = '\u00a0';
// parse-full-name looks every word up in its own lists (titles such as "Judge" anywhere in the name, prefixes such as
// "Van" even as a given name); a mark it does not know keeps it to the positions, which the rules here decide.
const MARK = '\u2063';
const mark = (w: string) => MARK + w;

const letters = (w: string) => w.replace(/[^\p{L}]/gu, '');
const isInitial = (w: string) => /^\p{Lu}$/u.test(w);
/** "ROBERT", "SMITH-JONES", "O'NEILL": two or more letters, all capitals. */
const isCaps = (w: string) => letters(w).length >= 2 && !/\p{Ll}/u.test(w);

/** "R.", "R.J.", "J.R.R." and, in capitals without a vowel, "RJ" → the initials; otherwise null. */
function initials(w: string, inMixedCase: boolean): string[] | null {
  if (/^(\p{L}\.)+\p{L}?\.?$/u.test(w) || /^\p{L}\.?$/u.test(w)) return letters(w).toUpperCase().split('');
  if (inMixedCase && /^\p{Lu}{2,3}$/u.test(w) && !/[AEIOUY]/.test(w)) return w.split('');
  return null;
}

function titleOf(w: string): string | undefined {
  return TITLES.get(w.replace(/\.$/, '').toLowerCase());
}

/** Leading titles ("Prof Sir", "The Revd"): taken off the words, returned as written by Hearth. */
function takeTitles(words: string[], keep = 1): string | null {
  const found: string[] = [];
  while (words.length > keep) {
    const w = words[0]!;
    const lower = w.replace(/\.$/, '').toLowerCase();
    if (lower === 'the' && words.length > 2 && titleOf(words[1]!)) { found.push('The'); words.shift(); continue; }
    const t = titleOf(w);
    if (!t || (AMBIGUOUS_TITLES.has(lower) && words.length < keep + 2)) break;
    found.push(t);
    words.shift();
  }
  return found.length ? found.join(' ') : null;
}

/** Trailing suffixes ("Jnr", "II", "OBE"), dropped from the parts (the name as recorded keeps them). */
function dropSuffixes(words: string[]): void {
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1]!.replace(/\.$/, '').toLowerCase())) words.pop();
}

/** A part in name case when it was written in one case (as the given and family name columns are), else as written. */
function cased(part: string, singleCase: boolean): string {
  if (isInitial(part) || (!singleCase && !isCaps(part))) return part; // "van der Berg", "MacLeod" kept as written
  const r = personName(part);
  return r.ok && r.value ? r.value : part;
}

interface Parts { title: string | null; given: string[]; family: string[]; preferred: string | null; doubts: string[] }

/** One person's name, no conjunctions: titles, suffixes, comma form, initials, capitals and particles decide the parts. */
function parts(text: string, mixedCase: boolean): Parts {
  const doubts: string[] = [];
  let preferred: string | null = null;
  let title: string | null = null;
  // A nickname or a title in brackets or quotes: "Robert (Bob) Morgan", "Smith, John (Mr)".
  if (/[("“‘]/.test(text)) {
    text = text.replace(/(^|\s)[("“‘]([^()"“”‘’]+)[)"”’](?=\s|,|$)/gu, (_, space: string, inner: string) => {
      const t = titleOf(inner.trim());
      if (t) title = t; else preferred = inner.trim();
      return space;
    }).trim();
  }
  const sections = text.split(',').map((s) => s.trim()).filter(Boolean);
  let given: string[];
  let family: string[] | null = null;
  if (sections.length > 1) {
    family = sections[0]!.split(' ');
    given = sections[1]!.split(' ');
    const rest = sections.slice(2);
    if (rest.some((s) => !s.split(' ').every((w) => SUFFIXES.has(w.replace(/\.$/, '').toLowerCase())))) doubts.push('has more than one comma');
    dropSuffixes(family);
    title ??= takeTitles(given);
    dropSuffixes(given);
  } else {
    given = (sections[0] ?? '').split(' ').filter(Boolean);
    title ??= takeTitles(given);
    dropSuffixes(given);
  }
  given = given.flatMap((w) => initials(w, mixedCase) ?? [w]);

  if (!family) {
    if (given.length >= 2 && mixedCase) {
      // Capitals mark the family name in a mixed-case name: "Robert MORGAN SMITH", "MORGAN Robert".
      let end = given.length;
      while (end > 0 && isCaps(given[end - 1]!)) end--;
      let start = 0;
      while (start < given.length && isCaps(given[start]!)) start++;
      if (end > 0 && end < given.length) family = given.splice(end);
      else if (start > 0 && start < given.length) family = given.splice(0, start);
    }
    if (!family && given.length >= 3) {
      // A particle after the given name starts the family name ("Jan van der Berg"); the first word is always a given name.
      const at = given.findIndex((w, i) => i >= 1 && i < given.length - 1 && PARTICLES.has(w.toLowerCase()));
      if (at > 0) family = given.splice(at);
    }
  }
  // The positional split: parse-full-name, with each family name as one word and every word marked (see MARK).
  const prepared = family
    ? `${family.join(NBSP)}, ${given.map(mark).join(' ')}`
    : given.map(mark).join(' ');
  const p = prepared.trim() ? parseFullName(prepared, 'all', 0, 0, 0) : {};
  const clean = (s: string | undefined) => (s ?? '').replaceAll(MARK, '').replaceAll(NBSP, ' ').trim();
  const g = clean(p.first);
  const m = clean(p.middle);
  const f = clean(p.last);
  return { title, given: [g, m].filter(Boolean).length ? [g, ...(m ? m.split(' ') : [])] : [], family: f ? [f] : [], preferred, doubts };
}

/**
 * Split a full name into its parts. A blank name (or "Unknown", "N/A") and one with control characters are not
 * split (`ok: false`); anything else is, with `doubt` saying why a person should check it.
 */
/**
 * Options from where the name came from. `surnameFirst`: the column says the family name comes first ("Surname
 * Forename", "Surname and Forenames"), so "SMITH JOHN" is John Smith even with no comma.
 */
export interface SplitOptions { surnameFirst?: boolean }

/**
 * "SMITH JOHN" written family name first, as "SMITH, JOHN"; leading titles move after the comma ("Mr SMITH JOHN" →
 * "SMITH, Mr JOHN") and a family name's particles stay with it ("VAN DER BERG ANNA" → "VAN DER BERG, ANNA").
 */
function familyFirst(text: string): string {
  const words = text.split(' ').filter(Boolean);
  const titles = takeTitles(words, 2);
  let end = 0;
  while (end < words.length - 2 && PARTICLES.has(words[end]!.toLowerCase())) end++;
  if (words.length - end < 2) return text;
  return `${words.slice(0, end + 1).join(' ')}, ${[titles, ...words.slice(end + 1)].filter(Boolean).join(' ')}`;
}

export function splitFullName(raw: string, options: SplitOptions = {}): SplitResult {
  const visible = raw.normalize('NFC').replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(visible)) {
    return { ok: false, rule: 'name-control-characters', message: 'holds invisible control characters; correct the name in the source system' };
  }
  const recorded = visible.replace(/\s+/g, ' ').trim();
  let text = recorded.replace(/^[\s,.;:/-]+|[\s,;:/-]+$/g, '');
  if (text.endsWith('.') && !/(?:^|[\s.])\p{L}\.$/u.test(text)) text = text.slice(0, -1); // "Morgan." but not "R.J."
  if (text.includes(',')) text = text.replace(/\s*,\s*/g, ', ').trim();
  else if (options.surnameFirst && !/[&+]|\sand\s/i.test(text)) text = familyFirst(text);
  // "Mr SMITH, John": the title belongs with the given name after the comma, not in the family name.
  if (/^[^,]+, /.test(text)) {
    const [before, after] = [text.slice(0, text.indexOf(', ')), text.slice(text.indexOf(', ') + 2)];
    const words = before.split(' ');
    const titles = takeTitles(words, 1);
    if (titles) text = `${words.join(' ')}, ${titles} ${after}`;
  }
  if (!text || BLANKS.has(text.toLowerCase())) return { ok: false, rule: 'name-blank', message: 'is not a name' };
  const mixedCase = /\p{Lu}/u.test(text) && /\p{Ll}/u.test(text);
  const whole = (doubt: string): SplitResult => ({ ok: true, name: { title: null, givenName: '', middleNames: null, familyName: recorded, preferredName: null, doubt } });

  const words = text.toLowerCase().split(/[\s,]+/).map((w) => w.replace(/^[("'“‘]+|[)"'”’.]+$/g, '')).filter(Boolean);
  if (words.length && words.every((w) => TITLES.has(w) && !AMBIGUOUS_TITLES.has(w))) return whole('has only a title');
  if (words.some((w) => PLACEHOLDER_WORDS.has(w)) && words.every((w) => PLACEHOLDER_WORDS.has(w) || PLACEHOLDER_FILLERS.has(w) || /^\d+\w?$/.test(w))) {
    return whole('is not a person\'s name but a placeholder for whoever lives there');
  }
  if (words.some((w) => ORGANISATION_WORDS.has(w)) || (/['’]/.test(text) && /\p{L}['’]s\b/iu.test(text)) || /\bthe late\b/i.test(text)) {
    return whole('looks like an organisation\'s name, not a person\'s');
  }
  if (/\p{Nd}/u.test(text)) return whole('has digits, which a person\'s name never does');

  // Two people ("Mr & Mrs J Smith", "John and Mary Smith"): the first is kept, with the family name they share.
  const joint = /[&+]|\sand\s/i.test(text);
  let result: Parts;
  const doubts: string[] = [];
  if (joint) {
    const spaced = text.replace(/\s*([&+])\s*/g, ' $1 ');
    const at = spaced.search(/\s(?:&|and|\+)\s/i);
    const b = parts(spaced.slice(at).replace(/^\s(?:&|and|\+)\s/i, '').trim(), mixedCase);
    const aWords = spaced.slice(0, at).trim().split(' ').filter(Boolean);
    const aTitle = takeTitles(aWords, 0);
    const a = aWords.length >= 2 && !aWords.every((w) => initials(w, mixedCase)) ? parts(aWords.join(' '), mixedCase) : null;
    result = a && a.family.length ? { ...a, title: aTitle }
      : aWords.length ? { title: aTitle, given: aWords.flatMap((w) => initials(w, mixedCase) ?? [w]), family: b.family, preferred: null, doubts: [] }
        : { ...b, title: aTitle ?? b.title };
    doubts.push('names more than one person; the first is kept');
  } else {
    result = parts(text, mixedCase);
  }
  doubts.push(...result.doubts);
  const given = result.given;
  let family = result.family.join(' ');
  // What parse-full-name makes of one name is a family name: "Morgan", "Mr Morgan".
  if (!family && given.length === 1) { family = given.pop()!; }
  if (given.length && given.every(isInitial) && isInitial(family)) return whole('is only initials');
  if (!given.length) doubts.push('has one name only, so the given name is not known');
  else if (isInitial(family)) doubts.push('has only an initial for the family name');
  const singleCase = !mixedCase;
  return {
    ok: true,
    name: {
      title: result.title,
      givenName: given.length ? cased(given[0]!, singleCase) : '',
      middleNames: given.length > 1 ? given.slice(1).map((w) => cased(w, singleCase)).join(' ') : null,
      familyName: cased(family, singleCase),
      preferredName: result.preferred ? cased(result.preferred, singleCase) : null,
      doubt: doubts.length ? doubts.join('; ') : null,
    },
  };
}

/** The split as the labelled set scores it (names-labelled.ts), or null for a name that is not split. */
export function splitForScoring(input: string): { title: string | null; given: string; middle: string | null; family: string; review: boolean } | null {
  const r = splitFullName(input);
  if (!r.ok) return null;
  return { title: r.name.title, given: r.name.givenName, middle: r.name.middleNames, family: r.name.familyName, review: r.name.doubt !== null };
}
