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
