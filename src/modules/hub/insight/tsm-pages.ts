// TSM returns from the hub (issue 16, part 7), for signed-in analysts (hub:insight): each landlord's return summary for a
// reporting year (LCRA and LCHO: sample size, method, precision against what the regulator asks for, met or not), the
// landlords whose figures cannot make a return with the reason, the regulator's CSV, and one landlord's full return.
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { TypedFastify } from '../../../platform/http/typed.ts';
import type { PageDeps } from '../../../platform/modules.ts';
import type { Db } from '../../../platform/db/store.ts';
import { Problem } from '../../../platform/http/problem.ts';
import { csvFilename, sendCsv } from '../../../platform/http/csv.ts';
import { ukDate } from '../../../platform/uk-time.ts';
import { QueryValue } from '../../../web/page.ts';
import type { ErrorItem } from '../../../web/forms/index.ts';
import { hubTsmReturns, hubTsmReturnsCsv } from '../returns.ts';
import { REGISTRATION_PATTERN } from '../standard/schema.ts';
import { MANAGEMENT_CODES, PERCEPTION_CODES, type TsmReturn } from '../rules/tsm-return.ts';
import { MEASURES } from '../standard/schema.ts';
import { NOT_FOR_PUBLICATION, requireInsight } from './service.ts';

const YearQuery = Type.Object({ year: QueryValue });
const RegistrationParams = Type.Object({ registration: Type.String({ maxLength: 200 }) });
const REGISTRATION = new RegExp(REGISTRATION_PATTERN);

/** "TP01" → its title; "RP02(1)" → "RP02 (1)" and its title. */
const TITLES = new Map(MEASURES.map((m) => [m.code.replace(' ', ''), m.title]));
export const measureTitle = (code: string) => TITLES.get(code) ?? code;

/** The reporting year that started on 1 April of the year given, the latest the hub holds, or this one. */
async function yearOf(db: Db, raw: unknown): Promise<{ year: number; errors: ErrorItem[] }> {
  const given = typeof raw === 'string' ? raw.trim() : '';
  if (/^\d{4}$/.test(given) && Number(given) >= 1990 && Number(given) <= 2100) return { year: Number(given), errors: [] };
  const errors = given ? [{ text: `Year: "${given}" must be the year a reporting year starts, such as 2025 for 2025/26`, href: '#year' }] : [];
  const latest = (await db.execute(sql`SELECT max(extract(year FROM period_from))::int AS y FROM hub.measures
    WHERE extract(month FROM period_from) = 4 AND extract(day FROM period_from) = 1 AND period_to = (period_from + interval '1 year' - interval '1 day')::date`)).rows[0] as { y: number | null } | undefined;
  if (latest?.y) return { year: Number(latest.y), errors };
  const today = ukDate(new Date());
  return { year: Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 4 ? 1 : 0), errors };
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** A return's summary line per tenure group. */
function summaries(r: TsmReturn) {
  return r.groups.map((g) => ({
    tenure: g.tenure, homes: g.homes, methods: g.methods.join(' and ') || 'Not said', sampleSize: g.sampleSize,
    precision: g.precision, required: g.requiredPrecision, met: g.precisionMet,
  }));
}

export function tsmReturnPages(app: TypedFastify, deps: Pick<PageDeps, 'page' | 'store'>) {
  const { page, store } = deps;

  const guard = (req: FastifyRequest) => requireInsight(req.actor);

  app.get('/hub-insight/tsm-returns', { schema: { querystring: YearQuery } }, async (req, reply) => {
    guard(req);
    const { year, errors, returns } = await store.system(async (db) => {
      const y = await yearOf(db, one(req.query.year));
      return { ...y, returns: await hubTsmReturns(db, y.year) };
    });
    const data = await page(req, async () => ({}));
    return reply.view('hub/insight/tsm-returns.njk', {
      ...data, title: `TSM returns ${returns.year}`, section: 'hub-insight', notForPublication: NOT_FOR_PUBLICATION, errors, year, returns,
      rows: returns.returns.map((r) => ({ landlord: r.landlord, registration: r.registrationNumber, groups: summaries(r) })),
      csvHref: `/hub-insight/tsm-returns.csv?year=${year}`,
    });
  });

  app.get('/hub-insight/tsm-returns.csv', { schema: { querystring: YearQuery } }, async (req, reply) => {
    guard(req);
    const returns = await store.system(async (db) => hubTsmReturns(db, (await yearOf(db, one(req.query.year))).year));
    const data = await page(req, async () => ({}));
    return sendCsv(reply, csvFilename('tsm-returns', data.organisationName, returns.year.replace('/', '-')), hubTsmReturnsCsv(returns));
  });

  app.get('/hub-insight/tsm-returns/:registration', { schema: { params: RegistrationParams, querystring: YearQuery } }, async (req, reply) => {
    guard(req);
    const registration = req.params.registration.toUpperCase();
    if (!REGISTRATION.test(registration)) throw new Problem(404, 'Page not found', `${req.params.registration} is not a registration number`);
    const found = await store.system(async (db) => {
      const y = await yearOf(db, one(req.query.year));
      const name = (await db.execute(sql`SELECT name FROM hub.publishers WHERE publisher = ${registration}`)).rows[0] as { name: string } | undefined;
      return { ...y, name: name?.name ?? null, returns: name ? await hubTsmReturns(db, y.year, registration) : null };
    });
    if (!found.name || !found.returns) throw new Problem(404, 'Page not found', `No landlord with registration number ${registration} publishes to this hub`);
    const data = await page(req, async () => ({}));
    const ret = found.returns.returns[0] ?? null;
    return reply.view('hub/insight/tsm-return.njk', {
      ...data, title: `${found.name}: TSM return ${found.returns.year}`, section: 'hub-insight', notForPublication: NOT_FOR_PUBLICATION,
      backLink: `/hub-insight/tsm-returns?year=${found.year}`, errors: found.errors, landlord: found.name, registration, year: found.year, period: found.returns.year,
      ret, problem: found.returns.problems[0] ?? null, groups: ret ? summaries(ret) : [],
      // Every measure in both tenure groups: a measure not published shows as such rather than being left out.
      perception: PERCEPTION_CODES.map((code) => ({
        code, title: measureTitle(code),
        cells: (['LCRA', 'LCHO'] as const).map((t) => ret?.groups.find((g) => g.tenure === t)?.measures.find((m) => m.code === code && m.responses > 0) ?? null),
      })),
      management: MANAGEMENT_CODES.map((code) => ({
        code, title: measureTitle(code),
        cells: (['LCRA', 'LCHO'] as const).map((t) => ret?.management.find((m) => m.code === code && m.tenure === t) ?? null),
      })),
    });
  });
}
