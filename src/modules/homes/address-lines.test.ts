import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressLines, expandStreet } from './address-lines.ts';
import { HELD_OUT, TUNING, measure } from './address-labelled.ts';
import { addressWords } from './import.ts';

test('address lines: flats, named houses, numbers with letters and ranges, abbreviations, a postcode at the end', () => {
  assert.deepEqual(parseAddressLines(['Flat 2/3, 41 Kelvin St, Glasgow G3 7RP']),
    { subBuilding: 'Flat 2/3', buildingName: null, buildingNumber: '41', street: 'Kelvin Street', locality: null, town: 'Glasgow', postcode: 'G3 7RP' });
  assert.deepEqual(parseAddressLines(['Ground Floor Flat', 'Rose Cottage', '12a Church Ln', 'Bramhope', 'Leeds', 'West Yorkshire'], 'ls16 9aa'),
    { subBuilding: 'Ground Floor Flat', buildingName: 'Rose Cottage', buildingNumber: '12a', street: 'Church Lane', locality: 'Bramhope', town: 'Leeds', postcode: 'LS16 9AA' });
  assert.deepEqual(parseAddressLines(['12 Bronte House', 'Moor Rd', 'Leeds']),
    { subBuilding: '12', buildingName: 'Bronte House', buildingNumber: null, street: 'Moor Road', locality: null, town: 'Leeds', postcode: null });
  assert.equal(parseAddressLines(['12-14 High St']).buildingNumber, '12-14');
  assert.equal(expandStreet('St Johns Rd'), 'St Johns Road');
  assert.equal(expandStreet('Gdns'), 'Gdns', 'a lone word is not spelt out');
  assert.deepEqual(parseAddressLines([]), { subBuilding: null, buildingName: null, buildingNumber: null, street: null, locality: null, town: null, postcode: null });
});

test('address lines: a flat after its building, a building and its street on one line, a flat numbered before its building', () => {
  const none = { locality: null, town: null, postcode: null };
  assert.deepEqual(parseAddressLines(['Attlee House, Flat 4', '15 Church Lane']),
    { subBuilding: 'Flat 4', buildingName: 'Attlee House', buildingNumber: '15', street: 'Church Lane', ...none });
  assert.deepEqual(parseAddressLines(['Flat 3 Attlee House 2 Moor Rd', 'Leeds']),
    { subBuilding: 'Flat 3', buildingName: 'Attlee House', buildingNumber: '2', street: 'Moor Road', ...none, town: 'Leeds' });
  assert.deepEqual(parseAddressLines(['5 Attlee Hse, 2 Moor Rd']),
    { subBuilding: '5', buildingName: 'Attlee House', buildingNumber: '2', street: 'Moor Road', ...none });
  assert.deepEqual(parseAddressLines(['4 Bevan Court', '1 Kirkstall Ln']),
    { subBuilding: '4', buildingName: 'Bevan Court', buildingNumber: '1', street: 'Kirkstall Lane', ...none });
  assert.equal(parseAddressLines(['Bevan Court', 'Leeds']).street, 'Bevan Court', 'a court with no other street is the street');
  assert.equal(parseAddressLines(['Church House 2 Moor Rd']).buildingName, 'Church House');
});

test('address words: an apostrophe joins its word, so "St Mark\'s Road" and "St Marks Rd" are one address', () => {
  assert.deepEqual(addressWords(['125', 'St Mark\'s Road']), addressWords(['125', 'St Marks Rd']));
  assert.deepEqual(addressWords(['O’Neill Court']), ['oneill', 'court']);
});

test('the labelled set has at least 500 addresses, 150 of them held out', () => {
  assert.ok(TUNING.length + HELD_OUT.length >= 500);
  assert.ok(HELD_OUT.length >= 150);
});

test('per-part accuracy on the held-out addresses (never used to tune the rules) is at least 95%', () => {
  const m = measure(HELD_OUT, parseAddressLines);
  for (const p of m.perPart) assert.ok(p.accuracy >= 0.95, `${p.part}: ${(p.accuracy * 100).toFixed(1)}% (${p.correct}/${p.total})`);
  assert.ok(m.whole >= 0.9, `every part right in ${(m.whole * 100).toFixed(1)}%`);
});
