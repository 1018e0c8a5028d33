// The administrators' page "Publish to a hub" (/hub-publishing): turn publishing on or off, choose what, enter the
// hub's address, the registration and key; see how the last push went; "Publish now". And the preview
// (/hub-publishing/preview): exactly the records that would be sent (the first 50 homes, the measures, counts) and the
// homes that cannot be, with the field and the reason. Every form is a POST with a CSRF token; no JavaScript needed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import type { Ctx } from '../../../platform/records/context.ts';
import { can } from '../../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../../platform/http/problem.ts';
import { ukDate } from '../../../platform/uk-time.ts';
import { defineForm, errorLookup, Untrimmed, type ErrorItem } from '../../../web/forms/index.ts';
import { MAX_BATCH_RECORDS, RENT_TYPES, STANDARD_PROPERTY_TYPES, type HomeRecord, type MeasuresRecord } from '../standard/schema.ts';
import { buildHomeRecords, buildMeasuresRecords, tsmYearOf, type HomeProblem } from './build.ts';
import { getPublishing, requestFullPublish, requirePublish, savePublishing, type PublishingView } from './settings.ts';
import { publishOrganisation } from './push.ts';

type Raw = Record<string, unknown>;
const PREVIEW_HOMES = 50;
const PREVIEW_PROBLEMS = 200;
const PAGE = 5000;

const SettingsForm = defineForm({
  schema: Type.Object({
    enabled: Type.Union([Type.Literal('yes'), Type.Literal('no')]),
    publish: Type.Optional(Type.Array(Type.Union([Type.Literal('homes'), Type.Literal('measures')]), { maxItems: 2 })),
    hubUrl: Type.Optional(Type.String({ maxLength: 500 })),
    publisher: Type.Optional(Type.String({ maxLength: 10 })),
    keyId: Type.Optional(Type.String({ maxLength: 100 })),
    secret: Type.Optional(Untrimmed(Type.String({ maxLength: 200 }))),
    defaultLocalAuthority: Type.Optional(Type.String({ maxLength: 9 })),
    version: Type.Integer({ minimum: 0, maximum: 999_999_999 }),
  }),
  messages: {
    enabled: 'Select whether to publish to a hub',
    publish: 'Select what to publish',
    hubUrl: 'The hub address must be 500 characters or fewer',
    publisher: 'The registration number must be 10 characters or fewer, such as L1234',
    keyId: 'The key id must be 100 characters or fewer',
    secret: 'The secret must be 200 characters or fewer',
    defaultLocalAuthority: 'The default local authority must be an ONS code such as E08000035',
    version: 'The page was out of date: check the settings below and try again',
  },
  ids: { enabled: 'enabled', publish: 'publish', version: 'enabled' },
});

const FIELD_IDS: Record<string, string> = {
  '/hubUrl': 'hubUrl', '/publisher': 'publisher', '/keyId': 'keyId', '/secret': 'secret', '/defaultLocalAuthority': 'defaultLocalAuthority', '/publishHomes': 'publish',
};
const FIELD_WORDS: Record<string, string> = {
  '/hubUrl': 'The hub address', '/publisher': 'The registration number', '/keyId': 'The key id', '/secret': 'The secret',
  '/defaultLocalAuthority': 'The default local authority', '/publishHomes': 'What to publish',
};

function requirePage(req: FastifyRequest) {
  if (!req.actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(req.actor.role, 'hub:publish')) throw forbidden('Only administrators publish to a hub');
}

/** A service's refusal as an error summary item, linked to its field. */
function problemItem(err: Problem): ErrorItem {
  const e = err.errors[0];
  if (!e) return { text: err.message, href: '#enabled' };
  return { text: `${FIELD_WORDS[e.field] ?? 'A field'} ${e.message}`, href: `#${FIELD_IDS[e.field] ?? 'enabled'}` };
}

const text = (raw: Raw, name: string) => (typeof raw[name] === 'string' ? raw[name] : '');

export interface Preview {
  period: { from: string; to: string };
  homes: { total: number; valid: number; first: HomeRecord[] };
  problems: { total: number; homes: number; first: HomeProblem[] };
  measures: MeasuresRecord[];
  measureProblems: { field: string; message: string }[];
  batches: number;
}

/** Exactly what a full send would be: every home built and checked, a page at a time; the first few kept to show. */
export async function previewPublishing(ctx: Ctx, settings: PublishingView, now = new Date()): Promise<Preview> {
  requirePublish(ctx);
  const preview: Preview = {
    period: tsmYearOf(ukDate(now)), homes: { total: 0, valid: 0, first: [] }, problems: { total: 0, homes: 0, first: [] },
    measures: [], measureProblems: [], batches: 0,
  };
  if (settings.publishHomes) {
    let after: string | null = null;
    for (;;) {
      const built = await buildHomeRecords(ctx, { after, limit: PAGE, defaultLocalAuthority: settings.defaultLocalAuthority, now });
      const ids = [...new Set([...built.homes.map((h) => h.homeId), ...built.problems.map((p) => p.homeId)])];
      if (!ids.length) break;
      const homesWithProblems = new Set(built.problems.map((p) => p.homeId)).size;
      preview.homes.total += built.homes.length + homesWithProblems;
      preview.homes.valid += built.homes.length;
      preview.homes.first.push(...built.homes.slice(0, PREVIEW_HOMES - preview.homes.first.length).map((h) => h.record));
      preview.problems.total += built.problems.length;
      preview.problems.homes += homesWithProblems;
      preview.problems.first.push(...built.problems.slice(0, PREVIEW_PROBLEMS - preview.problems.first.length));
      after = ids.sort().at(-1)!;
      if (ids.length < PAGE) break;
    }
  }
  if (settings.publishMeasures) {
    if (settings.publisher) {
      const m = await buildMeasuresRecords(ctx, preview.period, { publisher: settings.publisher, now });
      preview.measures = m.records;
      preview.measureProblems = m.problems;
    } else {
      preview.measureProblems = [{ field: '/landlord', message: 'The registration number is not set: measures name their landlord by it' }];
    }
  }
  preview.batches = Math.ceil((preview.homes.valid + preview.measures.length) / MAX_BATCH_RECORDS);
  return preview;
}

/** A measures record as rows of a table: measure, counts. */
function measureRows(m: MeasuresRecord): { name: string; value: string }[] {
  const rows: { name: string; value: string }[] = [];
  const n = (v: number) => v.toLocaleString('en-GB');
  if (m.dampAndMould) {
    rows.push({ name: 'Damp and mould cases open at the end of the period', value: n(m.dampAndMould.openCases) });
    rows.push({ name: "Awaab's Law deadlines met", value: n(m.dampAndMould.clocksMet) });
    rows.push({ name: "Awaab's Law deadlines missed", value: n(m.dampAndMould.clocksMissed) });
  }
  const counted: [keyof MeasuresRecord, string][] = [['rp02_1', 'RP02 (1) non-emergency repairs within target'], ['rp02_2', 'RP02 (2) emergency repairs within target'],
    ['nm01_1', 'NM01 (1) anti-social behaviour cases'], ['nm01_2', 'NM01 (2) cases involving hate incidents']];
  for (const [key, name] of counted) {
    const c = m[key] as { numerator: number; denominator: number } | undefined;
    if (c) rows.push({ name, value: `${n(c.numerator)} of ${n(c.denominator)}` });
  }
  return rows;
}

export function publishingPages(app: TypedFastify, deps: Pick<PageDeps, 'page' | 'run' | 'store'>) {
  const { page, run, store } = deps;

  async function show(req: FastifyRequest, reply: FastifyReply, raw?: Raw, errors: ErrorItem[] = []) {
    requirePage(req);
    const data = await page(req, async (ctx) => ({ settings: await getPublishing(ctx) }));
    const s = data.settings;
    const publish = raw ? ((Array.isArray(raw.publish) ? raw.publish : raw.publish ? [raw.publish] : []) as string[])
      : [...(s.publishHomes ? ['homes'] : []), ...(s.publishMeasures ? ['measures'] : [])];
    const values = raw
      ? { enabled: text(raw, 'enabled'), hubUrl: text(raw, 'hubUrl'), publisher: text(raw, 'publisher'), keyId: text(raw, 'keyId'), defaultLocalAuthority: text(raw, 'defaultLocalAuthority') }
      : { enabled: s.enabled ? 'yes' : 'no', hubUrl: s.hubUrl ?? '', publisher: s.publisher ?? '', keyId: s.keyId ?? '', defaultLocalAuthority: s.defaultLocalAuthority ?? '' };
    return reply.code(errors.length ? 400 : 200).view('hub/publishing/settings.njk', {
      ...data, title: 'Publish to a hub', section: 'hub-publishing', errors, errorFor: errorLookup(errors), values,
      publishItems: [
        { value: 'homes', text: 'Homes', hint: { text: 'Each home\'s reference, UPRN, local authority, rent type, type, bedrooms, build year and block' }, checked: publish.includes('homes') },
        { value: 'measures', text: 'Measures', hint: { text: 'Damp and mould cases and Awaab\'s Law deadlines, repairs (RP02) and anti-social behaviour (NM01), for this TSM year' }, checked: publish.includes('measures') },
      ],
    });
  }

  app.get('/hub-publishing', async (req, reply) => show(req, reply));

  app.post('/hub-publishing', { preHandler: app.csrfProtection }, async (req, reply) => {
    requirePage(req);
    const form = SettingsForm.parse(req.body);
    if (!form.ok) return show(req, reply, form.raw, form.errors);
    const v = form.values;
    try {
      await run(req, (ctx) => savePublishing(ctx, {
        enabled: v.enabled === 'yes', hubUrl: v.hubUrl ?? '', publisher: v.publisher ?? '', keyId: v.keyId ?? '', secret: v.secret ?? '',
        publishHomes: (v.publish ?? []).includes('homes'), publishMeasures: (v.publish ?? []).includes('measures'), defaultLocalAuthority: v.defaultLocalAuthority ?? '',
      }, v.version));
    } catch (err) {
      if (err instanceof Problem && err.status === 412) return show(req, reply, undefined, [{ text: 'Someone changed these settings while you were looking at them. Check them below and try again.', href: '#enabled' }]);
      if (err instanceof Problem && err.status === 400) return show(req, reply, form.raw, [problemItem(err)]);
      throw err;
    }
    return reply.redirect('/hub-publishing', 303);
  });

  // Publish now: everything is marked to send, and one run goes at once (the worker carries on with what is left).
  app.post('/hub-publishing/publish-now', { preHandler: app.csrfProtection }, async (req, reply) => {
    requirePage(req);
    try {
      await run(req, (ctx) => requestFullPublish(ctx));
    } catch (err) {
      if (err instanceof Problem && err.status === 409) return show(req, reply, undefined, [{ text: err.message, href: '#enabled' }]);
      throw err;
    }
    await publishOrganisation(store, req.actor!.organisationId);
    return reply.redirect('/hub-publishing#status', 303);
  });

  app.get('/hub-publishing/preview', async (req, reply) => {
    requirePage(req);
    const data = await page(req, async (ctx) => {
      const settings = await getPublishing(ctx);
      return { settings, preview: await previewPublishing(ctx, settings) };
    });
    return reply.view('hub/publishing/preview.njk', {
      ...data, title: 'What would be published', section: 'hub-publishing', backLink: '/hub-publishing',
      measureRows: data.preview.measures.map(measureRows), RENT_TYPES, STANDARD_PROPERTY_TYPES, previewHomes: PREVIEW_HOMES,
    });
  });
}
