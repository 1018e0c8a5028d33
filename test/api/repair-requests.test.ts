// Repair requests (issue 14) against the real database: a damp description raises a hazard report and the Awaab's
// priority; a household alert puts "Visit in pairs" on the work order (never the alert); bad paths and homes not held
// are refused naming the field; a wrong postcode is "not found"; a slot taken meanwhile leaves nothing half-saved;
// the resident cancels; and the public pages: the journey end to end, a double submission writes once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { listAudit } from '../../src/platform/audit/service.ts';
import type { Ctx } from '../../src/platform/records/context.ts';
import { createOperative } from '../../src/modules/scheduling/service.ts';
import { appointments } from '../../src/modules/scheduling/schema.ts';
import { repairPhotos, repairRequests, repairs } from '../../src/modules/repairs/schema.ts';
import { hazardReports } from '../../src/modules/hazards/schema.ts';
import { notifications } from '../../src/modules/notifications/schema.ts';
import {
  submitRepairRequest, findRepair, cancelRepair, offerSlots, normaliseReference, type RepairRequestInput,
} from '../../src/modules/repairs/requests.ts';

let h: Harness;
let a: Landlord;
let b: Landlord;
let homeA: string;
let alertHome: string;
let homeB: string;
let journeyHome: string;
let busyHome: string;
let slotHome: string;

const DAMP_PATH = ['bedroom', 'damp-or-mould', 'mould-walls-ceiling'];
const WINDOW_PATH = ['bedroom', 'window', 'window-will-not-open'];
// A Monday morning: the slots offered start the next day.
const NOW = new Date('2027-03-01T09:00:00Z');

async function post(who: Landlord, url: string, body: unknown): Promise<string> {
  const r = await api(h, 'POST', url, who.as.administrator, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

/** Service calls as landlord `who`'s resident online, in one transaction. */
const asResident = <T>(who: Landlord, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: systemActor(who.id, 'resident (online)'), tx }));
const rows = <T>(who: Landlord, work: (ctx: Ctx) => Promise<T>) => h.store.withOrg(who.id, (tx) => work({ actor: systemActor(who.id), tx }));

const input = (homeId: string, extra: Partial<RepairRequestInput> = {}): RepairRequestInput => ({
  homeId, triagePath: WINDOW_PATH, description: 'The bedroom window is stuck shut', channel: 'online',
  contactName: 'Ada Resident', contactPhone: '07700 900982', contactBy: 'phone', ...extra,
});

before(async () => {
  h = await harness();
  a = await landlord(h);
  b = await landlord(h);
  homeA = await post(a, '/api/v1/homes', sample.home({ postcode: 'LS6 1AA', subBuilding: 'Flat 1' }));
  alertHome = await post(a, '/api/v1/homes', sample.home({ postcode: 'LS6 1AA', subBuilding: 'Flat 2' }));
  journeyHome = await post(a, '/api/v1/homes', sample.home({ postcode: 'LS6 1AA', subBuilding: 'Flat 3' }));
  slotHome = await post(a, '/api/v1/homes', sample.home({ postcode: 'LS6 1AA', subBuilding: 'Flat 6' }));
  busyHome = await post(a, '/api/v1/homes', sample.home({ postcode: 'LS6 1AA', subBuilding: 'Flat 4' }));
  homeB = await post(b, '/api/v1/homes', sample.home({ postcode: 'LS6 1AA', subBuilding: 'Flat 9' }));
  // A household with a "risk to staff" alert (HACT 10, RISK), through its tenancy.
  const personId = await post(a, '/api/v1/people', sample.person());
  await post(a, '/api/v1/tenancies', { reference: 'T-ALERT', tenancyType: 'secure', tenure: 'social-rent', startDate: '2020-01-01', homeId: alertHome, members: [{ personId, role: 'lead' }] });
  await post(a, '/api/v1/alerts', { personId, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01', description: 'Threatened staff with a dog in 2023' });
  // One operative of every trade the tests use, mornings only, weekdays: 5 hours a morning, 225 minutes of work.
  await rows(a, (ctx) => createOperative(ctx, { name: 'Sam Fixer', trades: ['damp-and-mould', 'carpentry', 'plumbing'], pattern: { days: [1, 2, 3, 4, 5], start: '08:00', end: '13:00' } }));
});
after(() => h.close());

test('damp words: a hazard report in the resident\'s words, and the Awaab\'s priority on the request and the work order', async () => {
  const sent = await asResident(a, (ctx) => submitRepairRequest(ctx, input(homeA, {
    triagePath: WINDOW_PATH, description: 'Window stuck and there is black mould growing round the frame',
  }), NOW));
  assert.match(sent.request.reference, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.equal(sent.request.triagePriority, 'routine');
  assert.equal(sent.request.priorityCode, 'awaab-significant');
  assert.equal(sent.workOrder.priorityCode, 'awaab-significant');
  assert.ok(sent.request.hazardReportId, 'a hazard report is raised');
  const [hazard] = await rows(a, (ctx) => ctx.tx.select().from(hazardReports).where(eq(hazardReports.id, sent.request.hazardReportId!)));
  assert.equal(hazard!.hazard, 'damp-and-mould');
  assert.equal(hazard!.severity, 'significant');
  assert.equal(hazard!.reportedBy, 'resident (online)');
  assert.equal(hazard!.description, 'Window stuck and there is black mould growing round the frame');
  assert.equal(hazard!.reportedAt.toISOString(), NOW.toISOString());
  assert.ok(sent.request.reasons.some((r) => /damp or mould/i.test(r)), JSON.stringify(sent.request.reasons));

  const dry = await asResident(a, (ctx) => submitRepairRequest(ctx, input(homeA), NOW));
  assert.equal(dry.request.priorityCode, 'routine');
  assert.equal(dry.request.hazardReportId, null);
});

test('a household alert: "Visit in pairs" on the work order, never the alert\'s words or code', async () => {
  const sent = await asResident(a, (ctx) => submitRepairRequest(ctx, input(alertHome), NOW));
  assert.deepEqual(sent.workOrder.operativeWords, ['Visit in pairs']);
  const stored = JSON.stringify([sent.workOrder, sent.request]);
  assert.doesNotMatch(stored, /dog|Threatened|RISK/);
  // The alert was read, and the read audited by the people module.
  const audited = await rows(a, (ctx) => listAudit(ctx.tx, a.id, { action: 'read-sensitive', entityKind: 'person-alert', limit: 10 }));
  assert.ok(audited.some((e) => e.actorName === 'resident (online)'), 'the alert read is audited');
});

test('bad input names the field: an unknown tree path, a path to an exit, a home not held, too long a description', async () => {
  const refuse = async (extra: Partial<RepairRequestInput>, field: RegExp, homeId = homeA) => {
    await assert.rejects(asResident(a, (ctx) => submitRepairRequest(ctx, input(homeId, extra), NOW)), (err: { status: number; errors: { field: string }[] }) => {
      assert.equal(err.status, 400);
      assert.match(err.errors[0]!.field, field);
      return true;
    });
  };
  await refuse({ triagePath: ['bedroom', 'spaceship'] }, /^\/triagePath\/1$/);
  await refuse({ triagePath: ['bedroom'] }, /^\/triagePath$/);
  await refuse({ triagePath: ['bedroom', 'electrics', 'exposed-wires'] }, /^\/triagePath$/);
  await refuse({ description: 'x'.repeat(501) }, /^\/description$/);
  await refuse({ contactBy: 'email' }, /^\/contactEmail$/);
  // Another landlord's home is not one this landlord holds.
  await refuse({}, /^\/homeId$/, homeB);
  const count = await rows(a, (ctx) => ctx.tx.select().from(repairRequests).where(eq(repairRequests.homeId, homeB)));
  assert.equal(count.length, 0);
});

test('find a repair: the reference and postcode must both match, with one answer for either wrong', async () => {
  const sent = await asResident(a, (ctx) => submitRepairRequest(ctx, input(homeA), NOW));
  const ref = sent.request.reference;
  const found = await asResident(a, (ctx) => findRepair(ctx, ref.toLowerCase().replace('-', ' '), 'ls61aa'));
  assert.equal(found?.request.id, sent.request.id);
  assert.equal(found?.mayCancel, true);
  assert.equal(await asResident(a, (ctx) => findRepair(ctx, ref, 'LS6 1AB')), null);
  const otherRef = ref.startsWith('A') ? `C${ref.slice(1)}` : `A${ref.slice(1)}`;
  assert.equal(await asResident(a, (ctx) => findRepair(ctx, otherRef, 'LS6 1AA')), null);
  // Another landlord's pages do not find it.
  assert.equal(await asResident(b, (ctx) => findRepair(ctx, ref, 'LS6 1AA')), null);
  assert.equal(normaliseReference('R7K2-9PXM'), null, 'R and 2 are not in the alphabet');
});

test('the resident cancels: the work order is cancelled, the visit too, and they cannot cancel twice', async () => {
  const offer = await asResident(a, (ctx) => offerSlots(ctx, { homeId: homeA, triagePath: WINDOW_PATH, description: 'Stuck' }, NOW));
  assert.ok(offer.slots.length > 0, 'slots are offered');
  const first = offer.slots[0]!;
  const sent = await asResident(a, (ctx) => submitRepairRequest(ctx, input(homeA, {
    appointment: { date: first.date, slot: first.slot }, contactBy: 'email', contactEmail: 'ada@example.com', findUrl: 'https://repairs.example/find',
  }), NOW));
  assert.equal(sent.appointment?.status, 'booked');
  const told = async () => rows(a, (ctx) => ctx.tx.select().from(notifications).where(eq(notifications.aboutId, sent.request.id)));
  const [confirmation] = await told();
  assert.equal(confirmation?.templateId, 'repair-reported');
  assert.equal(confirmation?.recipient, 'ada@example.com');
  assert.ok(confirmation?.body.includes(sent.request.reference), 'the confirmation gives the reference');
  assert.ok(confirmation?.body.includes('https://repairs.example/find'));
  const found = { requestId: sent.request.id, postcode: 'LS6 1AA' };
  await asResident(a, (ctx) => cancelRepair(ctx, found, NOW));
  const [wo] = await rows(a, (ctx) => ctx.tx.select().from(repairs).where(eq(repairs.id, sent.workOrder.id)));
  assert.equal(wo!.workStatus, 'cancelled');
  const [appt] = await rows(a, (ctx) => ctx.tx.select().from(appointments).where(eq(appointments.jobId, sent.workOrder.id)));
  assert.equal(appt!.status, 'cancelled');
  assert.deepEqual((await told()).map((m) => m.templateId).sort(), ['repair-cancelled', 'repair-reported']);
  const again = await asResident(a, (ctx) => findRepair(ctx, sent.request.reference, 'LS6 1AA'));
  assert.equal(again?.mayCancel, false);
  assert.ok(again?.request.cancelledAt);
  await assert.rejects(asResident(a, (ctx) => cancelRepair(ctx, found, NOW)), { status: 409 });
});

test('a slot taken meanwhile: 409, and nothing of the request is kept (no request, work order, hazard report or photo)', async () => {
  // Damp jobs take 90 minutes: two fill the operative's 225-minute morning, so the third finds it taken.
  const when = new Date('2027-03-08T09:00:00Z');
  const offer = await asResident(a, (ctx) => offerSlots(ctx, { homeId: homeA, triagePath: DAMP_PATH, description: 'Mould' }, when));
  const slot = offer.slots.find((s) => s.slot === 'AM')!;
  const damp = input(homeA, { triagePath: DAMP_PATH, description: 'Black mould on the wall', appointment: { date: slot.date, slot: slot.slot } });
  await asResident(a, (ctx) => submitRepairRequest(ctx, damp, when));
  await asResident(a, (ctx) => submitRepairRequest(ctx, damp, when));
  const before = await counts();
  const photo = { contentType: 'image/png', bytes: Buffer.from('png'), width: 1, height: 1 };
  await assert.rejects(asResident(a, (ctx) => submitRepairRequest(ctx, { ...damp, photos: [photo] }, when)), (err: { status: number }) => {
    assert.equal(err.status, 409);
    return true;
  });
  assert.deepEqual(await counts(), before);
});

test('more online reports for one home in a day than a household makes: 429, contact us', async () => {
  for (let i = 0; i < 5; i++) await asResident(a, (ctx) => submitRepairRequest(ctx, input(busyHome), NOW));
  await assert.rejects(asResident(a, (ctx) => submitRepairRequest(ctx, input(busyHome), NOW)), { status: 429 });
  // A day later, it may again.
  await asResident(a, (ctx) => submitRepairRequest(ctx, input(busyHome), new Date(NOW.getTime() + 86_400_001)));
});

async function counts() {
  return rows(a, async (ctx) => ({
    requests: (await ctx.tx.select().from(repairRequests)).length,
    workOrders: (await ctx.tx.select().from(repairs)).length,
    hazards: (await ctx.tx.select().from(hazardReports)).length,
    photos: (await ctx.tx.select().from(repairPhotos)).length,
    appointments: (await ctx.tx.select().from(appointments).where(and(eq(appointments.status, 'booked')))).length,
  }));
}

// ---- the public pages ------------------------------------------------------------------------------------------------

/** A resident's browser: keeps the cookies it is given, and the last page's CSRF token. */
function resident() {
  const jar = new Map<string, string>();
  let csrf = '';
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (r: LightMyRequestResponse) => {
    for (const c of r.cookies) jar.set(c.name, c.value);
    csrf = /name="_csrf" value="([^"]+)"/.exec(r.body)?.[1] ?? csrf;
    return r;
  };
  return {
    jar,
    get: async (url: string) => keep(await h.app.inject({ method: 'GET', url, headers: { cookie: cookie() } })),
    post: async (url: string, fields: Record<string, string>) => keep(await h.app.inject({
      method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    })),
  };
}

test('the journey: a resident reports a damp bedroom wall, books a slot, gets a reference; sending the check page twice writes once', async () => {
  const r = resident();
  const base = `/landlords/${a.id}/report-a-repair`;
  const start = await r.get(base);
  assert.equal(start.statusCode, 200);
  const visit = start.cookies.find((c) => c.name === 'hearth_resident');
  assert.ok(visit && visit.httpOnly && visit.sameSite === 'Lax', 'a resident cookie: HttpOnly, SameSite=Lax');
  await r.get(`${base}/emergency`);
  const step = async (path: string, fields: Record<string, string>, expect: string) => {
    const res = await r.post(`${base}/${path}`, fields);
    assert.equal(res.statusCode, 303, `${path}: ${res.body.slice(0, 500)}`);
    assert.equal(res.headers.location, `${base}/${expect}`);
    await r.get(String(res.headers.location));
  };
  await step('emergency', { emergency: 'none' }, 'where');
  await step('where', { where: 'home' }, 'postcode');
  await step('postcode', { postcode: 'ls6 1aa' }, 'address');
  const address = await r.get(`${base}/address`);
  assert.match(address.body, /Flat 3/);
  assert.doesNotMatch(address.body, /Flat 9/, 'only this landlord\'s homes');
  await step('address', { homeId: journeyHome }, 'problem/0');
  await step('problem/0', { answer: 'bedroom' }, 'problem/1');
  await step('problem/1', { answer: 'damp-or-mould' }, 'problem/2');
  await step('problem/2', { answer: 'damp-patch' }, 'describe');
  await step('describe', { description: 'The wall by the window is wet and black mould is growing', location: 'Bedroom' }, 'photos');
  // No photo chosen: carry on (a multipart form with just the token).
  const boundary = '----hearthtest';
  const multipartBody = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${/name="_csrf" value="([^"]+)"/.exec((await r.get(`${base}/photos`)).body)![1]}\r\n--${boundary}--\r\n`;
  const photos = await h.app.inject({ method: 'POST', url: `${base}/photos`, headers: { cookie: [...r.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipartBody });
  assert.equal(photos.statusCode, 303, photos.body.slice(0, 500));
  assert.equal(photos.headers.location, `${base}/when`);
  const when = await r.get(`${base}/when`);
  const slot = /name="slot" type="radio" value="([^"]+)"/.exec(when.body)?.[1];
  assert.ok(slot && slot !== 'none', 'a slot is offered');
  await step('when', { slot, availability: '' }, 'contact');
  await step('contact', { name: 'Ada Resident', phone: '07700 900982', email: '', contactBy: 'phone' }, 'check');
  const check = await r.get(`${base}/check`);
  assert.match(check.body, /Bedroom › Damp or mould › Damp patch or wet wall/);
  const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)![1]!;
  const before = (await counts()).requests;
  const [first, second] = await Promise.all([r.post(`${base}/check`, { formToken }), r.post(`${base}/check`, { formToken })]);
  assert.equal(first.statusCode, 303);
  assert.equal(second.statusCode, 303);
  assert.equal(first.headers.location, `${base}/confirmation`);
  assert.equal(second.headers.location, `${base}/confirmation`);
  assert.equal((await counts()).requests, before + 1, 'written once');
  const done = await r.get(`${base}/confirmation`);
  const reference = /<strong>([0-9A-Z]{4}-[0-9A-Z]{4})<\/strong>/.exec(done.body)?.[1];
  assert.ok(reference, 'the confirmation shows the reference');
  const [request] = await rows(a, (ctx) => ctx.tx.select().from(repairRequests).where(eq(repairRequests.reference, reference)));
  assert.equal(request!.priorityCode, 'awaab-significant');
  assert.ok(request!.hazardReportId);

  // Find it again: a wrong postcode is the same answer as a wrong reference.
  const find = `/landlords/${a.id}/find-a-repair`;
  await r.get(find);
  const wrong = await r.post(find, { reference, postcode: 'LS6 1AB' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /We cannot find a repair with that reference and postcode/);
  const right = await r.post(find, { reference, postcode: 'LS6 1AA' });
  assert.equal(right.statusCode, 303);
  const page = await r.get(`${find}/repair`);
  assert.match(page.body, /Visit booked/);
  assert.match(page.body, /Cancel this repair/);

  // Change the appointment: another slot, booked; the old one is kept as rebooked.
  const change = await r.get(`${find}/change-appointment`);
  const other = /name="slot" type="radio" value="([^"]+)"/.exec(change.body)?.[1];
  assert.ok(other && other !== slot, 'another slot is offered');
  const moved = await r.post(`${find}/change-appointment`, { slot: other });
  assert.equal(moved.headers.location, `${find}/changed`);
  assert.match((await r.get(`${find}/changed`)).body, /Appointment changed/);
  const [wo] = await rows(a, (ctx) => ctx.tx.select().from(repairs).where(eq(repairs.requestId, request!.id)));
  const booked = await rows(a, (ctx) => ctx.tx.select().from(appointments).where(eq(appointments.jobId, wo!.id)));
  assert.deepEqual(booked.map((b) => `${b.date}|${b.slot} ${b.status}`).sort(), [`${other} booked`, `${slot} rebooked`].sort());
});

test('the slot is taken before the check page is sent: back to the slots, "That time is no longer free", nothing kept; another slot books', async () => {
  const r = resident();
  const base = `/landlords/${a.id}/report-a-repair`;
  const go = async (path: string, fields: Record<string, string>) => {
    await r.get(`${base}/${path}`);
    const res = await r.post(`${base}/${path}`, fields);
    assert.equal(res.statusCode, 303, `${path}: ${res.body.slice(0, 300)}`);
    return String(res.headers.location);
  };
  await r.get(base);
  for (const [path, fields] of [['emergency', { emergency: 'none' }], ['where', { where: 'home' }], ['postcode', { postcode: 'LS6 1AA' }], ['address', { homeId: slotHome }],
    ['problem/0', { answer: 'bedroom' }, ], ['problem/1', { answer: 'damp-or-mould' }], ['problem/2', { answer: 'damp-patch' }], ['describe', { description: 'Wet wall and mould', location: '' }]] as const) {
    await go(path, fields);
  }
  const boundary = '----hearthtest';
  const csrf = /name="_csrf" value="([^"]+)"/.exec((await r.get(`${base}/photos`)).body)![1];
  await h.app.inject({ method: 'POST', url: `${base}/photos`, headers: { cookie: [...r.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${boundary}--\r\n` });
  const slot = /name="slot" type="radio" value="([^"]+)"/.exec((await r.get(`${base}/when`)).body)![1]!;
  await go('when', { slot, availability: '' });
  await go('contact', { name: 'Ada Resident', phone: '07700 900982', email: '', contactBy: 'phone' });
  // Meanwhile officers fill that slot.
  const [date, code] = slot.split('|') as [string, string];
  for (let i = 0; i < 4; i++) {
    const staff = { ...input(alertHome, { triagePath: DAMP_PATH, description: 'Black mould', appointment: { date, slot: code } }), channel: 'staff' as const };
    try { await rows(a, (ctx) => submitRepairRequest(ctx, staff)); } catch (err) { if ((err as { status?: number }).status === 409) break; throw err; }
  }
  const before = await counts();
  const check = await r.get(`${base}/check`);
  const sent = await r.post(`${base}/check`, { formToken: /name="formToken" value="([^"]+)"/.exec(check.body)![1]! });
  assert.equal(sent.headers.location, `${base}/when`);
  assert.deepEqual(await counts(), before, 'nothing of the request is kept');
  const when = await r.get(`${base}/when`);
  assert.equal(when.statusCode, 400);
  assert.match(when.body, /That time is no longer free. Choose another/);
  assert.ok(!when.body.includes(`value="${slot}"`), 'the taken slot is not offered again');
  const another = /name="slot" type="radio" value="([^"]+)"/.exec(when.body)![1]!;
  assert.equal(await go('when', { slot: another, availability: '' }), `${base}/check`);
  const again = await r.get(`${base}/check`);
  const done = await r.post(`${base}/check`, { formToken: /name="formToken" value="([^"]+)"/.exec(again.body)![1]! });
  assert.equal(done.headers.location, `${base}/confirmation`);
  assert.equal((await counts()).requests, before.requests + 1);
});

test('public pages: a gas smell stops the report with the national number; a postcode we do not hold says so; the form needs the visit\'s token', async () => {
  const r = resident();
  const base = `/landlords/${a.id}/report-a-repair`;
  await r.get(`${base}/emergency`);
  const gas = await r.post(`${base}/emergency`, { emergency: 'gas' });
  assert.equal(gas.headers.location, `${base}/stop/gas`);
  assert.match((await r.get(`${base}/stop/gas`)).body, /0800 111 999/);
  await r.get(`${base}/emergency`);
  await r.post(`${base}/emergency`, { emergency: 'none' });
  await r.get(`${base}/where`);
  await r.post(`${base}/where`, { where: 'home' });
  await r.get(`${base}/postcode`);
  const none = await r.post(`${base}/postcode`, { postcode: 'SW1A 1AA' });
  assert.equal(none.headers.location, `${base}/stop/postcode`);
  assert.match((await r.get(`${base}/stop/postcode`)).body, /We cannot find that postcode/);
  // Another resident's token is not this one's.
  const other = resident();
  await other.get(`${base}/emergency`);
  const stolen = await h.app.inject({ method: 'POST', url: `${base}/emergency`, headers: { cookie: [...r.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec((await other.get(`${base}/emergency`)).body)![1]!, emergency: 'none' }).toString() });
  assert.equal(stolen.statusCode, 403);
  // Not a landlord: not found.
  assert.equal((await r.get('/landlords/00000000-0000-4000-8000-000000000000/report-a-repair')).statusCode, 404);
});

test('with more than one landlord, /report-a-repair asks which, each linking its own report; /find-a-repair goes there too', async () => {
  const r = resident();
  const choose = await r.get('/report-a-repair');
  assert.equal(choose.statusCode, 200);
  assert.match(choose.body, /Choose your landlord/);
  for (const who of [a, b]) assert.match(choose.body, new RegExp(`href="/landlords/${who.id}/report-a-repair"`));
  const find = await r.get('/find-a-repair');
  assert.equal(find.statusCode, 303);
  assert.equal(find.headers.location, '/report-a-repair');
});

test('finding a repair is rate-limited per address: guessing pairs one after another is stopped', async () => {
  const r = resident();
  const find = `/landlords/${a.id}/find-a-repair`;
  await r.get(find);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await r.post(find, { reference: 'AAAA-AAAA', postcode: 'LS6 1AA' })).statusCode);
  assert.ok(statuses.slice(0, 5).every((s) => s === 400), statuses.join(' '));
  assert.equal(statuses[statuses.length - 1], 429, statuses.join(' '));
});

test('a shared area: the tree starts at its communal question', async () => {
  const r = resident();
  const base = `/landlords/${a.id}/report-a-repair`;
  const go = async (path: string, fields: Record<string, string>) => {
    await r.get(`${base}/${path}`);
    const res = await r.post(`${base}/${path}`, fields);
    assert.equal(res.statusCode, 303, `${path}: ${res.body.slice(0, 300)}`);
    return String(res.headers.location);
  };
  await go('emergency', { emergency: 'none' });
  await go('where', { where: 'communal' });
  await go('postcode', { postcode: 'LS6 1AA' });
  assert.equal(await go('address', { homeId: slotHome }), `${base}/problem/1`);
  assert.match((await r.get(`${base}/problem/1`)).body, /What is the problem in the communal area\?/);
});
