import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { openObjects, personalMatch, personalProperties, wordsOf } from './personal.ts';
import { standardJsonSchema } from './schema.ts';
import { validateRecords } from './validate.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from './examples.ts';

describe('the standard carries no personal data', () => {
  test('no property of its JSON Schema is named like personal data, and every object in it is closed', () => {
    const doc = standardJsonSchema();
    assert.deepEqual(personalProperties(doc), []);
    assert.deepEqual(openObjects(doc), []);
  });

  test('the walk finds personal names and open objects wherever a schema hides them', () => {
    const planted = Type.Object({
      uprn: Type.String(),
      records: Type.Array(Type.Union([
        Type.Object({ tenantName: Type.String(), residentialUnits: Type.Integer() }, { additionalProperties: false }),
        Type.Object({ household: Type.Object({ date_of_birth: Type.String(), 'e-mail': Type.String() }) }, { additionalProperties: false }),
      ])),
    }, { additionalProperties: false });
    const doc = { ...JSON.parse(JSON.stringify(planted)), $defs: { contact: { type: 'object', properties: { phoneNumber: { type: 'string' }, addressLine1: { type: 'string' } } } } };
    assert.deepEqual(personalProperties(doc).map((p) => p.name).sort(), ['addressLine1', 'date_of_birth', 'e-mail', 'household', 'phoneNumber', 'tenantName']);
    assert.deepEqual(openObjects(doc).sort(), ['#/$defs/contact', '#/properties/records/items/anyOf/1/properties/household']);
  });

  test('names are matched by their words, so a building fact is not mistaken for a person', () => {
    assert.deepEqual(wordsOf('addressLine1'), ['address', 'line1']);
    assert.deepEqual(wordsOf('NINumber_value'), ['ni', 'number', 'value']);
    for (const name of ['firstName', 'surname', 'dob', 'dateOfBirth', 'email', 'mobile', 'telephone', 'postcode', 'street', 'nino', 'nationalInsuranceNumber',
      'personId', 'NINumber', 'tenantRef', 'residents', 'householdSize', 'occupantCount', 'gender', 'ethnicity', 'disabilityFlag', 'isVulnerable', 'personAlerts',
      'asbParties', 'complainant', 'age']) {
      assert.ok(personalMatch(name), name);
    }
    for (const name of ['uprn', 'landlordReference', 'residentialUnits', 'storeys', 'heightMetres', 'tenureGroup', 'population', 'responses', 'satisfied',
      'numerator', 'publisher', 'landlord', 'localAuthority', 'buildYear', 'higherRisk', 'openCases', 'rentType', 'needsType']) {
      assert.equal(personalMatch(name), null, name);
    }
  });
});

describe('validateRecords lets nothing personal through', () => {
  test('a record carrying a personal field is refused, naming the field, and the value is not repeated', () => {
    const { valid, errors } = validateRecords([
      { ...EXAMPLE_HOME, tenantName: 'Jane Smith' },
      { ...EXAMPLE_HOME, dateOfBirth: '1961-07-04' },
      { ...EXAMPLE_HOME, block: { ...EXAMPLE_HOME.block, occupants: ['Jane Smith'] } },
      { ...EXAMPLE_MEASURES, asbParties: [{ name: 'A Person', role: 'perpetrator' }] },
      EXAMPLE_HOME,
    ]);
    assert.deepEqual(valid, [EXAMPLE_HOME]);
    assert.deepEqual(errors.map((e) => [e.index, e.field]), [[0, '/tenantName'], [1, '/dateOfBirth'], [2, '/block/occupants'], [3, '/asbParties']]);
    for (const e of errors) {
      assert.match(e.message, /not a field of the standard, and looks like personal data/);
      assert.doesNotMatch(e.message, /Jane|Smith|1961|A Person/);
    }
  });

  test('an unknown field that does not look personal is refused all the same', () => {
    const { valid, errors } = validateRecords([{ ...EXAMPLE_HOME, colour: 'red' }]);
    assert.equal(valid.length, 0);
    assert.deepEqual(errors.map((e) => [e.index, e.field]), [[0, '/colour']]);
    assert.match(errors[0]!.message, /^colour is not a field of the standard \(version 1\.0\)/);
  });
});
