import test from 'node:test';
import assert from 'node:assert/strict';
import type { PersonRecord } from '../types.ts';
import { A, D, F, G, P, compareAddress, compareDob, compareFamily, compareGiven, comparePhone, isSwapped, jaro, jaroWinkler, normaliseName, prepare } from './compare.ts';
import { isNickname, NICKNAME_PAIRS } from './nicknames.ts';

const rec = (id: string, o: Partial<PersonRecord>): PersonRecord => ({ id, sourceSystem: 's', givenName: null, familyName: null, dateOfBirth: null, ...o });
const pair = (x: Partial<PersonRecord>, y: Partial<PersonRecord>) => prepare([rec('a', x), rec('b', y)]);

test('Jaro–Winkler matches the published values', () => {
  assert.equal(jaro('martha', 'marhta').toFixed(4), '0.9444');
  assert.equal(jaroWinkler('martha', 'marhta').toFixed(4), '0.9611');
  assert.equal(jaroWinkler('dwayne', 'duane').toFixed(4), '0.8400');
  assert.equal(jaroWinkler('dixon', 'dicksonx').toFixed(4), '0.8133');
  assert.equal(jaroWinkler('robertson', 'robertsen').toFixed(4), '0.9556'); // prefix bonus capped at 4
  assert.equal(jaroWinkler('abc', 'xyz'), 0);
  assert.equal(jaroWinkler('same', 'same'), 1);
});

test('names are normalised: accents, case, apostrophes, hyphens, titles', () => {
  assert.equal(normaliseName("  O'Brien "), 'obrien');
  assert.equal(normaliseName('Zoë'), 'zoe');
  assert.equal(normaliseName('Smith-Jones'), 'smith jones');
  assert.equal(normaliseName('Mrs Mary-Ann'), 'mary ann');
});

test('nickname table: a few hundred pairs, Bob/Robert, Peggy/Margaret, Sandy/Alexander', () => {
  assert.ok(NICKNAME_PAIRS >= 300);
  for (const [a, b] of [['bob', 'robert'], ['peggy', 'margaret'], ['bill', 'william'], ['jack', 'john'], ['liz', 'elizabeth'], ['kate', 'katherine'], ['sandy', 'alexander'], ['kasia', 'katarzyna']]) {
    assert.ok(isNickname(a!, b!), `${a}/${b}`);
  }
  assert.ok(!isNickname('bob', 'william'));
});

test('given name levels: exact, nickname, typo, else', () => {
  const lv = (a: string, b: string) => {
    const p = pair({ givenName: a, familyName: 'x' }, { givenName: b, familyName: 'y' });
    return compareGiven(p, 0, 1, isSwapped(p, 0, 1));
  };
  assert.equal(lv('ROBERT', 'robert'), G.exact);
  assert.equal(lv('Bob', 'Robert'), G.nickname);
  assert.equal(lv('Peggy', 'Margaret'), G.nickname);
  assert.equal(lv('Jonathon', 'Jonathan'), G.jw92);
  assert.equal(lv('Robert', 'Susan'), G.else);
  assert.equal(lv('R', 'Robert'), G.initial);
});

test('swapped given and family names', () => {
  const p = pair({ givenName: 'Okafor', familyName: 'Chidi' }, { givenName: 'Chidi', familyName: 'Okafor' });
  assert.ok(isSwapped(p, 0, 1));
  assert.equal(compareGiven(p, 0, 1, true), G.swapped);
  assert.equal(compareFamily(p, 0, 1, true), F.swapped);
});

test('family name levels: double-barrelled part, typo, phonetic', () => {
  const lv = (a: string, b: string) => compareFamily(pair({ familyName: a }, { familyName: b }), 0, 1, false);
  assert.equal(lv('Smith-Jones', 'Jones'), F.part);
  assert.equal(lv('Thompson', 'Thomson'), F.jw92);
  assert.equal(lv('Smith', 'Okafor'), F.else);
});

test('date of birth levels: exact, day/month transposed, one digit off, year only, formats', () => {
  const lv = (a: string, b: string) => compareDob(pair({ dateOfBirth: a }, { dateOfBirth: b }), 0, 1);
  assert.equal(lv('1980-03-07', '07/03/1980'), D.exact); // UK format
  assert.equal(lv('1980-03-07', '1980-07-03'), D.transposed);
  assert.equal(lv('1980-03-07', '1980-03-08'), D.oneDigit);
  assert.equal(lv('1980-03-17', '1980-03-71'), D.oneDigit); // adjacent digits swapped
  assert.equal(lv('1980-03-07', '1980-11-21'), D.year);
  assert.equal(lv('1980-03-07', '1955-11-21'), D.else);
});

test('address levels: UPRN, exact, postcode', () => {
  const lv = (x: Partial<PersonRecord>, y: Partial<PersonRecord>) => compareAddress(pair(x, y), 0, 1);
  assert.equal(lv({ uprn: '1', address: 'a' }, { uprn: '1', address: 'b' }), A.uprn);
  assert.equal(lv({ address: '12 Moor Road', postcode: 'LS6 1AA' }, { address: '12 moor road', postcode: 'ls61aa' }), A.exact);
  assert.equal(lv({ address: '12 Moor Road', postcode: 'LS6 1AA' }, { address: '12 Moor Raod', postcode: 'LS6 1AA' }), A.similar);
  assert.equal(lv({ address: '12 Moor Road', postcode: 'LS6 1AA' }, { address: '40 Hill Top', postcode: 'LS6 1AA' }), A.postcode);
  assert.equal(lv({ address: '12 Moor Road', postcode: 'LS6 1AA' }, { address: '40 Hill Top', postcode: 'LS6 2BB' }), A.district);
  assert.equal(comparePhone(pair({ phone: '+447700900123' }, { phone: '07700900123' }), 0, 1), P.exact);
});
