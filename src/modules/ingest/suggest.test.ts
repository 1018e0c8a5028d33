import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suggestForFile, describeSuggestion } from './suggest.ts';
import { validateProfile } from './mapping.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-suggest-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string) => { const f = path.join(dir, name); fs.writeFileSync(f, content); return f; };

test('a tenants extract is recognised as people, mapped, and its unambiguous dates read as day/month', async () => {
  const f = write('tenants.csv', 'Forename,Surname,DOB,Tel,Prop Ref\nAda,Okafor,23/04/1981,07700 900123,PR1\nBob,Morgan,02/11/1975,,PR2\n');
  const s = await suggestForFile(f, { sourceSystem: 'housing-system' });
  assert.equal(s.kind, 'people');
  assert.deepEqual(Object.fromEntries(s.columns.map((c) => [c.header, c.field])),
    { Forename: 'givenName', Surname: 'familyName', DOB: 'dateOfBirth', Tel: 'phone', 'Prop Ref': 'homeReference' });
  assert.equal(s.dateColumns[0]!.analysis.format, 'dmy');
  assert.deepEqual(s.profile!.dateFormats, { DOB: 'dmy' });
  // No column holds the person's own reference in the source system, which upserts need: the check says so.
  assert.deepEqual(validateProfile(s.profile, s.headers).errors.map((e) => e.field), ['sourceId']);
  assert.match(describeSuggestion(s), /Forename\s+→ givenName/);
});

test('a date column that reads both ways is reported, not guessed, and left out of the profile', async () => {
  const f = write('ambiguous.csv', 'Forename,Surname,DOB\nAda,Okafor,03/04/1981\nBob,Morgan,05/06/1975\n');
  const s = await suggestForFile(f);
  assert.equal(s.dateColumns[0]!.analysis.format, 'ambiguous');
  assert.equal(s.profile!.dateFormats, undefined);
  assert.match(describeSuggestion(s), /Dates in "DOB":/);
});

test('the kind can be forced; an unknown file type or kind is a clear error', async () => {
  const f = write('mixed.ndjson', '{"Prop Ref":"PR1","Description":"Black mould in bathroom","Reported":"2024-01-05"}\n');
  assert.equal((await suggestForFile(f, { kind: 'repairs' })).kind, 'repairs');
  await assert.rejects(suggestForFile(write('x.pdf', '%PDF')), /x\.pdf: unknown file type/);
  await assert.rejects(suggestForFile(f, { kind: 'castles' as never }), /--entity must be one of/);
});

test('headers that fit nothing leave the kind to the user', async () => {
  const s = await suggestForFile(write('odd.csv', 'Colour,Flavour\nred,sweet\n'));
  assert.equal(s.kind, null);
  assert.match(describeSuggestion(s), /Choose the kind of record with --entity/);
});
