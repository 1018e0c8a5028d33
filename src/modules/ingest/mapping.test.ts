import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KINDS, RECORD_KINDS, suggestMapping, detectKind, validateProfile, profileFromSuggestion, columnKeys, columnFields,
  normaliseHeader, editDistance, targetField, type RecordKind, type MappingProfile,
} from './mapping.ts';
import { uniqueHeaders } from './read.ts';
import '../install-all.ts'; // the kinds of record and permissions, as the app installs them

const fieldFor = (kind: RecordKind, header: string) => suggestMapping(kind, [header])[0]!;

test('field lists are data: every field has a label, synonyms are unique within a field, and required fields exist', () => {
  for (const kind of RECORD_KINDS) {
    const def = KINDS[kind];
    assert.equal(def.kind, kind);
    const names = def.fields.map((f) => f.field);
    assert.equal(new Set(names).size, names.length, `${kind}: no field listed twice`);
    for (const f of def.fields) {
      assert.ok(f.label.trim(), `${kind}.${f.field} has a label`);
      assert.ok(Array.isArray(f.synonyms));
    }
    for (const group of def.required) for (const field of group) assert.ok(targetField(kind, field), `${kind}: required ${field} is a field`);
    for (const field of def.recommended) assert.ok(targetField(kind, field), `${kind}: recommended ${field} is a field`);
  }
  const homeFields = KINDS.homes.fields.map((f) => f.field);
  for (const f of ['uprn', 'reference', 'subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode', 'propertyType',
    'bedrooms', 'floor', 'blockName', 'estateName', 'storeys', 'heightMetres', 'yearBuilt']) assert.ok(homeFields.includes(f), `homes.${f}`);
  const repairFields = KINDS.repairs.fields.map((f) => f.field);
  for (const f of ['jobReference', 'homeReference', 'uprn', 'reportedDate', 'priority', 'status', 'description', 'completedDate']) assert.ok(repairFields.includes(f), `repairs.${f}`);
  assert.equal(targetField('homes', '__proto__'), undefined);
  assert.equal(targetField('homes', 'constructor'), undefined);
});

test('headers are compared without case, punctuation, spaces, underscores or accents', () => {
  const rows: [string, string][] = [
    ['Post Code', 'post code'],
    ['POST_CODE', 'post code'],
    ['PostCode', 'post code'],
    ['post-code ', 'post code'],
    ['DOB', 'dob'],
    ['Height (m)', 'height m'],
    ['Prop. Ref.', 'prop ref'],
    ['Prop #', 'prop no'],
    ['Rent & Service', 'rent and service'],
    ['Dátum', 'datum'],
    ['ＵＰＲＮ', 'uprn'],
    ['\ufeffUPRN', 'uprn'], // a byte-order mark left on the first header
    ['', ''],
    ['___', ''],
  ];
  for (const [header, expected] of rows) assert.equal(normaliseHeader(header), expected, header);
});

test('headers map to fields by name, by synonym and by near-spelling', () => {
  const rows: [RecordKind, string, string | null, 'exact' | 'synonym' | 'fuzzy' | null][] = [
    ['homes', 'Post Code', 'postcode', 'exact'],
    ['homes', 'postcode', 'postcode', 'exact'],
    ['homes', 'POST_CODE', 'postcode', 'exact'],
    ['homes', 'PCODE', 'postcode', 'synonym'],
    ['homes', 'Postocde', 'postcode', 'fuzzy'],
    ['homes', 'Post Cdoe', 'postcode', 'fuzzy'],
    ['homes', 'UPRN', 'uprn', 'exact'],
    ['homes', 'Prop Ref', 'reference', 'synonym'],
    ['homes', 'Property Reference', 'reference', 'exact'],
    ['homes', 'Beds', 'bedrooms', 'synonym'],
    ['homes', 'No. of Storeys', 'storeys', 'synonym'],
    ['homes', 'Height (m)', 'heightMetres', 'synonym'],
    ['homes', 'Address 1', 'addressLine1', 'synonym'],
    ['homes', 'Address 5', 'addressLine5', 'synonym'],
    ['homes', 'Address 6', null, null], // not "near" Address 5: the digits differ
    ['homes', 'Addr Line 1', 'addressLine1', 'synonym'],
    ['homes', 'Address', 'address', 'exact'],
    ['homes', 'Street Address', 'addressLine1', 'synonym'],
    ['repairs', 'Addr 2', 'addressLine2', 'synonym'],
    ['homes', 'Property Postcode', 'postcode', 'synonym'], // "Property" is ignored
    ['people', 'Prop Ref', 'homeReference', 'synonym'],
    ['people', 'Property Reference', 'homeReference', 'exact'],
    ['people', 'Forename', 'givenName', 'synonym'],
    ['people', 'First Name', 'givenName', 'synonym'],
    ['people', 'Surname', 'familyName', 'synonym'],
    ['people', 'Last Name', 'familyName', 'synonym'],
    ['people', 'DOB', 'dateOfBirth', 'synonym'],
    ['people', 'Date of Birth', 'dateOfBirth', 'exact'],
    ['people', 'Tel', 'phone', 'synonym'],
    ['people', 'Mobile', 'phone', 'synonym'],
    ['people', 'E-mail', 'email', 'exact'],
    ['people', 'Emial', 'email', 'fuzzy'],
    ['people', "Tenant's Surname", 'familyName', 'synonym'],
    ['people', 'Customer First Name', 'givenName', 'synonym'],
    ['people', 'Lead Tenant Ref', null, null], // never shrunk to "Ref": too general to say which
    ['tenancies', 'Prop Ref', 'homeReference', 'synonym'],
    ['tenancies', 'Tenancy Ref', 'reference', 'synonym'],
    ['tenancies', 'Tenant Ref', 'personSourceId', 'synonym'],
    ['tenancies', 'Start Date', 'startDate', 'exact'],
    ['repairs', 'Prop Ref', 'homeReference', 'synonym'],
    ['repairs', 'Job No', 'jobReference', 'synonym'],
    ['repairs', 'Works Order Number', 'jobReference', 'synonym'],
    ['repairs', 'Date Reported', 'reportedDate', 'synonym'],
    ['repairs', 'Job Description', 'description', 'synonym'],
    ['notes', 'Prop Ref', 'homeReference', 'synonym'],
    ['notes', 'Note Text', 'text', 'synonym'],
    ['alerts', 'Customer Ref', 'personSourceId', 'synonym'],
    ['alerts', 'Alert Code', 'hactCode', 'synonym'],
    ['homes', 'Tel', null, null], // short headers are never fuzzy-matched
    ['homes', 'Notes', null, null],
    ['homes', '', null, null],
    ['homes', '   ', null, null],
    ['homes', '💩', null, null],
    ['homes', 'x'.repeat(100_000), null, null],
    ['homes', '__proto__', null, null],
    ['homes', 'constructor', null, null],
  ];
  for (const [kind, header, field, match] of rows) {
    const s = fieldFor(kind, header);
    assert.equal(s.field, field, `${kind}: ${header.slice(0, 40)} → ${s.field} (${s.reason})`);
    assert.equal(s.match, match, `${kind}: ${header.slice(0, 40)} match`);
    assert.ok(s.reason.length > 10 && s.reason.length < 400, s.reason);
    assert.ok(s.confidence >= 0 && s.confidence <= 1);
    if (match === 'exact') assert.equal(s.confidence, 1);
    if (match === 'fuzzy') assert.ok(s.confidence < 0.95);
  }
});

test('no two columns get the same field: the closer match wins, the other takes its next choice or is left out with a reason', () => {
  const s = suggestMapping('people', ['Surname', 'Last Name', 'DOB', 'Date of Birth', 'Tel', 'Mobile', 'PCODE', 'Post Code', 'Postcode']);
  const fields = s.map((x) => x.field);
  assert.deepEqual(fields, ['familyName', null, null, 'dateOfBirth', 'phone', 'mobilePhone', null, 'postcode', null]);
  assert.match(s[1]!.reason, /column 1 \("Surname"\) matches it equally/);
  for (const order of [['Mobile', 'Tel'], ['Tel', 'Mobile']]) {
    const phones = suggestMapping('people', order);
    assert.deepEqual(Object.fromEntries(phones.map((x) => [x.header, x.field])), { Tel: 'phone', Mobile: 'mobilePhone' }, order.join(', '));
  }
  assert.match(s[2]!.reason, /column 4 \("Date of Birth"\) matches it more closely/);
  assert.deepEqual(s[1]!.candidates.map((c) => c.field), ['familyName'], 'the page can offer the candidate anyway');
  const mapped = fields.filter((x) => x !== null);
  assert.equal(new Set(mapped).size, mapped.length);
});

test('duplicate and empty headers get keys a profile can name', () => {
  const raw = ['Notes', 'UPRN', 'Notes', '', ' NOTES ', '  '];
  assert.deepEqual(columnKeys(raw), ['Notes', 'UPRN', 'Notes (2)', 'Column 4', 'NOTES (3)', 'Column 6']);
  assert.deepEqual(columnKeys(raw), uniqueHeaders(raw), 'the same names the file reader gives each row');
  assert.deepEqual(columnKeys(columnKeys(raw)), columnKeys(raw), 'already-unique headers are kept');
  const s = suggestMapping('homes', ['UPRN', 'UPRN']);
  assert.deepEqual(s.map((x) => [x.key, x.field]), [['UPRN', 'uprn'], ['UPRN (2)', null]]);
});

test('a wide file of hostile headers is handled quickly', () => {
  const headers = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? `Postcode ${i}` : i % 3 === 1 ? 'x'.repeat(i) : `=cmd|${i}`));
  const started = performance.now();
  const s = suggestMapping('homes', headers);
  assert.equal(s.length, 2000);
  assert.ok(performance.now() - started < 2000, 'under two seconds');
  assert.equal(suggestMapping('homes', []).length, 0);
});

test('the kind of record is detected from the headers, or left to the user when unclear', () => {
  const rows: [string[], RecordKind | null][] = [
    [['Prop Ref', 'UPRN', 'Address 1', 'Post Code', 'Prop Type', 'Beds'], 'homes'],
    [['Block', 'Storeys', 'Height', 'Year Built', 'UPRN'], 'homes'],
    [['Person Ref', 'Title', 'Forename', 'Surname', 'DOB', 'Tel', 'Email'], 'people'],
    [['Tenancy Ref', 'Prop Ref', 'Tenancy Type', 'Tenure', 'Start Date', 'End Date'], 'tenancies'],
    [['Customer Ref', 'Alert Code', 'Alert Type', 'Details', 'Review Date'], 'alerts'],
    [['Job No', 'Prop Ref', 'Date Reported', 'Priority', 'Status', 'Job Description', 'Date Completed'], 'repairs'],
    [['Note ID', 'Person Ref', 'Created', 'Created By', 'Note Text'], 'notes'],
    // Only homes can be loaded from these (a person, repair or note needs more): homes, not a choice between equals.
    [['UPRN', 'Postcode'], 'homes'],
    // Names and dates of birth fit people and ASB parties alike, but a party needs its case's reference.
    [['Tenant Ref', 'Full Name', 'DOB'], 'people'],
    [['foo', 'bar'], null],
    [[], null],
  ];
  for (const [headers, kind] of rows) {
    const guess = detectKind(headers);
    assert.equal(guess.kind, kind, `${JSON.stringify(headers)}: ${guess.reason} ${JSON.stringify(guess.scores)}`);
    assert.ok(guess.reason.length > 10);
  }
});

test('the edit distance counts swapped neighbours as one change', () => {
  const rows: [string, string, number][] = [['postocde', 'postcode', 1], ['postcode', 'postcode', 0], ['', 'abc', 3], ['kitten', 'sitting', 3], ['ab', 'ba', 1]];
  for (const [a, b, d] of rows) assert.equal(editDistance(a, b), d, `${a} ${b}`);
  assert.equal(editDistance('aaaaaaaaaa', 'bbbbbbbbbb', 2), 3, 'stops early past the limit');
});

const headers = ['Prop Ref', 'UPRN', 'Address 1', 'Post Code', 'Prop Type', 'Notes', 'Notes', 'Built'];
const good: MappingProfile = {
  sourceSystem: 'Northgate',
  kind: 'homes',
  columns: { 'Prop Ref': 'reference', UPRN: 'uprn', 'Address 1': 'addressLine1', 'Post Code': 'postcode', 'Prop Type': 'propertyType', Notes: null, 'Notes (2)': null, Built: 'yearBuilt' },
};

test('a suggestion becomes a profile, and a good profile validates cleanly', () => {
  const profile = profileFromSuggestion('Northgate', 'homes', suggestMapping('homes', headers));
  assert.deepEqual(profile, good);
  const check = validateProfile(good, headers);
  assert.deepEqual(check.errors, []);
  assert.deepEqual(check.warnings.map((w) => w.code), ['duplicate-header']);
  assert.equal(check.ok, true);
  assert.deepEqual(columnFields(good, headers), ['reference', 'uprn', 'addressLine1', 'postcode', 'propertyType', null, null, 'yearBuilt']);
  assert.deepEqual(JSON.parse(JSON.stringify(good)), good, 'a profile is plain JSON');
});

test('a bad profile names what is wrong in plain English', () => {
  const rows: [unknown, string[], string[]][] = [
    [null, [], ['not-an-object']],
    ['homes', [], ['not-an-object']],
    [[], [], ['not-an-object']],
    [{ ...good, sourceSystem: ' ' }, [], ['source-system-missing']],
    [{ ...good, kind: 'houses' }, [], ['unknown-kind']],
    [{ ...good, columns: ['reference'] }, [], ['columns-missing']],
    [{ ...good, columns: { ...good.columns, 'Prop Type': 'propType' } }, [], ['unknown-field']],
    [{ ...good, columns: { ...good.columns, 'Prop Type': '__proto__' } }, [], ['unknown-field']],
    [{ ...good, columns: { ...good.columns, 'Prop Type': 42 } }, [], ['unknown-field']],
    [{ ...good, columns: { ...good.columns, 'Address 1': 'postcode' } }, [], ['field-mapped-twice']],
    [{ ...good, columns: { ...good.columns, 'Prop Ref': null } }, [], []], // a UPRN alone identifies homes (issue 11)
    [{ ...good, columns: { ...good.columns, 'Prop Ref': null, UPRN: null } }, [], ['missing-required']],
    [{ ...good, columns: { ...good.columns, 'Prop Ref': null, UPRN: null, 'Address 1': null, 'Post Code': null } }, [], ['missing-required', 'missing-required']],
    [{ ...good, dateFormats: { Built: 'dd/mm/yyyy' } }, [], ['date-format-invalid']],
    [{ ...good, dateFormats: { Built: 'ambiguous' } }, [], ['date-format-invalid']],
    [{ ...good, dateFormats: 'dmy' }, [], ['date-format-invalid']],
    [{ ...good, dateFormats: { 'Prop Ref': 'dmy' } }, ['date-format-not-date-field'], []],
    [{ ...good, columns: { ...good.columns, 'Old Column': null } }, ['header-not-in-file'], []],
    [{ ...good, columns: Object.fromEntries(Object.entries(good.columns).filter(([k]) => k !== 'Built')) }, ['header-not-in-profile'], []],
    [{ ...good, dateFormat: {} }, ['unknown-setting'], []],
  ];
  for (const [profile, warnings, errors] of rows) {
    const check = validateProfile(profile, headers);
    const label = JSON.stringify(profile)?.slice(0, 120);
    assert.deepEqual(check.errors.map((e) => e.code), errors, label);
    assert.deepEqual(check.warnings.filter((w) => w.code !== 'duplicate-header' && w.code !== 'missing-recommended').map((w) => w.code), warnings, label);
    assert.equal(check.ok, errors.length === 0);
    for (const issue of [...check.errors, ...check.warnings]) assert.ok(issue.message.length > 10 && !/undefined|\[object/.test(issue.message), issue.message);
  }
  const missing = validateProfile({ ...good, columns: { ...good.columns, 'Prop Ref': null, UPRN: null } }, headers);
  assert.equal(missing.errors[0]!.message, 'No column is mapped to any of Property reference, UPRN; homes need at least one');
  const unknown = validateProfile({ ...good, columns: { ...good.columns, 'Prop Type': 'propType' } }, headers);
  assert.match(unknown.errors[0]!.message, /^Column "Prop Type" is mapped to "propType", which is not a field of homes \(fields: uprn, reference,/);
});

test('a profile read from hostile JSON cannot reach object prototypes', () => {
  const json = '{"sourceSystem":"X","kind":"homes","columns":{"__proto__":"reference","Prop Ref":"reference","UPRN":"uprn"}}';
  const profile = JSON.parse(json) as MappingProfile;
  const check = validateProfile(profile, ['__proto__', 'Prop Ref', 'UPRN']);
  assert.deepEqual(check.errors.map((e) => e.code), ['field-mapped-twice']);
  assert.deepEqual(columnFields(profile, ['toString', 'UPRN']), [null, 'uprn']);
  const suggested = profileFromSuggestion('X', 'homes', suggestMapping('homes', ['__proto__', 'UPRN']));
  assert.ok(Object.hasOwn(suggested.columns, '__proto__'));
  assert.equal(Object.getPrototypeOf(suggested.columns), Object.prototype);
});

test('a date format in a profile is accepted for date columns', () => {
  const people: MappingProfile = {
    sourceSystem: 'Orchard', kind: 'people',
    columns: { 'Person Ref': 'sourceId', Forename: 'givenName', Surname: 'familyName', DOB: 'dateOfBirth' },
    dateFormats: { DOB: 'dmy' },
  };
  const check = validateProfile(people, ['Person Ref', 'Forename', 'Surname', 'DOB']);
  assert.deepEqual([...check.errors, ...check.warnings], []);
});
