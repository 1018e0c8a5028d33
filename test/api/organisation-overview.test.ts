// The organisation overview and the block page say what the higher-risk buildings register says: one rule (at least
// 18 m or 7 storeys, with at least 2 residential units; unknown is unknown), asked of insight, never coded again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
before(async () => { h = await harness(); a = await landlord(h); b = await landlord(h); });
after(() => h.close());

const unknownFacts = { storeys: undefined, heightMetres: undefined, heightMethod: undefined, heightSource: undefined, residentialUnits: undefined };

async function addBlock(who: Landlord, facts: Record<string, unknown>) {
  const r = await api(h, 'POST', '/api/v1/blocks', who.as.administrator, sample.block(facts));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

async function signedIn(who: Landlord) {
  const email = `officer.${who.id.slice(-8)}@example.org`;
  const password = 'a long test password 1';
  await h.auth.addUser({ organisationId: who.id, email, name: 'Test officer', role: 'housing-officer', password });
  const cookie = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
  return async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    return res.body;
  };
}

/** The figure shown above a label on a page of stat boxes; undefined when the page shows no such figure. */
function figure(html: string, label: string): number | undefined {
  const m = new RegExp(`hearth-stat__value">([\\d,]+)</span>\\s*<(?:a|span)[^>]*>${label}</`).exec(html);
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

test('the overview’s higher-risk figures are the register’s: a tall block of one flat is not higher-risk, a block with nothing recorded needs data', async () => {
  const tower = await addBlock(a, { name: 'Moor Tower', storeys: 12, heightMetres: 36, residentialUnits: 48 });
  const oneFlat = await addBlock(a, { name: 'Tall Single House', storeys: 6, heightMetres: 20, residentialUnits: 1 });
  const unknown = await addBlock(a, { name: 'Unsurveyed House', ...unknownFacts });
  await addBlock(b, { name: 'Other landlord tower', storeys: 20, heightMetres: 60, residentialUnits: 80 });

  const reg = await api(h, 'GET', '/api/v1/insight/higher-risk-buildings', a.as.analyst);
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  assert.deepEqual(reg.body.counts, { blocks: 3, higherRisk: 1, dataNeeded: 1, notHigherRisk: 1 });
  assert.deepEqual(reg.body.higherRisk.map((x: { id: string }) => x.id), [tower]);
  assert.deepEqual(reg.body.dataNeeded.map((x: { id: string }) => x.id), [unknown]);
  assert.deepEqual(reg.body.notHigherRisk.map((x: { id: string }) => x.id), [oneFlat]);

  const get = await signedIn(a);
  const overview = await get('/overview');
  assert.equal(figure(overview, 'Blocks'), 3);
  assert.equal(figure(overview, 'Higher-risk blocks'), reg.body.counts.higherRisk, 'the 20 m block of one flat is not counted as higher-risk');
  assert.equal(figure(overview, 'Blocks needing data'), reg.body.counts.dataNeeded, 'the block with no height and no units is counted as needing data');
  assert.doesNotMatch(overview, /18 m or 7 storeys/, 'no count of its own by height and storeys alone');

  // The dashboard agrees too.
  const summary = await api(h, 'GET', '/api/v1/insight/summary', a.as.analyst);
  assert.deepEqual(summary.body.higherRiskBuildings, { blocks: 3, higherRisk: 1, dataNeeded: 1 });

  // Each block's page says what the register says about it, and why.
  const towerPage = await get(`/blocks/${tower}`);
  assert.match(towerPage, /govuk-tag--red[^"]*">\s*Higher-risk building\s*</);
  assert.match(towerPage, /height 36 m is at least 18 m/);
  const oneFlatPage = await get(`/blocks/${oneFlat}`);
  assert.doesNotMatch(oneFlatPage, /Higher-risk building\s*</);
  assert.doesNotMatch(oneFlatPage, /18 m or 7 storeys and over/);
  assert.match(oneFlatPage, /Not higher-risk/);
  assert.match(oneFlatPage, /1 residential unit \(recorded\); the Act needs at least 2/);
  const unknownPage = await get(`/blocks/${unknown}`);
  assert.match(unknownPage, /Data needed/);
  assert.match(unknownPage, /residential units are not recorded/);
  assert.match(unknownPage, /Height not recorded/);

  // Another landlord's overview counts only its own.
  const overviewB = await (await signedIn(b))('/overview');
  assert.equal(figure(overviewB, 'Higher-risk blocks'), 1);
  assert.equal(figure(overviewB, 'Blocks needing data'), 0);
});
