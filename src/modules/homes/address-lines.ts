// UK address lines → BS 7666 parts. Legacy systems export an address as lines ("Addr Line 1".."4") or one field
// ("Flat 2, 12 Moor Rd, Leeds LS6 1AA"); Hearth keeps homes as SAON / PAON / street / locality / town / postcode.
// Rule-based and pure: no npm parser for UK addresses is kept up (parse-address is for US addresses; node-postal
// needs libpostal's native model download). Measured on a labelled set (address-labelled.ts, npm run bench:addresses).
import { toNormalised } from 'postcode';

export interface AddressParts {
  subBuilding: string | null;
  buildingName: string | null;
  buildingNumber: string | null;
  street: string | null;
  locality: string | null;
  town: string | null;
  postcode: string | null;
}
export const ADDRESS_PARTS = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode'] as const;

/** Post Office abbreviations of the last word of a street name. */
const STREET_TYPES: Record<string, string> = {
  rd: 'Road', st: 'Street', str: 'Street', ave: 'Avenue', av: 'Avenue', avn: 'Avenue', cres: 'Crescent', cresc: 'Crescent', cr: 'Crescent',
  cl: 'Close', gdns: 'Gardens', gdn: 'Garden', ct: 'Court', crt: 'Court', dr: 'Drive', drv: 'Drive', ln: 'Lane', pl: 'Place', sq: 'Square',
  tce: 'Terrace', ter: 'Terrace', terr: 'Terrace', gr: 'Grove', gro: 'Grove', grv: 'Grove', pk: 'Park', wy: 'Way', wk: 'Walk', pde: 'Parade',
  hl: 'Hill', mws: 'Mews', grn: 'Green', bvd: 'Boulevard', blvd: 'Boulevard', cswy: 'Causeway', est: 'Estate', app: 'Approach', ri: 'Rise',
  vw: 'View', clo: 'Close', hts: 'Heights', mt: 'Mount', rdwy: 'Roadway',
};
const STREET_WORDS = new Set(['road', 'street', 'avenue', 'crescent', 'close', 'gardens', 'garden', 'court', 'drive', 'lane', 'place', 'square', 'terrace',
  'grove', 'park', 'way', 'walk', 'parade', 'hill', 'mews', 'green', 'boulevard', 'causeway', 'approach', 'rise', 'view', 'row', 'wynd', 'vale', 'mount',
  'broadway', 'gate', 'passage', 'yard', 'fold', 'croft', 'meadow', 'meadows', 'side', 'bank', 'brow', 'embankment', 'quay', 'wharf', 'circus',
  'esplanade', 'promenade', 'highway', 'bypass', 'lea', 'dale', 'glade', 'chase', 'hey', 'close', 'end', 'field', 'fields', 'market', 'precinct',
  'pathway', 'path', 'loke', 'twitten', 'alley', 'brae', 'loan', 'gait', 'grange', 'heights', 'hollow', 'nook', 'oval', 'ridge', 'rise', 'spur',
  'trod', 'vennel', 'wood', 'walks', 'place', 'villas', 'cottages', 'buildings', 'estate']);
/** Words that end the name of a building rather than a street ("Bronte House", "Rose Cottage"). */
const BUILDING_WORDS = new Set(['house', 'hse', 'cottage', 'cott', 'lodge', 'tower', 'towers', 'mansions', 'point', 'farm', 'farmhouse', 'hall', 'barn', 'mill',
  'chambers', 'block', 'flats', 'apartments', 'centre', 'manor', 'rectory', 'vicarage', 'bungalow', 'annexe', 'annex', 'villa', 'house', 'works',
  'place', 'heights', 'court', 'view', 'mews', 'buildings', 'cottages', 'villas']);
const EXPAND_BUILDING: Record<string, string> = { hse: 'House', cott: 'Cottage', ct: 'Court', crt: 'Court', blk: 'Block', twr: 'Tower' };
/** A thoroughfare word that is never a building's: a segment ending in it is a street even with a building word before. */
const ONLY_STREET = new Set(['road', 'street', 'avenue', 'crescent', 'close', 'gardens', 'drive', 'lane', 'square', 'terrace', 'grove', 'way', 'walk',
  'parade', 'hill', 'green', 'row', 'wynd', 'vale', 'boulevard', 'rise', 'gate', 'broadway', 'highway']);
const COUNTIES = new Set(['west yorkshire', 'south yorkshire', 'north yorkshire', 'east yorkshire', 'lancashire', 'greater manchester', 'merseyside',
  'west midlands', 'tyne and wear', 'tyne & wear', 'middlesex', 'surrey', 'kent', 'essex', 'hertfordshire', 'herts', 'berkshire', 'county durham',
  'durham', 'cheshire', 'derbyshire', 'nottinghamshire', 'notts', 'staffordshire', 'staffs', 'lincolnshire', 'lincs', 'norfolk', 'suffolk',
  'cambridgeshire', 'cambs', 'devon', 'cornwall', 'somerset', 'dorset', 'hampshire', 'hants', 'wiltshire', 'gloucestershire', 'glos', 'avon',
  'oxfordshire', 'oxon', 'buckinghamshire', 'bucks', 'bedfordshire', 'beds', 'northamptonshire', 'northants', 'leicestershire', 'leics',
  'warwickshire', 'worcestershire', 'shropshire', 'herefordshire', 'cumbria', 'northumberland', 'east sussex', 'west sussex', 'sussex',
  'isle of wight', 'greater london', 'cleveland', 'humberside', 'lanarkshire', 'south lanarkshire', 'north lanarkshire', 'renfrewshire',
  'midlothian', 'west lothian', 'fife', 'ayrshire', 'glamorgan', 'south glamorgan', 'mid glamorgan', 'west glamorgan', 'gwent', 'dyfed',
  'powys', 'gwynedd', 'clwyd', 'co antrim', 'county antrim', 'co down', 'county down', 'uk', 'united kingdom', 'england', 'scotland', 'wales']);

const SAON_WORD = '(?:flat|flt|apartment|apt|unit|room|rm|studio|maisonette|suite|bedsit|plot)';
const FLOOR = '(?:ground|first|1st|second|2nd|third|3rd|fourth|4th|top|upper|lower|basement|garden|lower ground|upper ground)';
/** "Flat 2", "Flat 2/3", "Apartment 4B", "Room 4", "Unit 1" (then whatever follows). */
const SAON_NUMBERED = new RegExp(`^(${SAON_WORD}\\.?\\s*(?:no\\.?\\s*)?[0-9]+[a-z]?(?:\\s*/\\s*[0-9]+[a-z]?)?|${SAON_WORD}\\.?\\s+[a-z]\\b)(?:\\s*,?\\s+(.*))?$`, 'i');
/** "Ground Floor Flat", "First Floor", "Basement", "Top Floor Flat 2" (a number after it is the flat's only when the line ends there). */
const SAON_FLOOR = new RegExp(`^(${FLOOR}(?:\\s+floor)?(?:\\s+(?:front|rear|left|right))?\\s+(?:flat|maisonette|apartment)(?:\\s+[0-9]+[a-z]?(?=\\s*(?:,|$)))?`
  + `|${FLOOR}\\s+floor(?:\\s+(?:front|rear|left|right))?|basement)(?:\\s*,?\\s+(.*))?$`, 'i');
/** Glasgow style tenement position "2/3" or "0/1" before a number and street, or alone. */
const SAON_SLASH = /^([0-9]+\s*\/\s*[0-9]+)(?:\s*,?\s+(.*))?$/;
/** "12 Moor Road", "12a Moor Road", "12-14 Moor Road", "12 A Moor Road" is not split off (an "A Road"?), "12," alone. */
const NUMBERED = /^([0-9]+[a-z]?(?:\s*-\s*[0-9]+[a-z]?)?)(?:\s*,?\s+(.+))?$/i;
const POSTCODE_AT_END = /(?:^|[\s,])([a-z]{1,2}[0-9][a-z0-9]?\s*[0-9][a-z]{2})\s*$/i;

const cleanSegment = (s: string) => s.replace(/\s+/g, ' ').replace(/^[\s.,;]+|[\s,;]+$/g, '').trim();

/** The street with its type word spelt out ("Moor Rd" → "Moor Road"); "St Johns Road" keeps its Saint. */
export function expandStreet(street: string): string {
  return street.replace(/([A-Za-z]+)\.?(\s+(?:North|South|East|West|Upper|Lower))?$/, (whole, word: string, tail: string | undefined) => {
    const full = STREET_TYPES[word.toLowerCase()];
    if (!full || street.trim().split(/\s+/).length < 2) return whole;
    return full + (tail ?? '');
  });
}
const expandBuilding = (name: string) => name.replace(/([A-Za-z]+)\.?$/, (whole, word: string) => EXPAND_BUILDING[word.toLowerCase()] ?? whole);

function isStreetLike(s: string): boolean {
  const words = s.toLowerCase().replace(/\./g, '').split(/\s+/);
  const last = words.at(-1) ?? '';
  if (words.length >= 2 && (STREET_WORDS.has(last) || STREET_TYPES[last])) return true;
  return words.length === 1 && /(way|gate|side|broadway)$/.test(last) && last.length > 4;
}
function isBuildingLike(s: string): boolean {
  const words = s.toLowerCase().replace(/\./g, '').split(/\s+/);
  const last = words.at(-1) ?? '';
  if (words.length < 2 && !/^(the )/.test(s.toLowerCase())) return false;
  return BUILDING_WORDS.has(last) && !ONLY_STREET.has(last);
}

/** A postcode written at the end of a segment, normalised, and the segment without it. */
function takePostcode(segment: string): { postcode: string | null; rest: string } {
  const m = POSTCODE_AT_END.exec(segment);
  if (!m) return { postcode: null, rest: segment };
  const normal = toNormalised(m[1]!.replace(/\s+/g, ''));
  if (!normal) return { postcode: null, rest: segment };
  return { postcode: normal, rest: cleanSegment(segment.slice(0, m.index)) };
}

/**
 * The parts of a UK address given as lines (any number; each may itself hold several parts, separated by commas).
 * The postcode, when not given separately, is taken from the end of the last line. Parts not found are null.
 */
export function parseAddressLines(lines: readonly (string | null | undefined)[], postcode?: string | null): AddressParts {
  const out: AddressParts = { subBuilding: null, buildingName: null, buildingNumber: null, street: null, locality: null, town: null, postcode: null };
  let segments = lines.filter((l): l is string => typeof l === 'string').flatMap((l) => l.split(/[,;\n]+/)).map(cleanSegment).filter(Boolean);
  // The postcode: the one given, else one at the end of the address (a segment of its own or after the town).
  for (let i = segments.length - 1; i >= 0 && i >= segments.length - 2; i--) {
    const { postcode: found, rest } = takePostcode(segments[i]!);
    if (!found) continue;
    out.postcode = found;
    segments = [...segments.slice(0, i), ...(rest ? [rest] : []), ...segments.slice(i + 1)];
    break;
  }
  if (postcode) out.postcode = toNormalised(postcode.replace(/\s+/g, '')) ?? postcode;
  segments = segments.filter((s, i) => i === 0 || !COUNTIES.has(s.toLowerCase()));

  // A flat or other sub-building at the start, split from what follows it on the same line.
  const first = segments[0];
  const saon = first === undefined ? null : SAON_NUMBERED.exec(first) ?? SAON_FLOOR.exec(first) ?? SAON_SLASH.exec(first);
  if (saon) {
    out.subBuilding = normaliseSaon(saon[1]!);
    if (saon[2]) segments[0] = cleanSegment(saon[2]);
    else segments.shift();
  } else {
    // The flat written after its building's name: "Attlee House, Flat 4, 15 Church Lane".
    const at = segments.findIndex((s, k) => k > 0 && isBuildingLike(segments[k - 1]!) && SAON_NUMBERED.exec(s)?.[2] === undefined && SAON_NUMBERED.test(s));
    if (at > 0) out.subBuilding = normaliseSaon(segments.splice(at, 1)[0]!);
  }
  // A building's name, then its number and street, on one line without commas: "Attlee House 2 Moor Rd".
  segments = segments.flatMap((s) => {
    const words = s.split(' ');
    const k = words.findIndex((w, i) => i >= 2 && /^[0-9]+[a-z]?$/i.test(w));
    return k > 0 && isBuildingLike(words.slice(0, k).join(' ')) && isStreetLike(words.slice(k + 1).join(' '))
      ? [words.slice(0, k).join(' '), words.slice(k).join(' ')] : [s];
  });

  // The street: the first segment starting with a number, else the first that reads as a street.
  let streetAt = segments.findIndex((s) => NUMBERED.test(s));
  if (streetAt >= 0) {
    const [, number, rest] = NUMBERED.exec(segments[streetAt]!)!;
    const next = segments[streetAt + 1];
    if (rest && isBuildingLike(rest) && next && isStreetLike(next) && !out.subBuilding && streetAt === 0) {
      // "12 Bronte House, Moor Road": the flat's number in a named building.
      out.subBuilding = number!.replace(/\s+/g, '');
      segments[streetAt] = rest;
      streetAt = -1;
    } else {
      out.buildingNumber = number!.replace(/\s+/g, '');
      if (rest) segments[streetAt] = rest;
      else segments.splice(streetAt, 1);
      if (streetAt >= segments.length) streetAt = -1;
    }
  }
  if (streetAt < 0 && !out.buildingNumber) {
    // "Bevan Court, Moor Road, Leeds" or "Bevan Court, 1 Moor Road": a building named like a street, before the street.
    streetAt = segments.findIndex((s, k) => isStreetLike(s) && !(isBuildingLike(s) && k === 0 && (segments.length > 2 || NUMBERED.test(segments[1] ?? ''))
      && isStreetLike(segments[1]!)));
    if (streetAt < 0) streetAt = segments.length >= 3 ? 1 : segments.length === 2 && (isBuildingLike(segments[0]!) || out.subBuilding === null && !isStreetLike(segments[1]!)) ? -1 : 0;
    if (streetAt < 0 && segments.length) {
      out.buildingName = expandBuilding(segments[0]!);
      if (segments[1]) out.town = segments[1];
      return out;
    }
  }
  if (streetAt < 0) return out;
  // The number of a building whose flat was written as a number before its name: "5 Attlee Hse, 2 Moor Rd".
  const numbered = out.buildingNumber ? null : NUMBERED.exec(segments[streetAt]!);
  if (numbered?.[2]) { out.buildingNumber = numbered[1]!.replace(/\s+/g, ''); segments[streetAt] = numbered[2]; }
  const before = segments.slice(0, streetAt);
  if (before.length) out.buildingName = before.map(expandBuilding).join(', ');
  if (segments[streetAt]) out.street = expandStreet(segments[streetAt]!);
  const after = segments.slice(streetAt + 1);
  if (after.length === 1) out.town = after[0]!;
  else if (after.length >= 2) { out.locality = after.slice(0, -1).join(', '); out.town = after.at(-1)!; }
  return out;
}

/** "flat 2" → "Flat 2", "apt 4" → "Apartment 4", "FLAT 2 / 3" → "Flat 2/3"; floors in title case. */
function normaliseSaon(s: string): string {
  const words = s.replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').trim().split(' ');
  const map: Record<string, string> = { flt: 'Flat', apt: 'Apartment', rm: 'Room' };
  return words.map((w) => {
    const low = w.toLowerCase().replace(/\.$/, '');
    if (map[low]) return map[low];
    if (/^[a-z]+$/i.test(w) && w.length > 1) return w[0]!.toUpperCase() + w.slice(1).toLowerCase();
    return w.toUpperCase() === w.toLowerCase() ? w : w.length === 1 ? w.toUpperCase() : w;
  }).join(' ');
}

/** The address on one line as the lines give it ("Flat 2, 12 Moor Road, Leeds"): for display where parts are missing. */
export const linesText = (lines: readonly string[] | null | undefined) => (lines ?? []).map((l) => l.trim()).filter(Boolean).join(', ');

/** The import fields that hold address lines: one address field, then numbered lines (ingest/mapping.ts). */
export const LINE_FIELDS = ['address', 'addressLine1', 'addressLine2', 'addressLine3', 'addressLine4', 'addressLine5'] as const;
/** A row's address lines as written, in order, blanks left out. */
export function addressLinesOf(fields: Readonly<Record<string, unknown>>): string[] {
  return LINE_FIELDS.map((f) => fields[f]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
