import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePostcode, formatAddress } from './service.ts';

test('postcodes are stored upper case with one space', () => {
  assert.equal(normalisePostcode('ls61aa'), 'LS6 1AA');
  assert.equal(normalisePostcode(' sw1a  1aa '), 'SW1A 1AA');
  assert.equal(normalisePostcode(''), null);
  assert.equal(normalisePostcode(null), null);
});

test('an address reads in BS 7666 order: flat, building, number and street, locality, town, postcode', () => {
  assert.equal(formatAddress({ subBuilding: 'Flat 12', buildingName: 'Bronte House', street: 'Moor Road', town: 'Leeds', postcode: 'LS6 1AA' }),
    'Flat 12, Bronte House, Moor Road, Leeds, LS6 1AA');
  assert.equal(formatAddress({ buildingNumber: '4', street: 'Acacia Avenue', locality: 'Headingley', town: 'Leeds' }), '4 Acacia Avenue, Headingley, Leeds');
});

test('a home with no parts but the lines its source recorded reads as those lines, with the postcode once', () => {
  assert.equal(formatAddress({ town: 'London', postcode: 'SE15 2RZ', addressLines: ['Land at rear of', 'The Old Forge'] }), 'Land at rear of, The Old Forge, SE15 2RZ');
  assert.equal(formatAddress({ postcode: 'SE15 2RZ', addressLines: ['Garages, Peckham SE15 2RZ'] }), 'Garages, Peckham SE15 2RZ');
  assert.equal(formatAddress({ buildingNumber: '4', street: 'Acacia Avenue', addressLines: ['4 Acacia Ave'] }), '4 Acacia Avenue', 'parts, when there are any');
});
