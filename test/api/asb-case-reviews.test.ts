// The ASB Case Review (issue 15, formerly the community trigger) against the real database: a case that meets the
// threshold (three reports within a month of their incidents) has its review recorded through the service, the API
// and the case page: its date, outcome and recommendations; an outcome before the review is held is a 400 naming
// /outcome; another landlord's case or another case's review is a 404; a repairs planner gets 403; a closed case
// still takes its review; recording the same again leaves one review and one audit row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { govukDate, ukDate } from '../../src/platform/uk-time.ts';
import { harness, landlord, api, type Harness, type Landlord } from '../support/harness.ts';
import { staffSession, type StaffSession } from '../support/staff.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { addIncident, getCase, openCase } from '../../src/modules/asb/service.ts';
import { recordCaseReview } from '../../src/modules/asb/case-reviews.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let officerPage: StaffSession;
let adminPage: StaffSession;
let plannerPage: StaffSession;

const DAY = 86_400_000;
const daysAgo = (n: number) => ukDate(new Date(Date.now() - n * DAY));
const officer = (who: Landlord): Actor => ({ kind: 'user', id: '00000000-0000-7000-8000-0000000000d1', name: 'Olu Officer', organisationId: who.id, role: 'asb-officer' });
const planner = (who: Landlord): Actor => ({ kind: 'user', id: '00000000-0000-7000-8000-0000000000d2', name: 'Pat Planner', organisationId: who.id, role: 'repairs-planner' });
const as = <T>(who: Landlord, actor: Actor, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor, tx }));
const unique = `${process.pid}-${Date.now()}`;

/**
 * A case opened `openedDaysAgo` days ago whose complainant reported three incidents on three days running, each the
 * day it happened: the third meets the national threshold and flags the case with a case review.
 */
async function flaggedCase(who: Landlord, openedDaysAgo = 10): Promise<{ caseId: string; reviewId: string }> {
  return as(who, officer(who), async (ctx) => {
    const day = (n: number) => new Date(Date.now() - (openedDaysAgo - n) * DAY);
    const opened = await openCase(ctx, {
      summary: 'Shouting and banging on the stairs at night', categories: ['noise'],
      parties: [{ role: 'complainant', kind: 'unknown', name: 'Carys Jones' }, { role: 'alleged-perpetrator', kind: 'unknown', name: 'The man at number 4' }],
      places: [], incident: { occurredOn: ukDate(day(0)), description: 'Banging until 2am', reportedByPartyIndex: 0 },
    }, day(0));
    const by = opened.parties[0]!.id;
    await addIncident(ctx, opened.case.id, { occurredOn: ukDate(day(1)), description: 'Shouting on the stairs', reportedByPartyId: by }, day(1));
    const third = await addIncident(ctx, opened.case.id, { occurredOn: ukDate(day(2)), description: 'Banging again', reportedByPartyId: by }, day(2));
    assert.equal(third.caseReview.newlyFlagged, true, 'the third report meets the threshold');
    const view = await getCase(ctx, opened.case.id);
    assert.equal(view.caseReviews.length, 1);
    return { caseId: opened.case.id, reviewId: view.caseReviews[0]!.id };
  });
}

async function put(headers: Record<string, string>, caseId: string, reviewId: string, payload: unknown) {
  const res = await h.app.inject({ method: 'PUT', url: `/api/v1/asb-cases/${caseId}/case-reviews/${reviewId}`, headers, payload: payload as object });
  return { status: res.statusCode, body: res.json() };
}

const auditRows = async (caseId: string) => {
  const r = await api(h, 'GET', `/api/v1/audit-events?limit=50&action=asb-case-review-recorded&entityId=${caseId}`, a.as.administrator);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items as { entityKind: string; detail: Record<string, unknown> }[];
};

/** The case page form's three date boxes for a UK date. */
const dateBoxes = (date: string) => {
  const [year, month, day] = date.split('-');
  return { 'reviewOn-day': String(Number(day)), 'reviewOn-month': String(Number(month)), 'reviewOn-year': year! };
};
function tokenOf(body: string, action: string): string {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/.]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(body);
  assert.ok(form, `a form posting to ${action}`);
  const token = /name="formToken" value="([^"]+)"/.exec(form[1]!)?.[1];
  assert.ok(token, `the form posting to ${action} has a token`);
  return token;
}

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  officerPage = await staffSession(h, a.id, 'asb-officer', 'Olu Officer', `asb-officer-${unique}@case-reviews.example`);
  adminPage = await staffSession(h, a.id, 'administrator', 'Ada Admin', `admin-${unique}@case-reviews.example`);
  plannerPage = await staffSession(h, a.id, 'repairs-planner', 'Pat Planner', `planner-${unique}@case-reviews.example`);
});
after(() => h.close());

test('the service records the review\'s date, outcome and trimmed recommendations, audited against the case; the same again changes nothing', async () => {
  const { caseId, reviewId } = await flaggedCase(a);
  const input = { reviewOn: daysAgo(3), outcome: 'recommendations-made' as const, recommendations: '  Joint visit by the police and housing within 10 working days.  ' };
  const first = await as(a, officer(a), (ctx) => recordCaseReview(ctx, caseId, reviewId, input));
  assert.equal(first.reviewOn, daysAgo(3));
  assert.equal(first.outcome, 'recommendations-made');
  assert.equal(first.recommendations, 'Joint visit by the police and housing within 10 working days.');
  const again = await as(a, officer(a), (ctx) => recordCaseReview(ctx, caseId, reviewId, input));
  assert.equal(again.version, first.version, 'the same values again write nothing');
  const view = await as(a, officer(a), (ctx) => getCase(ctx, caseId));
  assert.equal(view.caseReviews.length, 1, 'one review, recorded twice');
  assert.equal(view.caseReviews[0]!.outcome, 'recommendations-made');
  const rows = await auditRows(caseId);
  assert.equal(rows.length, 1, 'audited once');
  assert.equal(rows[0]!.entityKind, 'asb-case');
  assert.equal(rows[0]!.detail.reviewId, reviewId);
  assert.equal(JSON.stringify(rows[0]!.detail).includes('Joint visit'), false, 'the audit row does not carry the case\'s words');

  // A change is a new version and a second audit row; the outcome can be taken back to none.
  const cleared = await as(a, officer(a), (ctx) => recordCaseReview(ctx, caseId, reviewId, { reviewOn: daysAgo(3), outcome: null, recommendations: null }));
  assert.equal(cleared.outcome, null);
  assert.equal(cleared.recommendations, null);
  assert.equal(cleared.version, first.version + 1);
  assert.equal((await auditRows(caseId)).length, 2);
});

test('through the API: a planned review, then its outcome once held; bad input names the field', async () => {
  const { caseId, reviewId } = await flaggedCase(a);
  const asOfficer = a.as['asb-officer'];
  const inAWeek = ukDate(new Date(Date.now() + 7 * DAY));

  const early = await put(asOfficer, caseId, reviewId, { reviewOn: inAWeek, outcome: 'no-further-action' });
  assert.equal(early.status, 400, JSON.stringify(early.body));
  assert.deepEqual(early.body.errors.map((e: { field: string }) => e.field), ['/outcome']);
  assert.match(early.body.errors[0].message, /once the review has been held/);

  const planned = await put(asOfficer, caseId, reviewId, { reviewOn: inAWeek });
  assert.equal(planned.status, 200, JSON.stringify(planned.body));
  assert.equal(planned.body.reviewOn, inAWeek);
  assert.equal(planned.body.outcome, null);
  assert.deepEqual(planned.body.finding, ['National threshold: met. 3 qualifying reports (3 needed).']);

  const noWords = await put(asOfficer, caseId, reviewId, { reviewOn: daysAgo(1), outcome: 'recommendations-made', recommendations: '   ' });
  assert.equal(noWords.status, 400);
  assert.deepEqual(noWords.body.errors.map((e: { field: string }) => e.field), ['/recommendations']);
  const beforeOpened = await put(asOfficer, caseId, reviewId, { reviewOn: daysAgo(30), outcome: 'no-further-action' });
  assert.equal(beforeOpened.status, 400);
  assert.deepEqual(beforeOpened.body.errors.map((e: { field: string }) => e.field), ['/reviewOn']);
  const notADate = await put(asOfficer, caseId, reviewId, { reviewOn: '2026-02-30' });
  assert.equal(notADate.status, 400);
  assert.equal(notADate.body.errors[0].field, '/reviewOn');
  const unknown = await put(asOfficer, caseId, reviewId, { reviewOn: daysAgo(1), outcome: 'sorted' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.errors[0].field, '/outcome');

  const held = await put(asOfficer, caseId, reviewId, { reviewOn: daysAgo(1), outcome: 'referred-elsewhere', recommendations: 'Referred to the council\'s complaints process.' });
  assert.equal(held.status, 200, JSON.stringify(held.body));
  assert.equal(held.body.outcome, 'referred-elsewhere');
  assert.equal(held.body.outcomeLabel, 'Referred elsewhere');
  const same = await put(asOfficer, caseId, reviewId, { reviewOn: daysAgo(1), outcome: 'referred-elsewhere', recommendations: 'Referred to the council\'s complaints process.' });
  assert.equal(same.status, 200);
  assert.equal(same.body.version, held.body.version, 'sending the same again changes nothing');
  const view = await api(h, 'GET', `/api/v1/asb-cases/${caseId}`, asOfficer);
  assert.deepEqual(view.body.caseReviews.map((r: { outcome: string; reviewOn: string; recommendations: string }) => [r.outcome, r.reviewOn, r.recommendations]),
    [['referred-elsewhere', daysAgo(1), 'Referred to the council\'s complaints process.']]);
  assert.equal((await auditRows(caseId)).length, 2, 'the planned date and the outcome');
});

test('another landlord\'s case, another case\'s review or no such review is a 404; a repairs planner gets 403', async () => {
  const mine = await flaggedCase(a);
  const other = await flaggedCase(a);
  const theirs = await flaggedCase(b);
  const body = { reviewOn: daysAgo(1), outcome: 'no-further-action' as const };
  assert.equal((await put(a.as['asb-officer'], theirs.caseId, theirs.reviewId, body)).status, 404, 'another landlord\'s case');
  assert.equal((await put(a.as['asb-officer'], mine.caseId, other.reviewId, body)).status, 404, 'a review of another case');
  assert.equal((await put(a.as['asb-officer'], mine.caseId, crypto.randomUUID(), body)).status, 404, 'no such review');
  const refused = await put(a.as['repairs-planner'], mine.caseId, mine.reviewId, body);
  assert.equal(refused.status, 403);
  assert.equal((await put(a.as.administrator, mine.caseId, mine.reviewId, body)).status, 403, 'administrators read cases, they do not work them');
  await assert.rejects(as(a, planner(a), (ctx) => recordCaseReview(ctx, mine.caseId, mine.reviewId, body)), { status: 403 });
  await assert.rejects(as(a, officer(a), (ctx) => recordCaseReview(ctx, theirs.caseId, theirs.reviewId, body)), { status: 404 });
  // Nothing was written by any of them.
  const view = await as(a, officer(a), (ctx) => getCase(ctx, mine.caseId));
  assert.equal(view.caseReviews[0]!.reviewOn, null);
  assert.equal((await as(b, officer(b), (ctx) => getCase(ctx, theirs.caseId))).caseReviews[0]!.reviewOn, null);
});

test('a closed case still takes its review: one may be asked for after the case closed', async () => {
  const { caseId, reviewId } = await flaggedCase(a);
  const closed = await api(h, 'POST', `/api/v1/asb-cases/${caseId}/close`, a.as['asb-officer'], { reason: 'no-further-action' });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  const r = await put(a.as['asb-officer'], caseId, reviewId, { reviewOn: daysAgo(0), outcome: 'no-further-action' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.outcome, 'no-further-action');
});

test('the case page shows the finding and records the review with its form: errors name the field, then the outcome is shown', async () => {
  const { caseId, reviewId } = await flaggedCase(a);
  const url = `/asb/cases/${caseId}`;
  const action = `/asb/cases/${caseId}/case-reviews/${reviewId}`;
  const page = await officerPage.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h2 class="govuk-heading-m" id="case-review"[^>]*>ASB Case Review<\/h2>/);
  assert.ok(page.body.includes('National threshold: met. 3 qualifying reports (3 needed).'), 'the finding in words');
  assert.match(page.body, /No review has been recorded yet/);

  // Not a real date: named, on its box, and nothing recorded.
  const bad = await officerPage.post(action, { formToken: tokenOf(page.body, action), 'reviewOn-day': '31', 'reviewOn-month': '2', 'reviewOn-year': '2026', reviewOutcome: 'no-further-action' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /class="govuk-error-summary"/);
  assert.match(bad.body, /href="#reviewOn-day">The date of the review must be a real date/);
  // An outcome for a review still to be held: the service's refusal, on the outcome.
  const inAWeek = ukDate(new Date(Date.now() + 7 * DAY));
  const early = await officerPage.post(action, { formToken: tokenOf(bad.body, action), ...dateBoxes(inAWeek), reviewOutcome: 'no-further-action' });
  assert.equal(early.statusCode, 400);
  assert.match(early.body, /href="#reviewOutcome">The outcome can only be recorded once the review has been held/);
  const stillNone = await as(a, officer(a), (ctx) => getCase(ctx, caseId));
  assert.equal(stillNone.caseReviews[0]!.reviewOn, null);

  const fields = { ...dateBoxes(daysAgo(1)), reviewOutcome: 'recommendations-made', reviewRecommendations: 'A mediation meeting; noise monitoring for four weeks.' };
  const goodToken = tokenOf(early.body, action);
  const good = await officerPage.post(action, { formToken: goodToken, ...fields });
  assert.equal(good.statusCode, 303, good.body);
  assert.equal(good.headers.location, `${url}?done=case-review#case-review`);
  const shown = await officerPage.get(`${url}?done=case-review`);
  assert.match(shown.body, /ASB Case Review recorded/);
  assert.match(shown.body, new RegExp(`Review date\\s*</dt>\\s*<dd[^>]*>\\s*${govukDate(daysAgo(1))}`));
  assert.match(shown.body, /Outcome\s*<\/dt>\s*<dd[^>]*>\s*Recommendations made/);
  assert.match(shown.body, /A mediation meeting; noise monitoring for four weeks\./);
  assert.match(shown.body, /Update the review/, 'still open to update');
  assert.match(shown.body, /value="recommendations-made" checked/, 'the form shows what is recorded');

  // The same form sent again (the back button), and the same answers in a new form: still one review, audited once.
  const repeat = await officerPage.post(action, { formToken: goodToken, ...fields });
  assert.equal(repeat.statusCode, 303);
  const resent = await officerPage.post(action, { formToken: tokenOf(shown.body, action), ...fields });
  assert.equal(resent.statusCode, 303);
  const view = await as(a, officer(a), (ctx) => getCase(ctx, caseId));
  assert.equal(view.caseReviews.length, 1);
  assert.equal(view.caseReviews[0]!.outcome, 'recommendations-made');
  assert.equal((await auditRows(caseId)).length, 1);

  // An administrator reads the review but has no form; a repairs planner cannot post it.
  const admin = await adminPage.get(url);
  assert.equal(admin.statusCode, 200);
  assert.match(admin.body, /Recommendations made/);
  assert.equal(admin.body.includes(`action="${action}"`), false);
  await plannerPage.get('/');
  const refused = await plannerPage.post(action, { formToken: 'x', ...dateBoxes(daysAgo(1)), reviewOutcome: 'no-further-action' });
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /You cannot open or work ASB cases/);
});
