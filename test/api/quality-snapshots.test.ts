// Data quality snapshots (issue 13): each run of the report keeps every check's count as the day's (one row per
// organisation, check and day, however often it runs); the first home page of the day of a data lead counts them if
// nothing has yet; "Data quality checks that got worse" lists the checks whose count today is above the last earlier
// day's, with how many more and since when, linked to the check on the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { ukDate } from '../../src/platform/uk-time.ts';

let h: Harness;
let a: Landlord;
let dataLead = '';
const password = 'a long test password 1';
const today = ukDate(new Date());
const daysBefore = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const longDate = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

type Snapshot = { check_id: string; taken_on: string; count: number; total: number };
const snapshots = (org = a.id) => h.store.withOrg(org, async (tx) => ((await tx.execute(sql`
  select check_id, taken_on::text as taken_on, count, total from quality_snapshots order by check_id, taken_on`)).rows as Snapshot[])
  .map((r) => ({ ...r, taken_on: String(r.taken_on).slice(0, 10) })));
const page = async (url: string, cookie = dataLead) => {
  const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(res.statusCode, 200, res.body);
  return res.body;
};
const worseSection = (body: string) => /<section[^>]*id="data-quality-worse"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';

before(async () => {
  h = await harness();
  a = await landlord(h);
  // Homes with no postcode: a check that finds something.
  for (let i = 0; i < 3; i++) assert.equal((await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home({ postcode: undefined }))).status, 201);
  const email = `data.${a.id.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: a.id, email, name: 'Chris Nowak', role: 'data-lead', password });
  dataLead = `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
});
after(() => h.close());

test('the first home page of the day counts the checks; the report keeps one row per check and day, the last run’s', async () => {
  assert.deepEqual(await snapshots(), []);
  const first = await page('/');
  assert.match(worseSection(first), /No data quality check has found more than the last time it was counted/, 'nothing to compare with yet');
  const taken = await snapshots();
  assert.ok(taken.length > 5, 'every check counted');
  assert.ok(taken.every((s) => s.taken_on === today));
  const found = taken.filter((s) => s.count > 0);
  assert.ok(found.length > 0, 'some check found something');

  // The report again, after one more home: still one row per check for today, with the new counts.
  await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home({ postcode: undefined }));
  await page('/data-quality');
  const again = await snapshots();
  assert.equal(again.length, taken.length);
  const grew = again.filter((s) => s.count > (taken.find((t) => t.check_id === s.check_id)?.count ?? 0));
  assert.ok(grew.length > 0, 'a check counted the new home');
  // Another landlord's counts are its own.
  const b = await landlord(h);
  assert.deepEqual(await snapshots(b.id), []);
});

test('checks whose count is above the last earlier day’s are listed, with how many more and since when', async () => {
  const now = (await snapshots()).filter((s) => s.taken_on === today);
  const [worse, same] = now.filter((s) => s.count > 0);
  assert.ok(worse && same, 'two checks that found something');
  const insert = (check: string, day: string, count: number) => h.store.withOrg(a.id, (tx) => tx.execute(sql`
    insert into quality_snapshots (organisation_id, check_id, taken_on, count, total) values (${a.id}, ${check}, ${day}::date, ${count}, 10)`));
  // Worse than the latest earlier day (2 fewer then), though better than an older one.
  await insert(worse.check_id, daysBefore(20), worse.count + 5);
  await insert(worse.check_id, daysBefore(3), worse.count - 2);
  // The same as before: not listed.
  await insert(same.check_id, daysBefore(1), same.count);

  const section = worseSection(await page('/'));
  assert.match(section, /Data quality checks that got worse <span class="hearth-meta">\(1\)<\/span>/);
  assert.match(section, new RegExp(`href="/data-quality#${worse.check_id}"`));
  assert.match(section, new RegExp(`2 more than on ${longDate(daysBefore(3))} \\(${worse.count} now\\)`));
  assert.doesNotMatch(section, new RegExp(`#${same.check_id}"`));
  assert.match(section, /govuk-tag--red">\s*Worse/);
  // The link goes to the check's row on the report.
  assert.match(await page('/data-quality'), new RegExp(`<tr class="govuk-table__row" id="${worse.check_id}">`));
  // The home page did not count again: today's rows are as they were.
  assert.deepEqual((await snapshots()).filter((s) => s.taken_on === today), now);
});
