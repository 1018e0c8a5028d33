// Issue 13: each edit is a record change visible in the Person page's timeline with who made it and when — a phone
// number changed through the page, someone joining a tenancy through the page (on the timelines of both people and in
// the home's "Recent changes"), alerts added only for roles that may see alerts; and the tenancy links of the person
// page, the same as the home page's: add someone, add a note, record that someone (not the lead tenant) left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { staffSession } from '../support/staff.ts';

let h: Harness;
let L: Landlord;
let home: string, lead: string, joiner: string, tenancy: string;
const password = 'a long test password 1';
const emails = new Map<string, string>();

const created = async (url: string, body: object) => {
  const r = await api(h, 'POST', url, L.as.administrator, body);
  assert.equal(r.status, 201, `${url}: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
};

/** A signed-in member of staff: `get` opens a page (keeping its CSRF token), `post` sends a form with it. */
async function staff(role: Role, name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${L.id.slice(-6)}@example.org`;
  emails.set(name, email);
  return staffSession(h, L.id, role, name, email);
}
const field = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';
const errors = (body: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? body.slice(0, 500);

/** The timeline's entries as text: "when | what". */
function timeline(body: string): string[] {
  const list = /<ol class="hearth-timeline"[\s\S]*?<\/ol>/.exec(body)?.[0] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => {
    const ps = [...m[1]!.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)].map((p) => p[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
    return `${ps[0]} | ${ps[1]}`;
  });
}

/** "2 December 2026 at 2:31pm" for an instant, in UK time: how GOV.UK writes a date and time. */
function govukDateTime(at: Date): string {
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  const [hh, mm] = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' }).split(':').map(Number) as [number, number];
  const time = hh === 12 && mm === 0 ? 'midday' : hh === 0 && mm === 0 ? 'midnight' : `${hh % 12 || 12}${mm ? `:${String(mm).padStart(2, '0')}` : ''}${hh < 12 ? 'am' : 'pm'}`;
  return `${date} at ${time}`;
}

/** When the newest audit entry of this kind for this record was written. */
const auditedAt = async (entityId: string, action: string) => h.store.withOrg(L.id, async (tx) => new Date(((await tx.execute(sql`select at from audit_events
  where entity_id = ${entityId} and action = ${action} order by at desc limit 1`)).rows[0] as { at: string | Date }).at));

before(async () => {
  h = await harness();
  L = await landlord(h, 'Timeline edits landlord');
  home = await created('/api/v1/homes', sample.home({ subBuilding: 'Flat 4' }));
  lead = await created('/api/v1/people', sample.person({ givenName: 'Amara', familyName: 'Okafor', contactPoints: [] }));
  joiner = await created('/api/v1/people', sample.person({ givenName: 'Kofi', familyName: 'Mensah', dateOfBirth: '1990-05-01', contactPoints: [] }));
  tenancy = await created('/api/v1/tenancies', { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: home,
    members: [{ personId: lead, role: 'lead' }] });
  // An alert added through the API (by the administrator's token): an edit, seen only by roles that may see alerts.
  await created('/api/v1/alerts', { personId: lead, hactCode: '10', category: 'RISK', confidentiality: 'standard', startDate: '2024-01-01', description: 'Dog at the property' });
});
after(() => h.close());

test('a phone number changed through the page is on the timeline with who and when', async () => {
  const sam = await staff('housing-officer', 'Sam Okafor');
  const form = await sam.get(`/people/${lead}/contact-details`);
  assert.equal(form.statusCode, 200);
  const saved = await sam.post(`/people/${lead}/contact-details`, {
    formToken: field(form.body, 'formToken'), version: field(form.body, 'version'), mobilePhone: '07700 900 123', homePhone: '', workPhone: '', email: '',
  });
  assert.equal(saved.statusCode, 303, errors(saved.body));
  const page = await sam.get(`/people/${lead}`);
  assert.equal(page.statusCode, 200);
  const when = govukDateTime(await auditedAt(lead, 'update'));
  assert.match(when, /^\d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d{2})?(am|pm)|midday|midnight)$/);
  const entries = timeline(page.body);
  assert.ok(entries.includes(`${when} | Sam Okafor changed the phone numbers or email`), entries.join('\n'));
  // The alert added through the API, with who added it and a link to it (for a role that may see alerts).
  assert.ok(entries.some((e) => / \| .+ added an alert$/.test(e)), entries.join('\n'));
  assert.match(page.body, new RegExp(`href="/people/${lead}/alerts/[0-9a-f-]+">[^<]* added an alert</a>`));
});

test('someone joins the tenancy through the page: on both people’s timelines and the home’s recent changes, who recorded it and when', async () => {
  const priya = await staff('housing-officer', 'Priya Shah');
  const url = `/tenancies/${tenancy}/members/new`;
  const found = await priya.get(`${url}?q=kofi`);
  assert.equal(found.statusCode, 200);
  const joined = await priya.post(url, { formToken: field(found.body, 'formToken'), version: field(found.body, 'version'), personId: joiner,
    role: 'household-member', relationship: 'Son', 'startDate-day': '1', 'startDate-month': '3', 'startDate-year': '2024' });
  assert.equal(joined.statusCode, 303, errors(joined.body));
  const when = govukDateTime(await auditedAt(tenancy, 'tenancy-member-joined'));

  const his = timeline((await priya.get(`/people/${joiner}`)).body);
  assert.ok(his.includes(`${when} | Joined tenancy T-1 as household member from 1 March 2024 — recorded by Priya Shah`), his.join('\n'));
  const hers = timeline((await priya.get(`/people/${lead}`)).body);
  assert.ok(hers.includes(`${when} | Kofi Mensah joined tenancy T-1 as household member from 1 March 2024 — recorded by Priya Shah`), hers.join('\n'));
  assert.deepEqual(hers.map((e) => e.split(' | ')[1]).filter((t) => /recorded by|changed the|added an alert/.test(t!)).length, 3, 'the join, the phone change and the alert');

  const homePage = await priya.get(`/homes/${home}`);
  assert.match(homePage.body, /<h2 class="govuk-heading-m">Recent changes<\/h2>/);
  assert.ok(homePage.body.replace(/\s+/g, ' ').includes(`Kofi Mensah joined tenancy T-1 as household member from 1 March 2024 — recorded by Priya Shah <span class="hearth-meta">(${when})</span>`),
    'the home page lists the change with when');
});

test('the person page has the home page’s tenancy links for roles that may write; none for the lead tenant leaving; none for an analyst', async () => {
  const officer = await staff('housing-officer', 'Olivia Officer');
  const leadPage = (await officer.get(`/people/${lead}`)).body;
  const homePage = (await officer.get(`/homes/${home}`)).body;
  for (const body of [leadPage, homePage]) {
    assert.match(body, new RegExp(`href="/tenancies/${tenancy}/members/new"`), 'add someone to this tenancy');
    assert.match(body, new RegExp(`href="/tenancies/${tenancy}/notes/new"`), 'add a note about the tenancy');
    assert.match(body, new RegExp(`href="/tenancies/${tenancy}/members/${joiner}/end"`), 'record that Kofi left');
    assert.doesNotMatch(body, new RegExp(`href="/tenancies/${tenancy}/members/${lead}/end"`), 'the lead tenant cannot leave this way');
  }
  // On Kofi's own page: he may be recorded as having left, from his tenancy's row.
  const hisPage = (await officer.get(`/people/${joiner}`)).body;
  assert.match(hisPage, new RegExp(`href="/tenancies/${tenancy}/members/${joiner}/end"`));
  assert.doesNotMatch(hisPage, new RegExp(`href="/tenancies/${tenancy}/members/${lead}/end"`));

  const analyst = await staff('analyst', 'Andrew Analyst');
  const seen = await analyst.get(`/people/${lead}`);
  assert.equal(seen.statusCode, 200);
  assert.doesNotMatch(seen.body, /\/tenancies\/[^"]+\/(members|notes)\//, 'no links to forms the role cannot use');
});

test('an analyst (no alerts:read) sees the edits but no alert entries, and reads no alert', async () => {
  const analyst = await staff('analyst', 'Ann Analyst');
  const reads = async () => Number(((await h.store.withOrg(L.id, (tx) => tx.execute(sql`select count(*)::int as n from audit_events
    where action = 'read-sensitive' and entity_kind = 'person-alert'`))).rows[0] as { n: number }).n);
  const before = await reads();
  const page = await analyst.get(`/people/${lead}`);
  assert.equal(page.statusCode, 200);
  const entries = timeline(page.body);
  assert.ok(entries.some((e) => e.endsWith('| Sam Okafor changed the phone numbers or email')), entries.join('\n'));
  assert.ok(entries.some((e) => e.endsWith('| Kofi Mensah joined tenancy T-1 as household member from 1 March 2024 — recorded by Priya Shah')), entries.join('\n'));
  assert.ok(!entries.some((e) => /alert/i.test(e)), entries.join('\n'));
  assert.doesNotMatch(page.body, /\/alerts\//);
  assert.equal(await reads(), before, 'no alert read, so none audited');
  // A housing officer, who may see alerts, sees the alert entry (and its read is audited).
  const officer = await staff('housing-officer', 'Omar Officer');
  assert.ok(timeline((await officer.get(`/people/${lead}`)).body).some((e) => e.endsWith(' added an alert')));
  assert.ok(await reads() > before);
});

test('the person and home pages, with edits and tenancy changes on them, pass axe (every rule)', async (t) => {
  const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);
  const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/people/${lead}`);
  await page.getByLabel('Email address', { exact: true }).fill(emails.get('Sam Okafor')!);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  for (const url of [`/people/${lead}`, `/people/${joiner}`, `/homes/${home}`]) {
    await page.goto(`${base}${url}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const r = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(r.violations.map((v) => `[${v.impact}] ${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), [], url);
  }
});
