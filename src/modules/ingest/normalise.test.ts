import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  postcode, uprn, personName, parseDate, detectDateFormat, analyseDateColumn, phone, email, neutraliseFormula,
  NORMALISE_RULES, type Normalised, type Raw, type DateFormat, type DetectedDateFormat,
} from './normalise.ts';

type Expect = string | null | { rule: string };

/** Runs a table: each row is [input, expected value | null | { rule }]. A failure must name a known rule and say something. */
function table(name: string, fn: (raw: Raw) => Normalised<string | null>, rows: [Raw, Expect][]) {
  test(name, () => {
    for (const [raw, expected] of rows) {
      const r = fn(raw);
      const label = `${name}(${JSON.stringify(raw)?.slice(0, 80)})`;
      if (expected !== null && typeof expected === 'object') {
        assert.equal(r.ok, false, `${label} should fail with ${expected.rule}, got ${JSON.stringify(r)}`);
        if (!r.ok) {
          assert.equal(r.rule, expected.rule, label);
          assert.ok(Object.hasOwn(NORMALISE_RULES, r.rule), `${label}: rule ${r.rule} is listed`);
          assert.ok(r.message.length > 10 && r.message.length < 400, `${label}: message is plain and short: ${r.message}`);
        }
      } else {
        assert.ok(r.ok, `${label} should pass, got ${JSON.stringify(r)}`);
        if (r.ok) assert.equal(r.value, expected, label);
      }
    }
  });
}

const LONG = 'A'.repeat(100_000);

table('postcode', postcode, [
  ['sw1a1aa', 'SW1A 1AA'],
  [' ls6  1aa ', 'LS6 1AA'],
  ['LS61AA', 'LS6 1AA'],
  ['m1 1ae', 'M1 1AE'],
  ['B33 8TH', 'B33 8TH'],
  ['ec1a1bb', 'EC1A 1BB'],
  ['DN55 1PT', 'DN55 1PT'],
  ['bt1 1aa', 'BT1 1AA'],
  ['SW1A\u00a01AA', 'SW1A 1AA'], // non-breaking space from a web page
  ['SW1A\t1AA', 'SW1A 1AA'],
  ['\u200bLS6 1AA\ufeff', 'LS6 1AA'], // zero-width space, byte-order mark
  ['ＳＷ１Ａ １ＡＡ', 'SW1A 1AA'], // full-width characters
  ['', null],
  ['   ', null],
  [null, null],
  [undefined, null],
  ['LS6', { rule: 'postcode-invalid' }], // outward code only
  ['LS6 1AA X', { rule: 'postcode-invalid' }],
  ['SW1A-1AA', { rule: 'postcode-invalid' }],
  ['12345', { rule: 'postcode-invalid' }],
  [12345, { rule: 'postcode-invalid' }],
  ['N/A', { rule: 'postcode-invalid' }],
  ['=HYPERLINK("x")', { rule: 'postcode-invalid' }],
  [LONG, { rule: 'postcode-invalid' }],
  [Number.NaN, { rule: 'not-text' }],
]);

test('a postcode with a letter typed for a digit is not changed, but the message points at it', () => {
  const r = postcode('LS6 IAA');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.message, /LS6 1AA would be valid; not changed automatically/);
  const long = postcode(LONG);
  if (!long.ok) assert.ok(long.message.length < 200, 'a long value is shortened in the message');
});

table('uprn', uprn, [
  ['100021', '100021'],
  ['1', '1'],
  ['999999999999', '999999999999'],
  [' 100021 ', '100021'],
  ['100021.0', '100021'], // a spreadsheet float with zero decimals
  ['100021.00', '100021'],
  ['100021.', '100021'],
  ['10 0021', '100021'],
  ['1,000,021', '1000021'], // thousands separators
  ['１０００２１', '100021'],
  [100021, '100021'], // a numeric cell
  [1.0002e11, '100020000000'], // a numeric cell holds every digit: exact
  [999_999_999_999, '999999999999'],
  ['', null],
  [null, null],
  ['1.0002E+11', { rule: 'uprn-scientific-notation' }],
  ['1.0002e11', { rule: 'uprn-scientific-notation' }],
  ['1,0002E+11', { rule: 'uprn-scientific-notation' }],
  ['1E+11', { rule: 'uprn-scientific-notation' }],
  ['100021.5', { rule: 'uprn-not-integer' }],
  ['100021.01', { rule: 'uprn-not-integer' }],
  [100021.5, { rule: 'uprn-not-integer' }],
  ['0123', { rule: 'uprn-leading-zero' }],
  ['000100021000', { rule: 'uprn-leading-zero' }],
  ['0', { rule: 'uprn-leading-zero' }],
  ['1234567890123', { rule: 'uprn-too-long' }],
  [1_234_567_890_123, { rule: 'uprn-too-long' }],
  ['UPRN 100021', { rule: 'uprn-not-digits' }],
  ['-100021', { rule: 'uprn-not-digits' }],
  ['+100021', { rule: 'uprn-not-digits' }],
  ['10,0021', { rule: 'uprn-not-digits' }], // not thousands grouping: two values?
  ['N/A', { rule: 'uprn-not-digits' }],
  ['١٠٠٠٢١', { rule: 'uprn-not-digits' }], // Arabic-Indic digits are not repaired
  [-1, { rule: 'uprn-not-digits' }],
  [0, { rule: 'uprn-not-digits' }],
  [Number.POSITIVE_INFINITY, { rule: 'not-text' }],
  ['9'.repeat(100_000), { rule: 'uprn-too-long' }],
]);

test('a repaired UPRN says what was repaired; an untouched one has no note', () => {
  const repaired = uprn('100021.0');
  assert.ok(repaired.ok && /spreadsheet decimal/.test(repaired.note ?? ''));
  const untouched = uprn('100021');
  assert.ok(untouched.ok && untouched.note === undefined);
  const damaged = uprn('1.0002E+11');
  assert.ok(!damaged.ok);
  if (!damaged.ok) assert.equal(damaged.message, '"1.0002E+11" looks like a UPRN damaged by a spreadsheet (scientific notation loses digits); it cannot be repaired — export the column as text');
});

table('personName', personName, [
  ["O'NEILL", "O'Neill"],
  ["o'neill", "O'Neill"],
  ['o’brien', 'O’Brien'],
  ["D'ARCY", "D'Arcy"],
  ['mcdonald', 'McDonald'],
  ['MCKENZIE', 'McKenzie'],
  ['MACDONALD', 'Macdonald'], // only Mc gets a second capital: Mac is too often Macey, Mackie, Machin
  ['SMITH-JONES', 'Smith-Jones'],
  ['mary-jane', 'Mary-Jane'],
  ['JOHN  SMITH', 'John Smith'],
  ['  mary ', 'Mary'],
  ['HENRY III', 'Henry III'],
  ['ŁUKASZ', 'Łukasz'],
  ['ÉLODIE', 'Élodie'],
  ['MÜLLER', 'Müller'],
  ['WEIß', 'Weiß'],
  ['J', 'J'],
  ['J.R.', 'J.R.'],
  ['de Souza', 'de Souza'], // mixed case kept exactly
  ['MacLeod', 'MacLeod'],
  ['van der Berg', 'van der Berg'],
  ['McDonald', 'McDonald'],
  ['DE SOUZA', 'De Souza'], // all capitals: the particle's case is unknowable
  ['Ngozi', 'Ngozi'],
  ['李', '李'], // no letter case: kept
  ['Zoë', 'Zoë'],
  ['Zoe\u0308', 'Zoë'], // combining diaeresis composed (NFC)
  ['', null],
  ['   ', null],
  [null, null],
  ['unknown', { rule: 'name-placeholder' }],
  ['N/A', { rule: 'name-placeholder' }],
  ['TBC', { rule: 'name-placeholder' }],
  ['-', { rule: 'name-no-letters' }],
  ['...', { rule: 'name-no-letters' }],
  ['J0HN', { rule: 'name-digits' }],
  ['123', { rule: 'name-digits' }],
  [42, { rule: 'name-digits' }],
  ['John\nSmith', { rule: 'name-control-characters' }],
  ['John\u0000', { rule: 'name-control-characters' }],
  ['A'.repeat(201), { rule: 'name-too-long' }],
  [LONG, { rule: 'name-too-long' }],
]);

test('a name changed from capitals says so; a name kept has no note', () => {
  const r = personName('SMITH');
  assert.ok(r.ok && r.note === 'changed from capitals to name case');
  const kept = personName('de Souza');
  assert.ok(kept.ok && kept.note === undefined);
  const tabs = personName('Mary\tJane');
  assert.ok(tabs.ok && tabs.value === 'Mary Jane', 'a tab inside is a space');
});

test('dates are parsed in the format of their column', () => {
  const rows: [Raw, DetectedDateFormat, Expect][] = [
    ['31/01/2020', 'dmy', '2020-01-31'],
    ['1/2/2020', 'dmy', '2020-02-01'],
    ['31-01-2020', 'dmy', '2020-01-31'],
    ['31.01.2020', 'dmy', '2020-01-31'],
    ['31/01/2020 00:00', 'dmy', '2020-01-31'],
    ['31/01/2020 14:30:00', 'dmy', '2020-01-31'],
    ['31-Jan-2020', 'dmy', '2020-01-31'],
    ['31 January 2020', 'dmy', '2020-01-31'],
    ['1st Sept 2020', 'dmy', '2020-09-01'],
    ['01/31/2020', 'mdy', '2020-01-31'],
    ['Jan 31, 2020', 'mdy', '2020-01-31'],
    ['2020-01-31', 'iso', '2020-01-31'],
    ['2020/1/31', 'iso', '2020-01-31'],
    ['2020-01-31T13:45:00Z', 'iso', '2020-01-31'],
    ['2020-01-31 00:00:00', 'iso', '2020-01-31'],
    ['29/02/2020', 'dmy', '2020-02-29'],
    ['29/02/2000', 'dmy', '2000-02-29'],
    ['２０２０-０１-３１', 'iso', '2020-01-31'],
    ['', 'dmy', null],
    [null, 'ambiguous', null],
    ['31/02/2020', 'dmy', { rule: 'date-impossible' }],
    ['29/02/2021', 'dmy', { rule: 'date-impossible' }],
    ['29/02/1900', 'dmy', { rule: 'date-impossible' }], // 1900 was not a leap year
    ['00/01/2020', 'dmy', { rule: 'date-impossible' }],
    ['31/01/2020', 'mdy', { rule: 'date-impossible' }],
    ['2020-13-01', 'iso', { rule: 'date-impossible' }],
    ['01/02/85', 'dmy', { rule: 'date-two-digit-year' }],
    ['01/01/0001', 'dmy', { rule: 'date-out-of-range' }],
    ['9999-12-31', 'iso', { rule: 'date-out-of-range' }],
    ['2020-01-31', 'dmy', { rule: 'date-wrong-format' }],
    ['31/01/2020', 'iso', { rule: 'date-wrong-format' }],
    ['yesterday', 'dmy', { rule: 'date-wrong-format' }],
    [43831, 'dmy', { rule: 'date-wrong-format' }],
    ['31/01/2020', 'ambiguous', { rule: 'date-format-unresolved' }],
    ['31/01/2020', 'mixed', { rule: 'date-format-unresolved' }],
    ['31/01/2020', 'unknown', { rule: 'date-format-unresolved' }],
    [LONG, 'dmy', { rule: 'date-wrong-format' }],
  ];
  for (const [raw, format, expected] of rows) {
    const r = parseDate(raw, format);
    const label = `parseDate(${JSON.stringify(raw).slice(0, 40)}, ${format})`;
    if (expected !== null && typeof expected === 'object') assert.ok(!r.ok && r.rule === expected.rule, `${label}: ${JSON.stringify(r)}`);
    else assert.ok(r.ok && r.value === expected, `${label}: ${JSON.stringify(r)}`);
  }
});

test('Excel serial dates use the 1900 date system, whose 29 February 1900 (serial 60) never existed', () => {
  const rows: [Raw, DateFormat, Expect][] = [
    [1, 'excel-serial', '1900-01-01'],
    [59, 'excel-serial', '1900-02-28'],
    [60, 'excel-serial', { rule: 'date-excel-1900-bug' }],
    [61, 'excel-serial', '1900-03-01'],
    [25569, 'excel-serial', '1970-01-01'], // the Unix epoch
    [36526, 'excel-serial', '2000-01-01'],
    [43831, 'excel-serial', '2020-01-01'],
    ['43831', 'excel-serial', '2020-01-01'],
    [43890, 'excel-serial', '2020-02-29'],
    [43831.75, 'excel-serial', '2020-01-01'], // 6pm: the time is dropped
    [45658, 'excel-serial', '2025-01-01'],
    [0, 'excel-serial', { rule: 'date-excel-serial-range' }],
    [-1, 'excel-serial', { rule: 'date-wrong-format' }],
    ['31/01/2020', 'excel-serial', { rule: 'date-wrong-format' }],
    [3_000_000, 'excel-serial', { rule: 'date-out-of-range' }],
    [0, 'excel-serial-1904', '1904-01-01'],
    [42369, 'excel-serial-1904', '2020-01-01'], // 1904 system: 1,462 days fewer
  ];
  for (const [raw, format, expected] of rows) {
    const r = parseDate(raw, format);
    const label = `parseDate(${raw}, ${format})`;
    if (expected !== null && typeof expected === 'object') assert.ok(!r.ok && r.rule === expected.rule, `${label}: ${JSON.stringify(r)}`);
    else assert.ok(r.ok && r.value === expected, `${label}: ${JSON.stringify(r)}`);
  }
  const withTime = parseDate(43831.75, 'excel-serial');
  assert.ok(withTime.ok && /time of day/.test(withTime.note ?? ''));
});

test('two-digit years are read only when the column says so, within a stated century window', () => {
  const pivot = { pivotYear: 2026 };
  assert.deepEqual(parseDate('01/02/85', 'dmy-yy', pivot), { ok: true, value: '1985-02-01', note: 'two-digit year read as 1985' });
  assert.equal((parseDate('01/02/26', 'dmy-yy', pivot) as { value: string }).value, '2026-02-01');
  assert.equal((parseDate('01/02/27', 'dmy-yy', pivot) as { value: string }).value, '1927-02-01');
  assert.equal((parseDate('02/01/00', 'mdy-yy', pivot) as { value: string }).value, '2000-02-01');
  assert.equal((parseDate('31-JAN-20', 'dmy-yy', pivot) as { value: string }).value, '2020-01-31'); // Oracle's default
  assert.equal((parseDate('01/02/1985', 'dmy-yy', pivot) as { value: string }).value, '1985-02-01'); // four digits are never ambiguous
  assert.equal((parseDate('29/02/00', 'dmy-yy', { pivotYear: 1999 }) as { rule: string }).rule, 'date-impossible'); // 1900
  assert.throws(() => parseDate('01/02/85', 'dmy-yy'), /pivotYear/);
});

test('a column of dates has its format detected, and an ambiguous one is reported, not assumed to be UK', () => {
  const rows: [Raw[], DetectedDateFormat][] = [
    [['31/01/2020', '01/02/2020', '15/06/1984'], 'dmy'],
    [['01/31/2020', '02/01/2020'], 'mdy'],
    [['2020-01-31', '1984-06-15'], 'iso'],
    [['01/02/2020', '03/04/2020', '12/11/1999'], 'ambiguous'],
    [['01/02/85', '03/04/90'], 'ambiguous'],
    [['01/02/85', '13/04/90'], 'dmy-yy'],
    [['31/01/2020', '2020-01-31'], 'mixed'],
    [['01/31/2020', '31/01/2020'], 'mixed'], // each fits a different one
    [['31/01/2020', '01/02/85'], 'mixed'],
    [['43831', '44000', '25569.5'], 'excel-serial'],
    [[43831, 44000], 'excel-serial'],
    [['43831', '31/01/2020'], 'mixed'], // an XLSX column where some cells are dates and some are text
    [['31-Jan-2020', '01-Feb-2020'], 'dmy'],
    [['01/01/2020', '02/02/2021'], 'dmy'], // every value reads the same either way
    [['1985', '1990', '2001'], 'unknown'], // years, not Excel serials
    [['yesterday', 'N/A'], 'unknown'],
    [[], 'unknown'],
    [['', '  ', null, undefined], 'unknown'],
    [['31/01/2020', '', null, 'N/A', '31/02/2020'], 'dmy'], // unreadable values do not vote
    [Array.from({ length: 10_000 }, (_, i) => `${(i % 12) + 1}/${(i % 12) + 1 === 1 ? 13 : 1}/2020`), 'mdy'],
  ];
  for (const [values, expected] of rows) assert.equal(detectDateFormat(values), expected, JSON.stringify(values).slice(0, 80));
  const a = analyseDateColumn(['31/01/2020', 'N/A', '31/02/2020']);
  assert.equal(a.unreadable, 2);
  assert.deepEqual(a.unreadableExamples, ['N/A', '31/02/2020']);
  assert.match(a.message, /2 values could not be read/);
  assert.match(analyseDateColumn(['01/02/2020', '03/04/2020']).message, /choose day first or month first/);
});

table('phone', (raw) => phone(raw), [
  ['07700 900123', '+447700900123'], // Ofcom's drama range: accepted with a note
  ['07911 123456', '+447911123456'],
  ['07911123456', '+447911123456'],
  ['+44 7911 123456', '+447911123456'],
  ['+44 (0) 7911 123456', '+447911123456'],
  ['0044 7911 123456', '+447911123456'],
  ['(0113) 496 0000', '+441134960000'],
  ['020 7946 0958', '+442079460958'],
  ['0800 123 4567', '+448001234567'],
  ['7911123456', '+447911123456'], // a spreadsheet dropped the leading 0
  [7911123456, '+447911123456'],
  ['447911123456', '+447911123456'],
  ['+353 1 234 5678', '+35312345678'], // not UK: kept in its own country
  ['０７９１１ １２３４５６', '+447911123456'],
  ['01134960000 ext 12', '+441134960000'],
  ['', null],
  [null, null],
  ['123', { rule: 'phone-wrong-length' }],
  ['07911 12345', { rule: 'phone-unallocated' }], // ten digits is a UK length, but not for a mobile
  ['07911 1234567', { rule: 'phone-wrong-length' }],
  ['abc', { rule: 'phone-invalid' }],
  ['-', { rule: 'phone-invalid' }],
  ['01632 123456', { rule: 'phone-unallocated' }],
  ['07700 900123 / 0113 496 0000', { rule: 'phone-several' }],
  ['07911123456, 07700900123', { rule: 'phone-several' }],
  ['7.91112E+9', { rule: 'phone-scientific-notation' }],
  [7.5, { rule: 'phone-scientific-notation' }],
  ['0'.repeat(100_000), { rule: 'phone-invalid' }],
]);

test('a phone number keeps its extension and says what it repaired', () => {
  const ext = phone('01134960000 ext 12');
  assert.ok(ext.ok && 'extension' in ext && ext.extension === '12');
  const drama = phone('07700 900123');
  assert.ok(drama.ok && /drama/.test(drama.note ?? ''));
  const zero = phone(7911123456);
  assert.ok(zero.ok && /leading 0 restored/.test(zero.note ?? ''));
  const plain = phone('07911 123456');
  assert.ok(plain.ok && plain.note === undefined);
});

table('email', email, [
  ['john.smith@example.org', 'john.smith@example.org'],
  ['  John.Smith@Example.ORG ', 'John.Smith@example.org'], // the domain is lower-cased, the local part kept
  ['mailto:a@b.co.uk', 'a@b.co.uk'],
  ['MAILTO:a@b.co.uk', 'a@b.co.uk'],
  ["o'brien+housing@example.co.uk", "o'brien+housing@example.co.uk"],
  ['ü@bücher.DE', 'ü@bücher.de'],
  ['a@xn--p1ai.xn--p1ai', 'a@xn--p1ai.xn--p1ai'],
  ['\u200ba@example.org', 'a@example.org'],
  ['', null],
  [null, null],
  ['a@b', { rule: 'email-invalid' }],
  ['a@b.c', { rule: 'email-invalid' }],
  ['ab.com', { rule: 'email-invalid' }],
  ['@example.org', { rule: 'email-invalid' }],
  ['a b@example.org', { rule: 'email-invalid' }],
  ['a@@example.org', { rule: 'email-invalid' }],
  ['.a@example.org', { rule: 'email-invalid' }],
  ['a.@example.org', { rule: 'email-invalid' }],
  ['a..b@example.org', { rule: 'email-invalid' }],
  ['a@-example.org', { rule: 'email-invalid' }],
  ['a@example..org', { rule: 'email-invalid' }],
  ['a@example.org.', { rule: 'email-invalid' }],
  ['a@[192.168.0.1]', { rule: 'email-invalid' }],
  ['"a b"@example.org', { rule: 'email-invalid' }],
  ['=HYPERLINK("http://x")@example.org', { rule: 'email-invalid' }],
  [42, { rule: 'email-invalid' }],
  ['a@x.com; b@y.com', { rule: 'email-several' }],
  ['a@x.com b@y.com', { rule: 'email-several' }],
  [`${'a'.repeat(65)}@example.org`, { rule: 'email-invalid' }],
  [`a@${'b'.repeat(250)}.org`, { rule: 'email-too-long' }],
  [LONG, { rule: 'email-too-long' }],
]);

test('a cell that would start a spreadsheet formula is neutralised with a single quote', () => {
  const rows: [unknown, string][] = [
    ['=1+1', "'=1+1"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+441134960000', "'+441134960000"],
    ['-5', '-5'], // a negative number written as text is read as that number: nothing to run
    ['-3.5', '-3.5'],
    ['-2+3', "'-2+3"],
    ['a;=1+1', "a;'=1+1"], // a spreadsheet that splits on ';' would start a cell at '='
    ['a, =1+1', "a,' =1+1"],
    ['a\n@SUM(A1)', "a\n'@SUM(A1)"],
    ['x;"=1+1', "x;'\"=1+1"],
    ['1;-2', '1;-2'],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t'=1"], // a tab or line break is also where a spreadsheet may start a new cell
    ['\r=1', "'\r'=1"],
    [' =1', "' =1"],
    ['\n=1', "'\n'=1"],
    ['＝1+1', "'＝1+1"],
    ['Damp in bathroom', 'Damp in bathroom'],
    ['O\'Neill', "O'Neill"],
    ['a=b', 'a=b'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [-5, '-5'], // a number is written as a number
    [42, '42'],
    [true, 'true'],
  ];
  for (const [cell, expected] of rows) assert.equal(neutraliseFormula(cell), expected, JSON.stringify(cell));
});

test('every rule has a description, and hostile input never throws', () => {
  for (const [rule, description] of Object.entries(NORMALISE_RULES)) assert.ok(description.length > 10, rule);
  const hostile: Raw[] = ['\u0000', '\ud800', '💩', '\u202eevil', 'ＡＢＣ', ' '.repeat(10_000), '\n'.repeat(1000), LONG,
    Number.NaN, Number.NEGATIVE_INFINITY, -0, Number.MAX_VALUE, 1e-300, '(((((((((((((((((((((((((((((((((((((((a'];
  const fns = [postcode, uprn, personName, phone, email, (r: Raw) => parseDate(r, 'dmy'), (r: Raw) => parseDate(r, 'excel-serial')];
  for (const raw of hostile) for (const fn of fns) {
    const r = fn(raw);
    assert.equal(typeof r.ok, 'boolean');
    if (!r.ok) assert.ok(Object.hasOwn(NORMALISE_RULES, r.rule), r.rule);
  }
  assert.equal(typeof detectDateFormat(hostile), 'string');
  // @ts-expect-error: a cell of the wrong type from a parser is reported, not thrown
  assert.equal((postcode({}) as { rule: string }).rule, 'not-text');
});
