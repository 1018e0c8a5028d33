// The demo landlord's ASB service in use (issue 15): a few cases opened through the ASB service by the demo's ASB
// officer, so the officer's worklist, the case pages and the insight dashboard's NM01 have something true to show on a
// first start — a noise case at a block with actions past their target, a hate incident assessed as high risk with a
// "do not visit alone" alert on the person reported (repairs show "Visit in pairs"), drug dealing reported three
// times (the ASB Case Review threshold met), and a closed case with its survey. Run once, after the demo's accounts
// exist (main.ts), in the demo's transaction. The homes and people are found through their modules' services.
import { sql } from 'drizzle-orm';
import type { Store } from '../../platform/db/store.ts';
import type { Ctx } from '../../platform/records/context.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { blockRecords, homesOfBlock, type Home } from '../homes/index.ts';
import { tenancyIdsOfHomes, tenancyService } from '../tenancies/index.ts';
import { openCase, addIncident, assessCaseRisk, asbCaseRecords } from './service.ts';
import { raiseCaseAlert } from './alerts.ts';
import { closeCase } from './close.ts';
import { completeAction } from './work.ts';

export const DEMO_ASB_OFFICER_EMAIL = 'asb@demo.hearth.example';

const DAY = 86_400_000;
const daysAgo = (now: Date, n: number) => new Date(now.getTime() - n * DAY);
const dayOf = (at: Date) => ukDate(at);

/** A block with at least three homes, each with a tenancy member: the people a case at a block is about. */
async function aBlockWithHouseholds(ctx: Ctx): Promise<{ homes: Home[]; people: string[]; blockId: string } | null> {
  const page = await blockRecords.list(ctx, { limit: 100 });
  for (const block of page.items) {
    const homes = (await homesOfBlock(ctx, block.id)).slice(0, 12);
    if (homes.length < 3) continue;
    const withPeople: { home: Home; personId: string }[] = [];
    for (const home of homes) {
      const ids = await tenancyIdsOfHomes(ctx, [home.id]);
      const tenancies = await tenancyService.getMany(ctx, ids);
      const member = tenancies.flatMap((t) => t.members ?? []).find((m) => m.personId);
      if (member) withPeople.push({ home, personId: member.personId });
      if (withPeople.length === 3) return { homes: withPeople.map((w) => w.home), people: withPeople.map((w) => w.personId), blockId: block.id };
    }
  }
  return null;
}

/** Opens the demo's cases as its ASB officer; returns how many (0 when there is no such officer or no block to use). */
export async function openDemoAsbCases(store: Store, organisationId: string, now = new Date()): Promise<number> {
  const [officer] = await store.system(async (tx) => (await tx.execute(sql`
    select id, name from users where email = ${DEMO_ASB_OFFICER_EMAIL} and organisation_id = ${organisationId} and role = 'asb-officer'`)).rows as { id: string; name: string }[]);
  if (!officer) return 0;
  const actor: Actor = { kind: 'user', id: officer.id, name: officer.name, organisationId, role: 'asb-officer' };
  return store.withOrg(organisationId, async (tx) => {
    const ctx: Ctx = { actor, tx };
    // Once: a landlord with cases already has its own.
    if (await asbCaseRecords.count(ctx)) return 0;
    const place = await aBlockWithHouseholds(ctx);
    if (!place) return 0;
    const [complainantHome, perpetratorHome] = place.homes;
    const [complainant, perpetrator, neighbour] = place.people;

    // Noise from the flat above, opened five weeks ago: its acknowledgement and interview are past their targets.
    const opened1 = daysAgo(now, 35);
    const noise = await openCase(ctx, {
      summary: 'Loud music and shouting late at night from the flat above',
      categories: ['noise'],
      parties: [{ role: 'complainant', kind: 'person', personId: complainant! }, { role: 'alleged-perpetrator', kind: 'person', personId: perpetrator! }],
      places: [{ homeId: complainantHome!.id }, { blockId: place.blockId }],
      incident: { occurredOn: dayOf(daysAgo(now, 36)), occurredTime: '23:30', description: 'Music so loud the walls shook until 2am, and shouting on the landing', reportedVia: 'phone', reportedByPartyIndex: 0 },
    }, opened1);
    const done = async (c: typeof noise, kind: string, note: string, at: Date) => {
      const action = c.actions.find((x) => x.kind === kind);
      if (action) await completeAction(ctx, c.case.id, action.id, { note }, at);
    };
    await done(noise, 'acknowledge', 'Rang the complainant, explained what happens next and sent diary sheets', daysAgo(now, 34));
    await addIncident(ctx, noise.case.id, {
      occurredOn: dayOf(daysAgo(now, 20)), occurredTime: '00:15', description: 'The same again on Saturday night, a party with people coming and going',
      reportedVia: 'email', reportedByPartyId: noise.parties[0]!.id,
    }, daysAgo(now, 19));

    // A hate incident: the complainant assessed as high risk, and a "do not visit alone" alert on the person reported.
    const opened2 = daysAgo(now, 6);
    const hate = await openCase(ctx, {
      summary: 'Racist abuse shouted at the complainant in the stairwell',
      categories: ['hate-incident', 'verbal-abuse'], protectedCharacteristics: ['race'],
      parties: [{ role: 'complainant', kind: 'person', personId: neighbour! }, { role: 'alleged-perpetrator', kind: 'person', personId: perpetrator! }],
      places: [{ homeId: perpetratorHome!.id }],
      incident: { occurredOn: dayOf(daysAgo(now, 7)), occurredTime: '18:10', place: 'Stairwell, second floor', description: 'Racist names shouted, and a threat to "sort them out" if they called the police', reportedVia: 'in-person', reportedByPartyIndex: 0 },
    }, opened2);
    await assessCaseRisk(ctx, hate.case.id, {
      'hurt-or-threatened': true, 'unsafe-at-home': true, 'targeted-for-who-they-are': true, 'no-support': true, 'most-days': false,
      'sleep-health-work': 3, 'daily-life': 2,
    }, null, opened2);
    await raiseCaseAlert(ctx, hate.case.id, { personId: perpetrator!, words: 'do-not-visit-alone', reviewOn: dayOf(new Date(now.getTime() + 90 * DAY)) }, opened2);

    // Drug dealing from the car park, by people not known by name: reported three times within weeks.
    const opened3 = daysAgo(now, 40);
    const drugs = await openCase(ctx, {
      summary: 'Drug dealing from cars in the block\'s car park',
      categories: ['drugs'],
      parties: [{ role: 'complainant', kind: 'person', personId: complainant! }, { role: 'alleged-perpetrator', kind: 'group', name: 'Two or three men in a grey car' }],
      places: [{ blockId: place.blockId }],
      incident: { occurredOn: dayOf(daysAgo(now, 41)), occurredTime: '21:00', place: 'Car park', description: 'Cars pull in, someone hands something through the window, they drive off', reportedVia: 'phone', reportedByPartyIndex: 0 },
    }, opened3);
    await done(drugs, 'acknowledge', 'Called back the same day; gave the police non-emergency number too', daysAgo(now, 40));
    await done(drugs, 'interview', 'Met at the office: times, the car and what was seen noted', daysAgo(now, 36));
    for (const [ago, words] of [[30, 'Same grey car, the same exchange through the window, twice in an hour'], [12, 'They were there again and shouted at me when I looked']] as const) {
      await addIncident(ctx, drugs.case.id, { occurredOn: dayOf(daysAgo(now, ago + 1)), description: words, reportedVia: 'phone', reportedByPartyId: drugs.parties[0]!.id }, daysAgo(now, ago));
    }

    // Dog fouling in the garden: dealt with and closed, the complainant satisfied.
    const opened4 = daysAgo(now, 70);
    const dog = await openCase(ctx, {
      summary: 'Dog fouling in the communal garden',
      categories: ['pets-and-animals'],
      parties: [{ role: 'complainant', kind: 'person', personId: neighbour! }, { role: 'alleged-perpetrator', kind: 'unknown', name: 'Owner of a brown terrier' }],
      places: [{ blockId: place.blockId }],
      incident: { occurredOn: dayOf(daysAgo(now, 71)), description: 'Mess left on the grass where the children play, most mornings', reportedVia: 'online', reportedByPartyIndex: 0 },
    }, opened4);
    await closeCase(ctx, dog.case.id, { reason: 'resolved', satisfaction: { satisfiedWithHandling: true, rating: 4, comment: 'Sorted after the letters went round' } }, daysAgo(now, 30));
    return 4;
  });
}
