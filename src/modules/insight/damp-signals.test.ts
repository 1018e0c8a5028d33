import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hazardShows, noteShows, repairShows, textShows, ukDay } from './damp-signals.ts';
import { ageReason, alertReason, lastTwelveMonths, whyOnList } from './damp-register.ts';

const job = (description: string, extra: { trade?: string | null; sorCode?: string | null; location?: string | null } = {}) =>
  repairShows({ description, location: null, trade: null, sorCode: null, ...extra });

test('the evidence is each sentence that shows damp, word for word, in order', () => {
  assert.deepEqual(textShows('Leak fixed.  Black mould on the ceiling!\nTenant says "it smells musty" in the hall. Door eased.'), {
    kinds: ['mould', 'smell'], sentences: ['Black mould on the ceiling!', 'Tenant says "it smells musty" in the hall.'],
  });
  assert.deepEqual(textShows('No sign of mould anywhere.'), { kinds: [], sentences: [] });
  assert.deepEqual(textShows(null), { kinds: [], sentences: [] });
});

test('repairs: words, a damp and mould SOR code, or a damp and mould trade when the code does not say more', () => {
  assert.deepEqual(job('Black mould in the bathroom.', { trade: 'Damp and mould', sorCode: '626010' }),
    { basis: ['text', 'code'], kinds: ['mould'], evidence: ['Black mould in the bathroom.', 'SOR code: 626010 (Damp and mould)'] });
  assert.deepEqual(job('Job raised by phone.', { sorCode: ' 626 210 ' }), { basis: ['code'], kinds: ['damp', 'mould'], evidence: ['SOR code: 626210'] });
  assert.deepEqual(job('Job raised by phone.', { trade: 'Mould treatment' }), { basis: ['code'], kinds: ['mould'], evidence: ['Trade: Mould treatment'] });
  assert.equal(job('Damp check carried out: no issues found.', { trade: 'Damp and mould', sorCode: '626900' }), null, 'a survey code: its words decide, not its trade');
  assert.equal(job('Damp proof course injected.', { trade: 'Damp and mould', sorCode: '626400' }), null, 'a planned damp-proof course is prevention');
  assert.equal(job('Injected the wall.', { trade: 'Damp proofing' }), null);
  assert.equal(job('Replaced the coving and mouldings.', { trade: 'Plasterer', sorCode: '625110' }), null);
  assert.deepEqual(job('Ceiling stained.', { location: 'Damp bedroom' })?.evidence, ['Damp bedroom'], 'the location counts as words too');
});

test('notes and hazard reports', () => {
  assert.deepEqual(noteShows({ text: 'Called about damp in the bedroom. Visit booked.' }), { basis: ['text'], kinds: ['damp'], evidence: ['Called about damp in the bedroom.'] });
  assert.equal(noteShows({ text: 'Wiped with a damp cloth; no mould found.' }), null);
  assert.deepEqual(hazardShows({ hazard: 'damp-and-mould', severity: 'emergency', description: 'Tenant reports a cold flat.' }),
    { basis: ['hazard'], kinds: ['damp', 'mould'], evidence: ['HHSRS hazard: damp and mould growth (emergency)'] });
  assert.deepEqual(hazardShows({ hazard: 'excess-cold', severity: 'significant', description: 'No heating. Mould on the walls.' })?.basis, ['text']);
  assert.equal(hazardShows({ hazard: 'excess-cold', severity: 'significant', description: 'No heating.' }), null);
});

test('a moment is dated by the UK calendar', () => {
  assert.equal(ukDay('2025-06-03T23:30:00Z'), '2025-06-04', 'BST');
  assert.equal(ukDay('2025-01-03T23:30:00Z'), '2025-01-03', 'GMT');
  assert.equal(ukDay(null), null);
});

test('who is at greater risk from damp, in words; why a home is on the list', () => {
  assert.equal(alertReason({ hactCode: '20-30', category: 'MH' }), 'Health condition');
  assert.equal(alertReason({ hactCode: '20', category: 'PREG' }), 'Pregnancy');
  assert.equal(alertReason({ hactCode: '20-60', category: 'AGE' }), 'Older person');
  assert.equal(alertReason({ hactCode: '0', category: 'AGE' }), 'Young child or older person');
  assert.equal(ageReason('2022-06-01', '2026-05-31'), 'Child under 5');
  assert.equal(ageReason('2021-06-01', '2026-06-01'), null, 'five today');
  assert.equal(ageReason('1951-06-01', '2026-06-01'), 'Aged 75 or over');
  assert.equal(ageReason('1951-06-02', '2026-06-01'), null);
  assert.equal(ageReason(null, '2026-06-01'), null);
  assert.equal(whyOnList([{ sourceKind: 'repair', basis: ['text', 'code'] }, { sourceKind: 'repair', basis: ['text'] }, { sourceKind: 'note', basis: ['text'] },
    { sourceKind: 'hazard-report', basis: ['hazard'] }]),
  'Damp or mould in the words of 2 repairs and 1 note; a damp and mould repair code or trade on 1 job; 1 HHSRS damp and mould hazard report.');
  assert.equal(whyOnList([{ sourceKind: 'repair', basis: ['code'] }]), 'A damp and mould repair code or trade on 1 job.');
  assert.deepEqual(lastTwelveMonths('2026-03-15'), ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
});
