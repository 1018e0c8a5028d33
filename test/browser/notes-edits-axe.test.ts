// Issue 13: the note and tenancy change pages pass axe (every rule), with and without errors. Needs
// Chromium at /usr/bin/chromium (scripts/ensure-chromium.sh), like test/browser/pages.test.ts; fails, saying so, without it (npm test installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
const OFFICER = { email: 'officer@notes-axe.example', password: 'a long test password 1', name: 'Olivia Officer' };
let h: Harness;
let L: Landlord;
let browser: Browser;
let base: string;
let person: string, joiner: string, tenancy: string;

if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. Run: bash scripts/ensure-chromium.sh`);

before(async () => {
  const launching = chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  launching.catch(() => undefined);
  h = await harness();
  L = await landlord(h);
  await h.auth.addUser({ organisationId: L.id, role: 'housing-officer', ...OFFICER });
  const c = async (u: string, b: object) => {
    const r = await api(h, 'POST', u, L.as.administrator, b);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const home = await c('/api/v1/homes', sample.home());
  person = await c('/api/v1/people', sample.person());
  joiner = await c('/api/v1/people', sample.person({ givenName: 'Kofi' }));
  tenancy = await c('/api/v1/tenancies', { reference: 'T-1', tenancyType: 'secure', tenure: 'social-rent', startDate: new Date(Date.now() + 5 * 864e5).toISOString().slice(0, 10),
    homeId: home, members: [{ personId: person, role: 'lead' }, { personId: joiner, role: 'household-member' }] });
  const note = await c('/api/v1/notes', { subjectKind: 'home', homeId: home, noteType: 'Visit', text: 'Fix the gate' });
  await h.store.withOrg(L.id, (tx) => tx.execute(sql`update notes set action_due = current_date - 1 where id = ${note}`));
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launching;
});
after(async () => { await browser?.close(); await h?.close(); });

async function accessible(page: Page, name: string) {
  const r = await new AxeBuilder({ page }).analyze();
  const report = r.violations.map((v) => `[${v.impact}] ${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`).join('\n');
  assert.equal(r.violations.length, 0, `${name}:\n${report}`);
}

test('the note and tenancy change pages pass axe, with and without errors', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  await page.goto(`${base}/people/${person}/notes/new`);
  await page.getByLabel('Email address', { exact: true }).fill(OFFICER.email);
  await page.getByLabel('Password').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Add a note' }).waitFor();
  await accessible(page, 'add a note');
  await page.getByRole('button', { name: 'Add the note' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await accessible(page, 'add a note with errors');
  await page.goto(`${base}/notes/to-action`);
  await page.getByText('Fix the gate').waitFor();
  await accessible(page, 'notes to action');
  await page.goto(`${base}/tenancies/starting-or-ending`);
  await page.getByText('tenancy T-1').waitFor();
  await accessible(page, 'tenancies starting or ending');
  await page.goto(`${base}/tenancies/${tenancy}/members/new?q=robert`);
  await accessible(page, 'add someone to the tenancy');
  await page.getByRole('button', { name: 'Add them to the tenancy' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await accessible(page, 'add someone with errors');
  await page.goto(`${base}/tenancies/${tenancy}/members/${joiner}/end`);
  await accessible(page, 'someone leaves');
  await page.getByRole('button', { name: 'Record that they have left' }).click();
  await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
  await accessible(page, 'someone leaves with errors');
  await page.goto(`${base}/tenancies/${tenancy}/members/${person}/end`);
  await accessible(page, 'the lead tenant');
  await context.close();
});
