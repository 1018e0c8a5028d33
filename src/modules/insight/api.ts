// The higher-risk buildings register over the API: every block the caller's organisation holds, assessed against the
// Building Safety Act 2022 line (18 m or 7 storeys, with 2 or more residential units), in three lists.
import { Type, type Static } from 'typebox';
import type { TypedFastify } from '../../platform/http/typed.ts';
import { API_ROUTE, type Run } from '../../platform/records/api.ts';
import { ProblemSchema } from '../../platform/http/schemas.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { higherRiskRegister, type HrbEntry } from './higher-risk.ts';
// The signals the register reads are kept up to date by the damp-signals outbox subscriber (damp-signals.ts).
import { dampMouldRegister, REGISTER_MAX_PAGE, REGISTER_PAGE, type DampRegister } from './damp-register.ts';

const errors = { 401: ProblemSchema, 403: ProblemSchema };
const security = [{ bearer: [] }];

const n = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const s = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

const HrbEntrySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: s('The landlord’s own block reference'),
  name: Type.String(),
  estateName: s('The estate the block is on'),
  storeys: n('Storeys above ground'),
  heightMetres: n('Height in metres'),
  heightMethod: s('measured or estimated; null when not recorded'),
  residentialUnits: n('Residential units recorded for the block'),
  yearBuilt: n('Year built'),
  buildingNumber: s('Building number'),
  street: s('Street'),
  town: s('Town'),
  postcode: s('Postcode'),
  homes: Type.Integer({ description: 'Homes Hearth holds in the block' }),
  residents: Type.Integer({ description: 'People living in the block today: members of current tenancies of its homes' }),
  assessment: Type.Object({
    status: Type.Union([Type.Literal('higher-risk'), Type.Literal('data-needed'), Type.Literal('not-higher-risk')]),
    reasons: Type.Array(Type.String(), { description: 'Why: the facts that put the block on (or off) the register, or what to measure' }),
  }),
  self: Type.String({ description: 'The block’s page' }),
});

export const HigherRiskRegisterSchema = Type.Object({
  counts: Type.Object({ blocks: Type.Integer(), higherRisk: Type.Integer(), dataNeeded: Type.Integer(), notHigherRisk: Type.Integer() }),
  higherRisk: Type.Array(HrbEntrySchema, { description: 'Blocks that are higher-risk buildings: to register with the Building Safety Regulator' }),
  dataNeeded: Type.Array(HrbEntrySchema, { description: 'Blocks that cannot be ruled out until measured' }),
  notHigherRisk: Type.Array(HrbEntrySchema),
});
export type HigherRiskRegister = Static<typeof HigherRiskRegisterSchema>;

const present = (e: HrbEntry) => ({ ...e, assessment: { status: e.assessment.status, reasons: e.assessment.reasons }, self: `/blocks/${e.id}` });

/** The register as the API, the CLI's --json and the page show it. */
export async function higherRiskRegisterView(ctx: Ctx): Promise<HigherRiskRegister> {
  const r = await higherRiskRegister(ctx);
  return {
    counts: {
      blocks: r.higherRisk.length + r.dataNeeded.length + r.notHigherRisk.length,
      higherRisk: r.higherRisk.length, dataNeeded: r.dataNeeded.length, notHigherRisk: r.notHigherRisk.length,
    },
    higherRisk: r.higherRisk.map(present), dataNeeded: r.dataNeeded.map(present), notHigherRisk: r.notHigherRisk.map(present),
  };
}

export function insightApi(app: TypedFastify, run: Run) {
  app.get('/insight/higher-risk-buildings', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security, operationId: 'getHigherRiskBuildings',
      description: 'Each block with the facts that decide it (height and how it was found, storeys, residential units) and the households in it. ' +
        'Blocks whose height or storeys are not known are listed apart, to be measured.',
      summary: 'The higher-risk buildings register: every block assessed against 18 m or 7 storeys with 2 or more residential units; those that need measuring listed apart',
      response: { 200: HigherRiskRegisterSchema, ...errors },
    },
  }, async (req) => run(req, higherRiskRegisterView));
  dampMouldApi(app, run);
}

// ---- the damp and mould register ----

const DampSignalSchema = Type.Object({
  sourceKind: Type.Union([Type.Literal('repair'), Type.Literal('note'), Type.Literal('hazard-report')], { description: 'The kind of record that shows it' }),
  sourceId: Type.String({ format: 'uuid', description: 'The repair, note or hazard report' }),
  reference: s('The landlord’s own reference for the record: the repair’s job number'),
  basis: Type.Array(Type.Union([Type.Literal('text'), Type.Literal('code'), Type.Literal('hazard')]),
    { description: 'How it was found: text (the words), code (a damp and mould SOR code or trade), hazard (an HHSRS damp and mould hazard report)' }),
  kinds: Type.Array(Type.String(), { description: 'What was seen: damp, mould, condensation, leak-damp, smell, rot' }),
  evidence: Type.Array(Type.Object({
    text: Type.String(),
    quote: Type.Boolean({ description: 'true: a sentence of the record, word for word; false: a code or hazard' }),
  })),
  observedOn: s('The repair’s reported date, the note’s date or the hazard’s report date (UK)'),
  link: Type.String({ description: 'Where to see the record: the home’s page for repairs and notes, the hazard report’s page' }),
});

const EstateCountSchema = Type.Object({
  estateId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null: homes on no estate (filter with estate=none)' }),
  estateName: Type.String(),
  homes: Type.Integer(),
  signals: Type.Integer(),
});

export const DampRegisterSchema = Type.Object({
  homes: Type.Integer({ description: 'Homes on the register (in the estate, when filtered)' }),
  signals: Type.Integer({ description: 'Their signs of damp or mould' }),
  limit: Type.Integer(),
  page: Type.Integer(),
  pages: Type.Integer(),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Send as cursor for the next page; null on the last' }),
  order: Type.Union([Type.Literal('priority'), Type.Literal('latest-evidence')],
    { description: 'priority: homes where someone is at greater risk from damp first (roles with alerts:read); latest-evidence: newest evidence first' }),
  orderNote: s('Why the list is not in priority order, for a role that cannot see alerts'),
  estate: s('The estate filter in force'),
  estates: Type.Array(EstateCountSchema, { description: 'Estates with homes on the register, most homes first' }),
  items: Type.Array(Type.Object({
    homeId: Type.String({ format: 'uuid' }),
    homeReference: s('The landlord’s own property reference'),
    address: Type.String(),
    postcode: s('Postcode'),
    estateId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    estateName: s('The home’s estate (or its block’s)'),
    signals: Type.Array(DampSignalSchema, { description: 'Newest first' }),
    count: Type.Integer(),
    firstObserved: s('The earliest observed date'),
    latestObserved: s('The latest observed date'),
    why: Type.String({ description: 'Why the home is on the list' }),
    priority: Type.Union([Type.Object({
      atGreaterRisk: Type.Boolean(),
      reasons: Type.Array(Type.String(), { description: 'Health condition, Pregnancy, Child under 5, Aged 75 or over, Older person, Young child or older person' }),
    }), Type.Null()], { description: 'Only for roles with alerts:read (each alert read is audited); null otherwise' }),
    self: Type.String({ description: 'The home’s page' }),
  })),
  unlinked: Type.Object({
    count: Type.Integer({ description: 'Signs in repairs and notes whose home (or the tenancy or person a note is about) matched nothing yet; those that named a home are linked when it is loaded' }),
    items: Type.Array(Type.Object({
      ...Type.Omit(DampSignalSchema, ['link']).properties,
      named: s('What the repair named its home by: property reference, UPRN, address'),
      link: Type.String({ description: 'The repair' }),
    }), { description: `The newest of them, at most ${REGISTER_MAX_PAGE}` }),
  }, { description: 'Signs not yet linked to a home' }),
});
export type DampRegisterView = Static<typeof DampRegisterSchema>;

const DampRegisterQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: REGISTER_MAX_PAGE, default: REGISTER_PAGE })),
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'nextCursor from the previous page' })),
  estate: Type.Optional(Type.String({ maxLength: 36, description: 'An estate id, or none for homes on no estate' })),
}, { additionalProperties: false });

export const presentRegister = (r: DampRegister): DampRegisterView => ({ ...r, items: r.items.map((e) => ({ ...e, self: `/homes/${e.homeId}` })) });

function dampMouldApi(app: TypedFastify, run: Run) {
  app.get('/insight/damp-and-mould', {
    ...API_ROUTE,
    schema: {
      tags: ['Insight'], security, querystring: DampRegisterQuery, operationId: 'getDampAndMouldRegister',
      description: 'Each home with its signals of damp or mould (the repair, note or hazard report and its words), paged by cursor and filtered by estate. ' +
        'Roles with alerts:read also see which households are at greater risk from damp, and that read is audited.',
      summary: 'The damp and mould register: homes with signs of damp or mould in repairs, notes and hazard reports, with the evidence word for word; households at greater risk from damp first for roles that can see alerts',
      response: { 200: DampRegisterSchema, 400: ProblemSchema, ...errors },
    },
  }, async (req) => run(req, async (ctx) => presentRegister(await dampMouldRegister(ctx, req.query))));
}
