// Names are one line of human text: control characters (C0, C1, DEL), line breaks and invisible bidirectional
// overrides are refused with a 400 naming the field (they hide or reorder what a name shows on pages, in CSVs and
// logs); letters of every script, accents, apostrophes, emoji and joiners are kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { createOrganisation } from '../../src/modules/organisations/service.ts';

let h: Harness;
let l: Landlord;
before(async () => { h = await harness(); l = await landlord(h); });
after(async () => { await h.close(); });

const HOSTILE: [string, string][] = [
  ['bell (C0)', 'Riverside\u0007 Homes'],
  ['escape (C0, terminal colours)', 'Riverside \u001b[31mHomes'],
  ['line feed', 'Riverside\nHomes'],
  ['carriage return', 'Riverside\rHomes'],
  ['tab', 'Riverside\tHomes'],
  ['delete', 'Riverside\u007fHomes'],
  ['next line (C1)', 'Riverside\u0085Homes'],
  ['C1 control', 'Riverside\u009bHomes'],
  ['right-to-left override', 'Riverside \u202eemoH'],
  ['left-to-right embedding', '\u202aRiverside Homes'],
  ['pop directional formatting', 'Riverside Homes\u202c'],
  ['right-to-left isolate', 'Riverside \u2067Homes\u2069'],
  ['first strong isolate', '\u2068Riverside Homes'],
  ['line separator', 'Riverside\u2028Homes'],
  ['byte order mark', '\ufeffRiverside Homes'],
];
const GENUINE = ["St John's Housing", 'Cymdeithas Tai Clwyd', 'Ōtautahi Homes — Trust', 'جمعية الإسكان', 'Zoë Ørsted-Łukasz', 'Homes 🏠‍🔥 Co-op', 'می‌خواهم'];

test('an organisation name with a control or bidi character is refused with a 400 naming the field', async () => {
  const org = (await api(h, 'GET', `/api/v1/organisations/${l.id}`, l.as.administrator));
  let etag = org.headers.etag as string;
  for (const [what, name] of HOSTILE) {
    const res = await api(h, 'PATCH', `/api/v1/organisations/${l.id}`, { ...l.as.administrator, 'if-match': etag }, { name });
    assert.equal(res.status, 400, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field), ['/name'], what);
    assert.match(res.body.detail, /^name /, what);
    assert.match(res.body.errors[0].message, /one line|control/, what);
  }
  for (const name of GENUINE) {
    const res = await api(h, 'PATCH', `/api/v1/organisations/${l.id}`, { ...l.as.administrator, 'if-match': etag }, { name });
    assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.name, name);
    etag = res.headers.etag as string;
  }
});

test('names of estates, blocks, homes and people are single lines too; free-text descriptions keep their line breaks', async () => {
  const admin = l.as.administrator;
  const cases: [string, Record<string, unknown>, string][] = [
    ['/api/v1/estates', { name: 'Moor\u202eEstate' }, '/name'],
    ['/api/v1/blocks', sample.block({ name: 'Bronte\u0000House' }), '/name'],
    ['/api/v1/blocks', sample.block({ street: 'Moor\nRoad' }), '/street'],
    ['/api/v1/homes', sample.home({ buildingName: 'Bronte\u2066House' }), '/buildingName'],
    ['/api/v1/homes', sample.home({ subBuilding: 'Flat\u000b12' }), '/subBuilding'],
    ['/api/v1/people', sample.person({ givenName: 'Rob\u0008ert' }), '/givenName'],
    ['/api/v1/people', sample.person({ familyName: 'Morgan\u202d' }), '/familyName'],
    ['/api/v1/people', sample.person({ preferredName: 'Bob\r\n' }), '/preferredName'],
  ];
  for (const [url, body, field] of cases) {
    const res = await api(h, 'POST', url, admin, body);
    assert.equal(res.status, 400, `${url} ${field}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `${url}: ${JSON.stringify(res.body.errors)}`);
  }
  const person = await api(h, 'POST', '/api/v1/people', admin, sample.person({ givenName: 'Siân', familyName: "O'Neill-Ōta" }));
  assert.equal(person.status, 201, JSON.stringify(person.body));
  const alert = await api(h, 'POST', '/api/v1/alerts', admin, {
    personId: person.body.id, hactCode: '20-60', category: 'AGE', confidentiality: 'standard', startDate: '2024-01-01',
    description: 'First line.\nSecond line.',
  });
  assert.equal(alert.status, 201, JSON.stringify(alert.body));
});

test('createOrganisation (hearth orgs add) refuses a control character in the name, naming the field', async () => {
  await assert.rejects(createOrganisation(h.store, { name: 'Evil\u001b[2J Homes', kind: 'private-registered-provider' }), /name/);
  await assert.rejects(createOrganisation(h.store, { name: 'Evil \u202eHomes', kind: 'private-registered-provider' }), /name/);
  const ok = await createOrganisation(h.store, { name: 'Cymdeithas Tai Ōtautahi', kind: 'private-registered-provider' });
  assert.equal(ok.name, 'Cymdeithas Tai Ōtautahi');
});
