// The demo landlord's ASB cases (src/modules/asb/demo.ts), as `hearth start` opens them on a first start: opened
// through the ASB service by the demo's ASB officer, at a block whose households are on the record — a noise case
// with actions past their target, a hate incident at high risk with its "do not visit alone" alert, drug dealing at
// the case review threshold, a closed case; opened once only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from '../support/harness.ts';
import { generateDemo } from '../../src/modules/demo/generate.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import { DEMO_ASB_OFFICER_EMAIL, openDemoAsbCases } from '../../src/modules/asb/demo.ts';
import { getCase, listCases } from '../../src/modules/asb/service.ts';
import { actionList } from '../../src/modules/asb/work.ts';
import { alertService } from '../../src/modules/people/index.ts';

let h: Harness;
let org = '';
let officer: Actor;

before(async () => {
  h = await harness();
  org = (await generateDemo(h.store, { homes: 120, seed: 21, name: `ASB Demo Homes ${process.pid}` })).organisationId;
  const user = await h.auth.addUser({ organisationId: org, role: 'asb-officer', email: DEMO_ASB_OFFICER_EMAIL, name: 'Priya Patel', password: 'a long test password for the asb demo' });
  officer = { kind: 'user', id: user.id, name: user.name, organisationId: org, role: 'asb-officer' };
});
after(() => h.close());

test('the demo opens four cases as its ASB officer, once: overdue actions, a high-risk hate case with its alert, a case review flag, a closed case', async () => {
  assert.equal(await openDemoAsbCases(h.store, org), 4);
  assert.equal(await openDemoAsbCases(h.store, org), 0, 'a second start opens none');
  await h.store.withOrg(org, async (tx) => {
    const ctx = { actor: officer, tx };
    const all = (await listCases(ctx, { limit: 50 })).items;
    assert.equal(all.length, 4);
    assert.deepEqual(all.map((c) => c.status).sort(), ['closed', 'open', 'open', 'open']);
    assert.ok(all.every((c) => c.officerUserId === officer.id), 'the demo officer works them all');
    const hate = all.find((c) => c.hate)!;
    assert.equal(hate.riskLevel, 'high');
    const view = await getCase(ctx, hate.id);
    assert.equal(view.case.alertIds.length, 1);
    const [alert] = await alertService.getMany(ctx, view.case.alertIds);
    assert.equal(alert!.description, 'Do not visit alone');
    assert.equal(all.filter((c) => c.caseReviewFlaggedAt).length, 1, 'the drug dealing reported three times');
    const overdue = await actionList(ctx, { due: 'overdue', limit: 50 });
    assert.ok(overdue.total > 0, 'the officer has actions past their target');
  });
});
