// Issue 13, defect 8: words meant for developers were shown to users on the import pages: problem codes
// ('date-two-digit-year'), "score 12.6, next homes 2", settings the page does not offer ("set the column's format to
// dmy-yy with a century rule", "choose dmy or mdy in the mapping"), and one long message shown as both the hint and
// the error of a date column. The error summaries listed errors in another order than the fields on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { detectKind } from '../../src/modules/ingest/mapping.ts';
import { NORMALISE_RULES } from '../../src/modules/ingest/normalise.ts';
import { ROW_RULES } from '../../src/modules/ingest/convert.ts';
import { PROBLEM_WORDS } from '../../src/modules/ingest/words.ts';

let h: Harness;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-plain-words-'));
before(async () => { h = await harness(); });
after(async () => { await h?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function dataLead(orgId: string) {
  const password = 'a long test password 1';
  const email = `data-lead.${orgId.slice(-8)}@example.org`;
  await h.auth.addUser({ organisationId: orgId, email, name: 'Test data lead', role: 'data-lead', password });
  return `hearth_session=${(await h.auth.signIn(email, password))!.token}`;
}

/** The upload form, posted as the browser does (multipart, its CSRF token first). */
async function uploader(session: string) {
  const form = await h.app.inject({ method: 'GET', url: '/imports/new', headers: { cookie: session } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = `${session}; ${form.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
  const send = async (fields: Record<string, string>, file?: { name: string; text: string }) => {
    const body = new FormData();
    for (const [k, v] of Object.entries({ _csrf: csrf, ...fields })) body.append(k, v);
    body.append('file', file ? new Blob([file.text], { type: 'text/csv' }) : new Blob([]), file?.name ?? '');
    const request = new Request('http://hearth.test/', { method: 'POST', body });
    return h.app.inject({ method: 'POST', url: '/imports/new', headers: { cookie, 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
  };
  return { send, cookie, csrf };
}

const summary = (html: string) => [...(/govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(/href="(#[^"]+)"/g)].map((m) => m[1]);

test('every problem a row can have has a label and words; the import page shows them, never the code', async () => {
  for (const code of [...Object.keys(NORMALISE_RULES), ...Object.keys(ROW_RULES)]) {
    assert.ok(PROBLEM_WORDS[code]?.label, `${code} has a label`);
    assert.doesNotMatch(PROBLEM_WORDS[code]!.label + PROBLEM_WORDS[code]!.description, /[a-z]+-[a-z]+-[a-z]+|U\+0000|serial 60/, code);
  }
  const org = await landlord(h);
  const mapping = write('people-mapping.json', JSON.stringify({
    sourceSystem: 'old-housing', kind: 'people', columns: { 'Person Ref': 'sourceId', Forename: 'givenName', Surname: 'familyName', DOB: 'dateOfBirth' },
    dateFormats: { DOB: 'dmy' },
  }));
  const file = write('people.csv', 'Person Ref,Forename,Surname,DOB\nP1,Ann,Lee,13/04/1970\nP2,Bob,Ray,05/06/80\n');
  const done = await ingestFile(h.store, { organisationId: org.id, file, sourceSystem: 'old-housing', kind: 'people', mappingFile: mapping });
  const session = await dataLead(org.id);
  const page = await h.app.inject({ method: 'GET', url: `/imports/${done.importId}`, headers: { cookie: session } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Year with two digits/);
  assert.doesNotMatch(page.body, /date-two-digit-year/);
  // The example says what to do on the page, not a setting it does not offer.
  assert.match(page.body, /choose dd\/mm\/yy for how the column(’|'|&#39;)s dates are written when you check the columns/);
  assert.doesNotMatch(page.body, /century rule|set the column(’|'|&#39;)s format|dmy-yy/);
  // How the columns were read: the date format as the mapping page offers it, not the mapping file's code.
  assert.match(page.body, /Date of birth: dates written dd\/mm\/yyyy, day first/);
  assert.doesNotMatch(page.body, /\(dates dmy\)/);
});

test('the kind of file is explained by its column headings, not by scores', () => {
  const guess = detectKind(['UPRN', 'Address 1', 'Post Code', 'Property Type']);
  assert.equal(guess.kind, 'homes');
  assert.doesNotMatch(guess.reason, /score|next|\d+\.\d/);
  assert.match(guess.reason, /^The column headings look like a list of homes \(for example 'Property Type', '[^']+'\)$/);
});

test('a date column that could be day or month first: a short hint, and a short error that says which column', async () => {
  const org = await landlord(h);
  const session = await dataLead(org.id);
  const { send, cookie, csrf } = await uploader(session);
  const csv = 'Person Ref,Forename,Surname,DOB\nP1,Ann,Lee,01/02/1970\nP2,Bob,Ray,03/04/1980\nP3,Cy,Day,05/06/1990\n';
  const res = await send({ sourceSystem: 'old-housing', kind: 'people' }, { name: 'people.csv', text: csv });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const url = res.headers.location as string;
  const mapping = await h.app.inject({ method: 'GET', url, headers: { cookie: session } });
  const hint = /id="dateFormat-3-hint"[^>]*>\s*([^<]+?)\s*</.exec(mapping.body)?.[1] ?? '';
  assert.match(hint, /^No day is above 12, so the dates could be day first or month first\.$/);
  assert.doesNotMatch(mapping.body, /choose dmy|in the mapping|dmy or mdy/);

  const fields = { _csrf: csrf, 'field-0': 'sourceId', 'field-1': 'givenName', 'field-2': 'familyName', 'field-3': 'dateOfBirth', 'dateFormat-3': '' };
  const posted = await h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  assert.equal(posted.statusCode, 400);
  const error = /id="dateFormat-3-error"[^>]*>\s*<span[^>]*>Error:<\/span>\s*([^<]+?)\s*</.exec(posted.body)?.[1] ?? '';
  assert.equal(error, 'Select how the dates in “DOB” are written');
  const again = /id="dateFormat-3-hint"[^>]*>\s*([^<]+?)\s*</.exec(posted.body)?.[1] ?? '';
  assert.ok(!error.includes(again) && !again.includes('Select how'), 'the hint and the error say different things');
  assert.ok(error.split(/\s+/).length <= 12 && again.split(/\s+/).length <= 20, `short: ${error} / ${again}`);
});

test('the upload page lists its errors in the order of its fields: the system, then the file', async () => {
  const org = await landlord(h);
  const { send } = await uploader(await dataLead(org.id));
  const res = await send({ sourceSystem: '', kind: 'detect', headerRow: 'four' });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(summary(res.body), ['#sourceSystem', '#file', '#headerRow']);
});

test('the mapping page lists the mapping’s problems in the order of the columns', async () => {
  const org = await landlord(h);
  const session = await dataLead(org.id);
  const { send, cookie, csrf } = await uploader(session);
  const csv = 'Person Ref,Forename,Surname,Known As\nP1,Ann,Lee,Annie\n';
  const res = await send({ sourceSystem: 'old-housing', kind: 'people' }, { name: 'people.csv', text: csv });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const url = res.headers.location as string;
  // The given name from two columns (the second is column 4), and no column for the person's reference (about the first).
  const fields = { _csrf: csrf, 'field-0': '', 'field-1': 'givenName', 'field-2': 'familyName', 'field-3': 'givenName' };
  const posted = await h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  assert.equal(posted.statusCode, 400);
  assert.deepEqual(summary(posted.body), ['#field-0', '#field-3']);
  assert.match(posted.body, /Load given name from one column only, not from &quot;Forename&quot; and &quot;Known As&quot;/i);
});

test('a JSON file with no list of records: the upload page says what to do, not a setting it does not offer', async () => {
  const org = await landlord(h);
  const { send } = await uploader(await dataLead(org.id));
  const res = await send({ sourceSystem: 'old-housing', kind: 'people' }, { name: 'people.json', text: '{\n  "count": 0\n}' });
  assert.equal(res.statusCode, 400);
  assert.doesNotMatch(res.body, /jsonPath|in the mapping/);
  assert.match(res.body, /href="#file"[^>]*>Hearth cannot find the list of records in the selected JSON file/);
});
